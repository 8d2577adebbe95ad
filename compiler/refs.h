/* refs.h — the {{ ... }} tokens of SSM documents, found the way the agent
 * finds them (spec section 3; agent parameters.go, the parameterstore package). Used by
 * validation (undeclared references), lint (injection, placeholders) and
 * plan (substitution). */
#ifndef SSMC_REFS_H
#define SSMC_REFS_H

#include "ssmc.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum ref_kind {
    REF_PARAM,       /* {{ name }}: a document parameter (name is [a-zA-Z0-9]+) */
    REF_SSM,         /* {{ssm:name}} Parameter Store */
    REF_SSM_SECURE,  /* {{ssm-secure:name}} */
    REF_RESOLVE,     /* {{resolve:...}} CloudFormation dynamic reference */
    REF_AUTOMATION,  /* {{automation:...}}, {{global:...}}, {{Step.Output}} */
    REF_OTHER        /* anything else between {{ and }} (Go templates, ...) */
} ref_kind;

typedef struct ref_token {
    ref_kind kind;
    size_t start, end;           /* bytes of "{{" .. just past "}}" in the string */
    size_t name_start, name_len; /* the trimmed inside ("ssm:/a/b" for REF_SSM) */
    bool agent_ssm_form;         /* REF_SSM whose inside matches the agent's
                                  * regex \{\{ *ssm:[/\w.:-]+ *\}\} exactly */
} ref_token;

/* Calls fn for each {{ ... }} token of s, left to right; fn returns false to
 * stop. Tokens do not nest; a "{{" without a closing "}}" is not a token. */
typedef bool (*ref_visit_fn)(const ref_token *token, const char *s, void *user);
void refs_scan(const char *s, size_t len, ref_visit_fn fn, void *user);

/* True when the whole of s is exactly one token of a parameter name (the
 * agent's whole-value rule: the value keeps its type). */
bool refs_whole_value(const char *s, size_t len, ref_token *token);

/* Agent whitespace between the braces and a parameter name: RE2 \s. */
bool refs_is_space(char c);

/* Whether s[0..len) holds c twice in a row ("{{" or "}}"): the cheap test
 * before a scan for tokens, from c to c with memchr (it runs over every
 * value, whole scripts among them). */
bool refs_has_double(const char *s, size_t len, char c);

/* True when a REF_OTHER token's inside reads like a parameter name the
 * author got wrong ("my_param", "my-param", "$param"), as opposed to a Go
 * template ("{{.State}}", "{{if x}}") or other text. */
bool refs_looks_like_name(const char *name, size_t len);

/* A near-miss of a {{ name }} token: one brace short on either side
 * ({{name} or {name}}), which the agent leaves as text. start/end cover
 * the braces; the caller decides whether the name is a parameter. */
typedef enum ref_typo_kind { REF_TYPO_NO_CLOSE, REF_TYPO_NO_OPEN } ref_typo_kind;
typedef struct ref_typo {
    ref_typo_kind kind;
    size_t start, end;
    size_t name_start, name_len;
} ref_typo;
typedef bool (*ref_typo_fn)(const ref_typo *typo, const char *s, void *user);
void refs_scan_typos(const char *s, size_t len, ref_typo_fn fn, void *user);

/* The place in the file of bytes [start, end) of a scalar's decoded text.
 * Exact when the source spells those bytes literally: plain and quoted
 * scalars without escapes or folding, JSON strings without escapes, and
 * literal (|) blocks line by line; otherwise the scalar's own span. */
ssmc_loc refs_locate(const ssmc_source *source, const ssmc_node *scalar, size_t start,
                      size_t end);

#endif
