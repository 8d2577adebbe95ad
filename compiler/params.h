/* params.h — shared between the parameter files of the validation stage:
 * validate_params.c (definitions), params_pattern.c (allowedPattern),
 * params_refs.c ({{ }} references). */
#ifndef SSMC_PARAMS_H
#define SSMC_PARAMS_H

#include "refs.h"
#include "validate.h"

/* Parameter types (spec section 2.2). */
typedef enum param_type {
    PT_UNKNOWN = 0,
    PT_STRING,
    PT_STRING_LIST,
    PT_BOOLEAN,
    PT_INTEGER,
    PT_STRING_MAP,
    PT_MAP_LIST
} param_type;

param_type params_type_of(const ssmc_node *definition);
const char *params_type_name(param_type type);

/* Only Command and Policy documents get parameter and reference checks. */
bool params_kind_checked(const vctx *v);

/* A compiled allowedPattern (PCRE2), or NULL when it does not compile (the
 * fault is reported). Also reports RE2-incompatible constructs and a
 * missing anchor. */
typedef struct params_regex params_regex;
params_regex *params_pattern_check(vctx *v, const char *param, const ssmc_node *pattern);
/* Unanchored search, as Go's MatchString: 1 match, 0 no match, -1 unknown
 * (match limit hit, or an engine error). */
int params_pattern_match(const params_regex *re, const char *s, size_t len);
/* Go's regexp MatchString of an allowedPattern (params_values.c): an
 * unanchored search, '$' only at the very end. *compiled is false (and the
 * result true) when PCRE2 cannot compile the pattern. */
bool params_pattern_matches(const char *pattern, const char *s, size_t len, bool *compiled);
void params_pattern_free(params_regex *re);

/* SSM3101 for a {{name} / {name}} near-miss (refs_scan_typos) in a string
 * of step content, with the fix that adds the missing brace. */
void params_report_brace_typo(vctx *v, const ssmc_node *scalar, const ref_typo *t,
                              const char *name);

#endif
