/* plan.h — execution plans (`ssmc plan`): what the SSM Agent on each
 * platform would do with a document and one set of parameter values.
 *
 *   params_values.c  parameter values: --param / --params-file parsing,
 *                    defaults, checks against the declarations
 *   substitute.c     {{ name }} and {{ssm:name}} substitution as the agent
 *                    does it (agent framework/docparser/parameters and
 *                    parameterstore); node helpers
 *   plan.c           steps, the agent's decision table, control flow,
 *                    scripts and command lines, aws:runDocument expansion;
 *                    the plan as JSON, text and Graphviz dot
 *
 * Internal to libssmc and the CLI; not installed. */
#ifndef SSMC_PLAN_H
#define SSMC_PLAN_H

#include "internal.h"

#include <jansson.h>

/* The most steps one platform's plan holds, aws:runDocument children
 * included (SSM6101): memory stays proportional to the input files. */
#define PLAN_MAX_STEPS 10000
/* Text a plan's substitutions may write in all (16 MiB): a 40 KB document
 * that names a parameter 5,000 times, given a 100 KB value, would
 * otherwise make a 1 GB plan (SSM6102). The service counts runtime values
 * in a document's 64 KB, so a real plan stays far under this. */
#define PLAN_MAX_TEXT ((size_t)16 << 20)
/* SSM6102's message (Command and Automation plans), with PLAN_MAX_TEXT >> 20. */
#define PLAN_TOO_MUCH_TEXT_MESSAGE                                                             \
    "the plan's parameter values fill in more than %zu MiB of text (a value pasted at many "  \
    "places); ssmc stops substituting here and shows no plan"

/* What substitution may still write; once it is spent, strings are left
 * as written (the plan is refused: SSM6102). */
typedef struct sub_budget {
    size_t left;
    bool spent;
} sub_budget;

/* --- node helpers (substitute.c) ------------------------------------- */

ssmc_node *node_new(ssmc_arena *arena, ssmc_node_type type);
ssmc_node *node_new_string(ssmc_arena *arena, const char *s, size_t len);
/* A copy of a jansson value as a tree (strings, numbers, lists, maps). */
ssmc_node *node_from_json(ssmc_arena *arena, const json_t *value);
/* A jansson value of a tree (JSON numbers keep their value). */
json_t *node_to_json(const ssmc_node *node);
/* Exact equality of two trees (types and values). */
bool node_equal(const ssmc_node *a, const ssmc_node *b);

/* --- substitution (substitute.c) ------------------------------------- */

typedef struct sub_param {
    const char *name;        /* a declared parameter name */
    const ssmc_node *value;  /* its effective value */
} sub_param;

/* Go's json.Marshal of a value, as the agent writes non-string values into
 * text: compact, map keys sorted, <, >, & escaped as \u003c... */
void sub_go_json(buf *out, const ssmc_node *value);
/* A value's string form for embedding: strings verbatim, others as Go's
 * json.Marshal. */
void sub_string_form(buf *out, const ssmc_node *value);

/* The agent's substitution of one tree (the inputs of a step, ...): a
 * string that is exactly one {{ name }} token becomes the value itself;
 * tokens inside longer strings become the value's string form; map keys
 * are never touched; values are not scanned again. Nodes that do not change
 * are shared with the input. */
ssmc_node *sub_tree(ssmc_arena *arena, const ssmc_node *in, const sub_param *params, size_t count,
                    sub_budget *budget);
/* The embedded rule on one string (precondition arguments). */
char *sub_text(const char *s, size_t len, const sub_param *params, size_t count, size_t *out_len,
               sub_budget *budget);
/* The name of the parameter when s is exactly one {{ name }} token of a
 * declared parameter, else NULL. */
const sub_param *sub_whole_token(const char *s, size_t len, const sub_param *params, size_t count);

/* Does s hold a {{ name }} token of one of the parameters? */
bool sub_has_token(const char *s, size_t len, const sub_param *params, size_t count);

/* {{ssm:name}} references: the local stand-in for Parameter Store. */
typedef struct ssm_store {
    const ssmc_node *values;   /* MAP name -> string | list of strings | {Type, Value}; or NULL */
    bool given;                /* --ssm-params was given (unknown names are errors) */
    /* Every name seen, for the plan's list (owned). */
    char **seen;
    bool *resolved;
    size_t seen_count;
    /* The agent's error for the first failure, or NULL (owned). */
    char *error;
    sub_budget *budget;        /* the plan's text budget, or NULL */
} ssm_store;

/* Resolves the agent-form {{ssm:name}} tokens of a tree (after parameter
 * substitution). Unresolved tokens stay as they are. */
ssmc_node *ssm_resolve_tree(ssmc_arena *arena, const ssmc_node *in, ssm_store *store);
void ssm_store_free(ssm_store *store);

/* --- parameter values (params_values.c) ------------------------------ */

typedef enum param_source { PARAM_DEFAULT, PARAM_GIVEN, PARAM_NONE } param_source;

/* One value supplied for a parameter, before it is checked. */
typedef struct given_value {
    char *name;              /* owned */
    const ssmc_node *value;  /* typed (from a file or a parent document), or NULL */
    char *text;              /* raw command-line text when value is NULL (owned) */
    uint32_t file;           /* where it was given, for findings */
    ssmc_loc span;
} given_value;

typedef struct given_values {
    given_value *items;
    size_t count, cap;
} given_values;

void given_values_free(given_values *g);
void given_values_add_text(given_values *g, const char *name, const char *text, uint32_t file,
                           ssmc_loc span);
/* Reads a --params-file tree: a mapping of name -> value; association-style
 * lists of strings are accepted. Findings go to diags. */
void given_values_add_file(given_values *g, const ssmc_node *root, ssmc_diags *diags);

typedef struct param_value {
    const char *name;
    const ssmc_node *decl;   /* the definition mapping */
    const char *type;        /* "String", ... ("String" when missing) */
    const ssmc_node *value;  /* effective value, or NULL when missing */
    param_source source;
    bool from_ssm;           /* a {{ssm:...}} in it was resolved */
    bool env_var;            /* interpolationType: ENV_VAR */
} param_value;

typedef struct param_values {
    param_value *items;
    size_t count;
    sub_param *subs;         /* those with a value and an agent-valid name */
    size_t sub_count;
} param_values;

/* Effective values of every declared parameter: given, else default.
 * Reports, as the service would (InvalidParameters): a required parameter
 * without a value, an undeclared name, and any value that fails its type,
 * allowedValues, allowedPattern, min/max chars or items. Returns false
 * when a finding of error severity was added. */
bool param_values_resolve(param_values *out, ssmc_arena *arena, const ssmc_document *doc,
                          const given_values *given, ssm_store *store, bool child,
                          ssmc_diags *diags);
void param_values_free(param_values *v);

/* --- plans (plan.c) --------------------------------------------------- */

enum { PLAN_LINUX = 1, PLAN_WINDOWS = 2, PLAN_MACOS = 4, PLAN_ALL = 7 };

/* A new plan object with its header, shared by Command and Automation
 * plans: planVersion, kind (unless NULL), and source (file, sha256 of its
 * bytes, schemaVersion). */
json_t *plan_header(const ssmc_source *src, const ssmc_document *doc, const char *kind);

typedef struct plan_options {
    unsigned platforms;          /* PLAN_* mask */
    ssmc_sources *sources;       /* runDocument children are added here */
    const given_values *given;
    const ssmc_node *ssm_values; /* --ssm-params tree, or NULL */
    const char *const *doc_paths;
    size_t doc_path_count;
    const ssmc_config *config;
    /* `ssmc run`: decide every step as if no earlier step had an exit
     * condition (the runner applies the control flow from real results). */
    bool runtime_flow;
} plan_options;

/* The plan of a document that checked without errors: one plan object, or
 * {"planVersion", "plans": [...]} for several platforms. NULL when the
 * parameter values are wrong (findings in diags). */
json_t *plan_build(ssmc_document *doc, const plan_options *options, ssmc_diags *diags);

/* A plan object's string member, "" when absent. */
const char *plan_jstr(const json_t *o, const char *key);
/* Text for a Graphviz quoted label: quotes and backslashes escaped, newlines
 * as \n. */
void plan_dot_label(buf *out, const char *s);

/* The "parameters" list of a plan. */
json_t *plan_parameters_json(const param_values *pv);

/* Automation runbooks (compiler/automation/auto_plan.c): plan_build hands
 * them to automation_plan; the text and dot renderers to these two when
 * the plan's "kind" is "Automation". */
json_t *automation_plan(ssmc_document *doc, const plan_options *options, ssmc_diags *diags);
void automation_plan_text(const json_t *plan, buf *out);
void automation_plan_dot(const json_t *plan, buf *out);

void plan_render_json(const json_t *plan, buf *out);
void plan_render_text(const json_t *plan, buf *out);
void plan_render_dot(const json_t *plan, buf *out);

#endif
