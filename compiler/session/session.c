/* session.c — Session documents (schemaVersion 1.0): sessionType, the
 * session preferences under inputs, and properties per session type.
 * Scripts (properties.<os>.commands, inputs.shellProfile) are linted by
 * lint/script.c like any other script.
 *
 * Sources: spec automation-session-package.md section 6 (User Guide
 * session-manager-schema.md and session-preferences-*.md; agent
 * agent/contracts/model.go SessionInputs, agent/session/contracts
 * ShellProperties, session/plugins/port/port.go, session/shell/shell.go);
 * section 9 row 18: the AWS-managed documents win where the guide differs. */
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const session_types[] = {"Standard_Stream", "InteractiveCommands",
                                            "NonInteractiveCommands", "Port"};
#define N_TYPES (sizeof session_types / sizeof session_types[0])

typedef enum field_kind {
    F_STRING,       /* a string */
    F_BOOL,         /* a boolean; "true"/"false" converted (ConvertToBool) */
    F_BOOL_STRICT,  /* decoded into a Go bool: a string breaks the decode */
    F_MINUTES,      /* "" or "1".."max", a string */
    F_PROFILE,      /* shellProfile: {windows, linux} strings */
    F_PORT,         /* "1".."65535" */
    F_LOCAL_PORT,   /* "0".."65535" */
    F_PREFIX,       /* separator prefix: ^[0-9a-zA-Z\r\n_:-]{0,30}$ */
} field_kind;

typedef struct field {
    const char *name;
    field_kind kind;
    long max;
} field;

/* inputs: agent SessionInputs; the guide's session-preferences pages. */
static const field input_fields[] = {
    {"s3BucketName", F_STRING, 0},
    {"s3KeyPrefix", F_STRING, 0},
    {"s3EncryptionEnabled", F_BOOL, 0},
    {"cloudWatchLogGroupName", F_STRING, 0},
    {"cloudWatchEncryptionEnabled", F_BOOL, 0},
    {"cloudWatchStreamingEnabled", F_BOOL_STRICT, 0},
    {"kmsKeyId", F_STRING, 0},
    {"runAsEnabled", F_BOOL, 0},
    {"runAsDefaultUser", F_STRING, 0},
    {"idleSessionTimeout", F_MINUTES, 60},
    {"maxSessionDuration", F_MINUTES, 1440},
    {"shellProfile", F_PROFILE, 0},
};

/* properties.<os> of InteractiveCommands / NonInteractiveCommands. */
static const field shell_fields[] = {
    {"commands", F_STRING, 0},
    {"runAsElevated", F_BOOL_STRICT, 0},
    {"separateOutputStream", F_BOOL, 0},
    {"stdoutSeparatorPrefix", F_PREFIX, 0},
    {"stderrSeparatorPrefix", F_PREFIX, 0},
};

/* properties of Port; the AWS-managed port documents use them all. */
static const field port_fields[] = {
    {"portNumber", F_PORT, 0},
    {"type", F_STRING, 0},
    {"host", F_STRING, 0},
    {"localPortNumber", F_LOCAL_PORT, 0},
    {"localConnectionType", F_STRING, 0},
    {"localUnixSocket", F_STRING, 0},
};

static const char *const shell_oses[] = {"windows", "linux", "macos"};
static const char *const profile_oses[] = {"windows", "linux"};

static bool is_token(const ssmc_node *n)
{
    return n->type == SSMC_NODE_STRING && strstr(n->str, "{{") != NULL;
}

static const field *find_field(const field *fields, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

static void unknown_key(vctx *v, const ssmc_node *key, const char *where, const char *const *names,
                        size_t count)
{
    buf all;
    buf_init(&all);
    for (size_t i = 0; i < count; i++)
        buf_printf(&all, "%s%s", i ? ", " : "", names[i]);
    const char *guess = did_you_mean(key->str, names, count);
    if (guess)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2102, v->file, loc_of_node(key),
                      "unknown key '%s' in %s; did you mean '%s'? (the agent ignores it)", key->str,
                      where, guess);
    else
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2102, v->file, loc_of_node(key),
                      "unknown key '%s' in %s; the agent ignores it (known: %s)", key->str, where,
                      all.data);
    buf_free(&all);
}

/* A decimal number in [min, max] written as text, or -1. */
static long small_number(const char *s, size_t len)
{
    if (len == 0 || len > 6)
        return -1;
    long n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        n = n * 10 + (s[i] - '0');
    }
    return n;
}

static void wrong_type(vctx *v, const ssmc_node *n, const char *name, const char *want)
{
    ssmc_diag_add(v->diags, SSMC_RULE_SSM2103, v->file, loc_of_node(n), "'%s' must be %s, not %s",
                  name, want, ssmc_node_type_phrase(n->type));
}

static void check_minutes(vctx *v, const ssmc_node *n, const field *f)
{
    const char *unit = f->max == 60 ? "1 to 60 minutes" : "1 to 1440 minutes";
    if (n->type == SSMC_NODE_INT) {
        if (n->val.i >= 1 && n->val.i <= f->max)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2103, v->file, loc_of_node(n),
                          "'%s' is a string in the session preferences; write '%lld'", f->name,
                          (long long)n->val.i);
        else
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2104, v->file, loc_of_node(n),
                          "'%s' is %lld; it must be %s, or '' for the default", f->name,
                          (long long)n->val.i, unit);
        return;
    }
    if (n->type != SSMC_NODE_STRING) {
        wrong_type(v, n, f->name, "a string of minutes");
        return;
    }
    if (n->len == 0 || is_token(n))
        return;
    long m = small_number(n->str, n->len);
    if (m < 1 || m > f->max)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2104, v->file, loc_of_node(n),
                      "'%s' is '%s'; it must be %s, or '' for the default", f->name, n->str, unit);
}

static void check_port(vctx *v, const ssmc_node *n, const field *f)
{
    long min = f->kind == F_PORT ? 1 : 0;
    if (n->type == SSMC_NODE_INT) {
        if (n->val.i >= min && n->val.i <= 65535)
            wrong_type(v, n, f->name, "a string");
        else
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2106, v->file, loc_of_node(n),
                          "'%s' is %lld; a port is %ld to 65535", f->name, (long long)n->val.i, min);
        return;
    }
    if (n->type != SSMC_NODE_STRING) {
        wrong_type(v, n, f->name, "a string");
        return;
    }
    if (is_token(n))
        return;
    long p = small_number(n->str, n->len);
    if (p < min || p > 65535)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2106, v->file, loc_of_node(n),
                      "'%s' is '%s'; a port is %ld to 65535", f->name, n->str, min);
}

static bool prefix_ok(const char *s, size_t len)
{
    if (len > 30)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '\r' || c == '\n' || c == '_' || c == ':' || c == '-'))
            return false;
    }
    return true;
}

static void check_value(vctx *v, const ssmc_node *n, const field *f)
{
    if (n->type == SSMC_NODE_NULL)
        return;
    switch (f->kind) {
    case F_STRING:
        if (n->type != SSMC_NODE_STRING)
            wrong_type(v, n, f->name, "a string");
        break;
    case F_BOOL:
    case F_BOOL_STRICT:
        if (n->type == SSMC_NODE_BOOL || (f->kind == F_BOOL && is_token(n)))
            break;
        if (f->kind == F_BOOL && n->type == SSMC_NODE_STRING &&
            (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2108, v->file, loc_of_node(n),
                          "'%s' is the string '%s'; the agent converts it, but a boolean says it "
                          "plainly: %s",
                          f->name, n->str, n->str);
        else
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2103, v->file, loc_of_node(n),
                          "'%s' must be a boolean (true or false), not %s%s%s", f->name,
                          n->type == SSMC_NODE_STRING ? "the string '" : "",
                          n->type == SSMC_NODE_STRING ? n->str : ssmc_node_type_phrase(n->type),
                          n->type == SSMC_NODE_STRING ? "'" : "");
        break;
    case F_MINUTES:
        check_minutes(v, n, f);
        break;
    case F_PORT:
    case F_LOCAL_PORT:
        check_port(v, n, f);
        break;
    case F_PREFIX:
        if (n->type != SSMC_NODE_STRING)
            wrong_type(v, n, f->name, "a string");
        else if (!is_token(n) && !prefix_ok(n->str, n->len))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2109, v->file, loc_of_node(n),
                          "'%s' '%s' does not match ^[0-9a-zA-Z\\r\\n_:-]{0,30}$; the agent refuses "
                          "it ('invalid %s')",
                          f->name, n->str, f->name);
        break;
    case F_PROFILE:
        if (n->type != SSMC_NODE_MAP) {
            wrong_type(v, n, f->name, "a mapping with windows and linux");
            break;
        }
        for (size_t i = 0; i < n->count; i++) {
            const ssmc_node *k = n->pairs[i].key, *val = n->pairs[i].value;
            if (!ssmc_node_is_scalar(k) || !k->str)
                continue;
            if (strcmp(k->str, "windows") != 0 && strcmp(k->str, "linux") != 0)
                unknown_key(v, k, "shellProfile", profile_oses, 2);
            else if (val->type != SSMC_NODE_STRING && val->type != SSMC_NODE_NULL)
                wrong_type(v, val, k->str, "a string of commands");
        }
        break;
    }
}

static void check_fields(vctx *v, const ssmc_node *map, const char *where, const field *fields,
                         size_t count)
{
    const char *names[16];
    for (size_t i = 0; i < count && i < 16; i++)
        names[i] = fields[i].name;
    for (size_t i = 0; i < map->count; i++) {
        const ssmc_node *k = map->pairs[i].key;
        if (!ssmc_node_is_scalar(k) || !k->str)
            continue;
        const field *f = find_field(fields, count, k->str);
        if (!f)
            unknown_key(v, k, where, names, count < 16 ? count : 16);
        else
            check_value(v, map->pairs[i].value, f);
    }
}

static bool truthy(const ssmc_node *n)
{
    return n && ((n->type == SSMC_NODE_BOOL && n->val.b) ||
                 (n->type == SSMC_NODE_STRING && strcmp(n->str, "true") == 0));
}

static void check_inputs(vctx *v, const ssmc_node *inputs, const char *type)
{
    if (inputs->type != SSMC_NODE_MAP) {
        if (inputs->type != SSMC_NODE_NULL)
            wrong_type(v, inputs, "inputs", "a mapping of session preferences");
        return;
    }
    check_fields(v, inputs, "the session preferences (inputs)", input_fields,
                 sizeof input_fields / sizeof input_fields[0]);
    const ssmc_node *run_as = ssmc_map_get(inputs, "runAsEnabled");
    const ssmc_node *user = ssmc_map_get(inputs, "runAsDefaultUser");
    if (truthy(run_as) && (!user || (user->type == SSMC_NODE_STRING && user->len == 0) ||
                           user->type == SSMC_NODE_NULL))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2105, v->file, loc_of_node(run_as),
                      "runAsEnabled is true but runAsDefaultUser is empty: sessions of principals "
                      "without an SSMSessionRunAs tag fail to start; set runAsDefaultUser");
    if (type && strcmp(type, "Port") == 0) {
        ssmc_pair *p = ssmc_map_get_pair(v->root, "inputs");
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2107, v->file, loc_of_node(p->key),
                      "a Port session does not apply the shell preferences of inputs (shellProfile, "
                      "runAs, idle timeout); set them in the Standard_Stream preferences document");
    }
}

static void check_properties(vctx *v, const ssmc_node *props, const char *type)
{
    ssmc_pair *pp = ssmc_map_get_pair(v->root, "properties");
    if (props->type == SSMC_NODE_NULL)
        return;
    if (props->type != SSMC_NODE_MAP) {
        wrong_type(v, props, "properties", "a mapping");
        return;
    }
    if (strcmp(type, "Port") == 0) {
        check_fields(v, props, "the properties of a Port session", port_fields,
                     sizeof port_fields / sizeof port_fields[0]);
        if (!ssmc_map_get(props, "portNumber"))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2106, v->file, loc_of_node(pp->key),
                          "a Port session needs properties.portNumber; the agent fails with 'Port "
                          "number is empty in session properties.'");
        return;
    }
    if (strcmp(type, "Standard_Stream") == 0) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2102, v->file, loc_of_node(pp->key),
                      "a Standard_Stream session does not read properties; put the preferences "
                      "under inputs");
        return;
    }
    for (size_t i = 0; i < props->count; i++) {
        const ssmc_node *k = props->pairs[i].key, *os = props->pairs[i].value;
        if (!ssmc_node_is_scalar(k) || !k->str)
            continue;
        bool known = false;
        for (size_t j = 0; j < 3; j++)
            known = known || strcmp(k->str, shell_oses[j]) == 0;
        if (!known) {
            unknown_key(v, k, "the properties of a commands session", shell_oses, 3);
            continue;
        }
        if (os->type != SSMC_NODE_MAP) {
            if (os->type != SSMC_NODE_NULL)
                wrong_type(v, os, k->str, "a mapping with commands and runAsElevated");
            continue;
        }
        char where[64];
        snprintf(where, sizeof where, "properties.%s", k->str);
        check_fields(v, os, where, shell_fields, sizeof shell_fields / sizeof shell_fields[0]);
    }
}

void session_validate(vctx *v)
{
    ssmc_pair *tp = ssmc_map_get_pair(v->root, "sessionType");
    const char *type = NULL;
    if (!tp) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2101, v->file,
                      span_from_offsets(v->source, v->root->span.start,
                                        v->root->span.start),
                      "a Session document needs sessionType: Standard_Stream, "
                      "InteractiveCommands, NonInteractiveCommands or Port");
    } else if (tp->value->type != SSMC_NODE_STRING) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2101, v->file, loc_of_node(tp->value),
                      "sessionType must be a string: Standard_Stream, InteractiveCommands, "
                      "NonInteractiveCommands or Port");
    } else {
        for (size_t i = 0; i < N_TYPES; i++)
            if (strcmp(tp->value->str, session_types[i]) == 0)
                type = session_types[i];
        if (!type) {
            const char *guess = NULL;
            for (size_t i = 0; i < N_TYPES && !guess; i++)
                if (str_eq_nocase(tp->value->str, session_types[i]))
                    guess = session_types[i];
            if (!guess)
                guess = did_you_mean(tp->value->str, session_types, N_TYPES);
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2101, v->file, loc_of_node(tp->value),
                          "sessionType '%s' is not a session type%s%s%s (Standard_Stream, "
                          "InteractiveCommands, NonInteractiveCommands, Port; case-sensitive)",
                          tp->value->str, guess ? "; did you mean '" : "", guess ? guess : "",
                          guess ? "'?" : "");
        }
    }
    const ssmc_node *inputs = ssmc_map_get(v->root, "inputs");
    if (inputs)
        check_inputs(v, inputs, type);
    else if (type && strcmp(type, "Standard_Stream") == 0)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2107, v->file, loc_of_node(tp->value),
                      "a Standard_Stream document is the session preferences document and has no "
                      "inputs; add inputs (s3BucketName, idleSessionTimeout, ...)");
    const ssmc_node *props = ssmc_map_get(v->root, "properties");
    if (props && type)
        check_properties(v, props, type);
}

/* The names that fit one place of a Session document, for completion in
 * the editor (compiler/lsp/): the i-th, or NULL past the last. */
const char *session_name_at(session_place place, size_t i)
{
    switch (place) {
    case SESSION_TYPES:
        return i < N_TYPES ? session_types[i] : NULL;
    case SESSION_INPUTS:
        return i < sizeof input_fields / sizeof *input_fields ? input_fields[i].name : NULL;
    case SESSION_PORT:
        return i < sizeof port_fields / sizeof *port_fields ? port_fields[i].name : NULL;
    case SESSION_OSES:
        return i < sizeof shell_oses / sizeof *shell_oses ? shell_oses[i] : NULL;
    case SESSION_SHELL:
        return i < sizeof shell_fields / sizeof *shell_fields ? shell_fields[i].name : NULL;
    }
    return NULL;
}
