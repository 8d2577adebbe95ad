/* grammar.h — the SSM document grammar as C tables: document kinds and their
 * top-level keys, parameter types and properties, step fields, the shared
 * inputs and every Command plugin with its inputs.
 *
 * The tables are not written by hand: grammar/gen_grammar.c generates them
 * at build time from the data files in grammar/ (see grammar/README.md).
 * This header declares their types, the tables and the look-ups
 * (compiler/grammar.c). Stable API: add, never rename. */
#ifndef SSMC_GRAMMAR_H
#define SSMC_GRAMMAR_H

#include <stdbool.h>
#include <stddef.h>

/* What JSON value a key, input or parameter default must be. */
typedef enum grammar_vtype {
    GRAMMAR_T_ANY = 0,
    GRAMMAR_T_STRING,         /* a string */
    GRAMMAR_T_STRING_LIST,    /* a list of strings */
    GRAMMAR_T_STRING_OR_LIST, /* a string or a list of strings (agent interface{}) */
    GRAMMAR_T_STRING_MAP,     /* a mapping, or its JSON text in a string */
    GRAMMAR_T_MAP,            /* a mapping */
    GRAMMAR_T_LIST,           /* a list of anything */
    GRAMMAR_T_MAP_LIST,       /* a list of mappings */
    GRAMMAR_T_BOOLEAN,        /* true/false (the agent may also take "true"/"false") */
    GRAMMAR_T_BOOL_STRING,    /* a Go string parsed with strconv.ParseBool: "true"/"false" */
    GRAMMAR_T_INTEGER,        /* an integral number */
    GRAMMAR_T_NUMBER,         /* a number, or a string holding one */
    GRAMMAR_T_MAP_OR_LIST,    /* a mapping or a list of mappings (1.2 properties) */
    GRAMMAR_T_COUNT
} grammar_vtype;

/* How well something fits where it is: used for a parameter type in a
 * Command document and for a parameter property on a parameter type. */
typedef enum grammar_fit {
    GRAMMAR_FIT_YES = 0,      /* fine */
    GRAMMAR_FIT_INFO,         /* fine, but worth a note */
    GRAMMAR_FIT_IGNORED,      /* accepted, the agent ignores it */
    GRAMMAR_FIT_WARNING,      /* legal but suspicious */
    GRAMMAR_FIT_ERROR         /* rejected */
} grammar_fit;

/* Platforms, as a bit set. */
enum {
    GRAMMAR_OS_LINUX = 1u << 0,
    GRAMMAR_OS_WINDOWS = 1u << 1,
    GRAMMAR_OS_MACOS = 1u << 2,
    GRAMMAR_OS_ALL = 7u
};

/* --- document kinds ------------------------------------------------- */

typedef struct grammar_key {
    const char *name;
    bool required;
    grammar_vtype type;
    const char *const *versions;   /* schema versions it belongs to; none = all */
    size_t version_count;
    const char *doc;
} grammar_key;

typedef struct grammar_kind {
    const char *name;              /* "Command", "Automation", ... (DocumentType) */
    const char *const *versions;   /* schemaVersion values the service accepts */
    size_t version_count;
    const char *const *agent_versions; /* extra values only the agent accepts */
    size_t agent_version_count;
    const grammar_key *keys;       /* its top-level keys */
    size_t key_count;
    bool deep;                     /* validated fully by ssmc */
    const char *source;
} grammar_kind;

extern const grammar_kind grammar_kinds[];
extern const size_t grammar_kind_count;

const grammar_kind *grammar_kind_find(const char *name);   /* exact, then case-insensitive */
const grammar_key *grammar_kind_key(const grammar_kind *kind, const char *name);
bool grammar_kind_has_version(const grammar_kind *kind, const char *version);
/* True when key applies to schema version (keys without versions: always). */
bool grammar_key_in_version(const grammar_key *key, const char *version);
/* The kinds other than `except` that have top-level key `name`, as a
 * comma-separated list written into out ("Automation, Automation.ChangeTemplate");
 * returns the number of kinds found. */
size_t grammar_key_owners(const char *name, const grammar_kind *except, char *out, size_t out_size);

/* --- parameters ------------------------------------------------------ */

typedef struct grammar_param_type {
    const char *name;              /* "String", "StringList", "AWS::EC2::Instance::Id", ... */
    grammar_vtype value;           /* what a default must be */
    grammar_fit command_fit;       /* how it fits a Command document */
    const char *command_note;      /* why (for the message) */
    const char *const *kinds;      /* the kinds that have it; none = all */
    size_t kind_count;
    const char *pattern;           /* console regex for the AWS:: types, or NULL */
    const char *doc;
} grammar_param_type;

typedef struct grammar_prop_fit {
    const char *type;              /* parameter type name, or "*" for the rest */
    grammar_fit fit;
    const char *note;
} grammar_prop_fit;

typedef struct grammar_param_prop {
    const char *name;              /* "allowedPattern", ... */
    bool required;
    grammar_vtype type;            /* its own JSON type (GRAMMAR_T_ANY for default) */
    const char *const *values;     /* allowed values (case-sensitive), none = any */
    size_t value_count;
    const grammar_prop_fit *fits;  /* per parameter type */
    size_t fit_count;
    const char *min_schema;        /* lowest schemaVersion it works with, or NULL */
    const char *min_agent;         /* lowest agent version, or NULL */
    const char *doc;
} grammar_param_prop;

extern const grammar_param_type grammar_param_types[];
extern const size_t grammar_param_type_count;
extern const grammar_param_prop grammar_param_props[];
extern const size_t grammar_param_prop_count;

const grammar_param_type *grammar_param_type_find(const char *name); /* exact */
const grammar_param_prop *grammar_param_prop_find(const char *name); /* exact */
/* How prop fits a parameter of type type_name (GRAMMAR_FIT_YES when the
 * property lists no fits; note may be NULL). */
grammar_fit grammar_param_prop_fit(const grammar_param_prop *prop, const char *type_name,
                                   const char **note);

/* --- steps and plugins ------------------------------------------------ */

typedef struct grammar_input grammar_input;

/* One shape of a map input chosen by another input's value
 * (aws:downloadContent sourceInfo by sourceType). */
typedef struct grammar_variant {
    const char *when;              /* the selecting input's value */
    const grammar_input *keys;     /* the keys the map may hold */
    size_t key_count;
} grammar_variant;

struct grammar_input {
    const char *name;
    grammar_vtype type;
    bool required;
    bool agent_only;               /* undocumented, only the agent knows it */
    bool must_be_empty;            /* the agent rejects any non-empty value */
    const char *const *values;     /* allowed values, case-sensitive; none = any */
    size_t value_count;
    const char *pattern;           /* PCRE2/RE2 regex each string value must match */
    const char *forbidden_chars;   /* characters no value may contain */
    bool has_range;                /* numeric range (timeoutSeconds) */
    long long range_min, range_max;
    const char *key_prefix;        /* every key of a map value must start with it */
    size_t max_length;             /* of the value's text, 0 = none */
    const char *variant_by;        /* input whose value selects variants */
    const grammar_variant *variants;
    size_t variant_count;
    const char *min_agent;
    const char *doc;
    grammar_vtype value_type;      /* of each value of a map input; ANY = any */
};

/* A cross-field requirement: when input `when` has one of `values`, the
 * inputs in `inputs` must be present (all of them, or any one with any_of). */
typedef struct grammar_requirement {
    const char *when;
    const char *const *values;
    size_t value_count;
    const char *const *inputs;
    size_t input_count;
    bool any_of;
} grammar_requirement;

typedef struct grammar_plugin {
    const char *name;              /* "aws:runShellScript" */
    const char *summary;
    const char *min_schema;        /* lowest schemaVersion, or NULL */
    unsigned platforms;            /* GRAMMAR_OS_* where it has a working handler */
    const grammar_input *inputs;
    size_t input_count;
    const grammar_requirement *requirements;
    size_t requirement_count;
    bool association_only;         /* runs only from State Manager */
    bool deprecated;
    bool open_inputs;              /* inputs not described: unknown ones are not reported */
    const char *note;              /* extra advice for messages, or NULL */
    const char *source;
} grammar_plugin;

/* A field of a step (mainSteps item) or of a 1.2 runtimeConfig entry. */
typedef enum grammar_field_use {
    GRAMMAR_FIELD_COMMAND = 0,     /* used by the agent */
    GRAMMAR_FIELD_IGNORED          /* an Automation field the agent ignores */
} grammar_field_use;

typedef struct grammar_step_field {
    const char *name;
    bool required;
    grammar_vtype type;
    grammar_field_use use;
    const char *min_schema;
    const char *doc;
    /* Allowed values, none = any; one ending in ':' ("step:") is a prefix
     * that a step name follows. */
    const char *const *values;
    size_t value_count;
} grammar_step_field;

extern const grammar_plugin grammar_plugins[];
extern const size_t grammar_plugin_count;
extern const char *const grammar_plugin_names[];          /* for did_you_mean */
extern const grammar_input grammar_shared_inputs[];       /* onFailure, onSuccess, finallyStep */
extern const size_t grammar_shared_input_count;
extern const grammar_step_field grammar_step_fields[];    /* 2.x mainSteps items */
extern const size_t grammar_step_field_count;
extern const grammar_step_field grammar_runtime_fields[]; /* 1.2 runtimeConfig entries */
extern const size_t grammar_runtime_field_count;
extern const char *const grammar_automation_actions[];
extern const size_t grammar_automation_action_count;
extern const char *const grammar_precondition_operators[];
extern const size_t grammar_precondition_operator_count;
extern const char *const grammar_platform_names[];        /* "linux", "windows", "macos" */
extern const unsigned grammar_platform_bits[];
extern const size_t grammar_platform_count;

const grammar_plugin *grammar_plugin_find(const char *name); /* exact */
/* The input called name: exact match first, else a case-insensitive one
 * (the agent decodes with Go's case-insensitive JSON), with *exact false. */
const grammar_input *grammar_input_find(const grammar_input *inputs, size_t count,
                                        const char *name, bool *exact);
const grammar_input *grammar_plugin_input(const grammar_plugin *plugin, const char *name,
                                          bool *exact);
const grammar_input *grammar_shared_input(const char *name, bool *exact);
const grammar_variant *grammar_input_variant(const grammar_input *input, const char *when);
const grammar_step_field *grammar_step_field_find(const char *name);
const grammar_step_field *grammar_runtime_field_find(const char *name);
bool grammar_is_automation_action(const char *name);
/* --- Automation runbooks (grammar/automation/) ----------------------- */

/* A built-in output of an action ({{ step.Name }} without an outputs block). */
typedef struct grammar_output {
    const char *name;
    grammar_vtype type;            /* GRAMMAR_T_ANY when not documented */
} grammar_output;

/* Inputs of which between min and max must be present (Iterators /
 * LoopCondition: exactly one). */
typedef struct grammar_input_group {
    const char *const *inputs;
    size_t count;
    unsigned min, max;
} grammar_input_group;

typedef struct grammar_action {
    const char *name;              /* "aws:executeScript" */
    const char *summary;
    const grammar_input *inputs;
    size_t input_count;
    const grammar_output *outputs; /* built-in outputs */
    size_t output_count;
    const grammar_input_group *groups;
    size_t group_count;
    const char *const *reserved;   /* output names reserved beyond the built-ins */
    bool reserved_is_error;        /* the service rejects a declared output of a built-in name */
    size_t reserved_count;
    bool open_inputs;              /* other inputs pass through to an API call */
    bool strict_inputs;            /* CreateDocument rejects unknown inputs (aws:runCommand) */
    bool internal;                 /* AWS-internal, undocumented */
    const char *source;
} grammar_action;

/* An aws:branch operator and the JSON type of its operand. */
typedef struct grammar_branch_operator {
    const char *name;
    grammar_vtype operand;
    const char *doc;
} grammar_branch_operator;

/* A name and what it means: the other keys of an aws:branch choice
 * (NextStep, Variable, And, Or, Not) and the Automation system variables
 * ({{ global:REGION }}). */
typedef struct grammar_term {
    const char *name;
    const char *doc;
} grammar_term;

typedef enum grammar_runtime_status {
    GRAMMAR_RUNTIME_CURRENT = 0,
    GRAMMAR_RUNTIME_UNCONFIRMED,   /* plausible, not confirmed by a source */
    GRAMMAR_RUNTIME_RETIRED        /* no longer accepted for new runbooks */
} grammar_runtime_status;

typedef struct grammar_script_runtime {
    const char *name;              /* "python3.11", "PowerShell 7.0" */
    bool python;
    grammar_runtime_status status;
} grammar_script_runtime;

extern const grammar_action grammar_actions[];            /* sorted by name */
extern const size_t grammar_action_count;
extern const grammar_step_field grammar_automation_step_fields[];
extern const size_t grammar_automation_step_field_count;
extern const grammar_branch_operator grammar_branch_operators[];
extern const size_t grammar_branch_operator_count;
extern const grammar_script_runtime grammar_script_runtimes[];
extern const size_t grammar_script_runtime_count;
extern const grammar_term grammar_branch_keys[];
extern const size_t grammar_branch_key_count;
extern const grammar_term grammar_system_variables[];
extern const size_t grammar_system_variable_count;
/* boto3 client names, sorted (grammar/automation/boto3_services.json). */
extern const char *const grammar_boto3_services[];
extern const size_t grammar_boto3_service_count;
/* "service:Operation", sorted (grammar/automation/boto3_operations.json). */
extern const char *const grammar_boto3_operations[];
extern const size_t grammar_boto3_operation_count;

const grammar_action *grammar_action_find(const char *name);          /* exact */
/* An input of an action: exact first, else case-insensitive (*exact false). */
const grammar_input *grammar_action_input(const grammar_action *action, const char *name,
                                          bool *exact);
const grammar_output *grammar_action_output(const grammar_action *action, const char *name);
const grammar_step_field *grammar_automation_step_field_find(const char *name);
const grammar_branch_operator *grammar_branch_operator_find(const char *name);
const grammar_script_runtime *grammar_script_runtime_find(const char *name);
const grammar_term *grammar_branch_key_find(const char *name);                /* exact */
/* The system variable of {{ name }}, the len bytes at name; NULL if none. */
const grammar_term *grammar_system_variable_find(const char *name, size_t len);

/* GRAMMAR_OS_* bit of a platformType value (case-insensitive), 0 if none. */
unsigned grammar_platform_bit(const char *name);
const char *grammar_vtype_name(grammar_vtype type);  /* "String", "StringList", ... */
/* Compares dotted versions numerically ("2.0" < "2.2" < "10.0"). */
int grammar_version_compare(const char *a, const char *b);

#endif
