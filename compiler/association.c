/* association.c — checks of State Manager association files.
 *
 * Field shapes, patterns and ranges: the SSM API model
 * (botocore/data/ssm/2014-11-06/service-2.json, CreateAssociationRequest),
 * the API Reference page CreateAssociation, and spec section 7. Targets:
 * API Reference "Target" and the User Guide page on State Manager targets and
 * rate controls. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "association.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum field_type { T_STRING, T_INT, T_BOOL, T_LIST, T_MAP } field_type;

typedef struct field_rule {
    const char *name;
    field_type type;
    const char *pattern;      /* full-match pattern for strings, or NULL */
    long min, max;            /* string length, integer range, or list size; max 0 = none */
    const char *const *enumeration;
} field_rule;

static const char *const severities[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "UNSPECIFIED", NULL};
static const char *const sync_modes[] = {"AUTO", "MANUAL", NULL};

static const field_rule field_rules[] = {
    {"Name", T_STRING, "^[a-zA-Z0-9_\\-.:/]{3,128}$", 3, 128, NULL},
    {"DocumentVersion", T_STRING, "^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$", 0, 0, NULL},
    {"InstanceId", T_STRING, "^(i-(\\w{8}|\\w{17})|mi-\\w{17})$", 0, 0, NULL},
    {"Parameters", T_MAP, NULL, 0, 0, NULL},
    {"Targets", T_LIST, NULL, 0, 5, NULL},
    {"ScheduleExpression", T_STRING, NULL, 1, 256, NULL},
    {"ScheduleOffset", T_INT, NULL, 1, 6, NULL},
    {"ApplyOnlyAtCronInterval", T_BOOL, NULL, 0, 0, NULL},
    {"AssociationName", T_STRING, "^[a-zA-Z0-9_\\-.]{3,128}$", 3, 128, NULL},
    {"OutputLocation", T_MAP, NULL, 0, 0, NULL},
    {"MaxConcurrency", T_STRING, "^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$", 1, 7, NULL},
    {"MaxErrors", T_STRING, "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$", 1, 7, NULL},
    {"ComplianceSeverity", T_STRING, NULL, 0, 0, severities},
    {"SyncCompliance", T_STRING, NULL, 0, 0, sync_modes},
    {"AutomationTargetParameterName", T_STRING, NULL, 1, 50, NULL},
    {"CalendarNames", T_LIST, NULL, 0, 0, NULL},
    {"TargetLocations", T_LIST, NULL, 1, 100, NULL},
    {"Duration", T_INT, NULL, 1, 24, NULL},
    {"TargetMaps", T_LIST, NULL, 0, 300, NULL},
    {"AssociationDispatchAssumeRole", T_STRING, "^arn:aws(-[^:]+)?:iam::[0-9]{12}:role/.+$", 1, 512, NULL},
    {"Tags", T_LIST, NULL, 0, 1000, NULL},
    {"AlarmConfiguration", T_MAP, NULL, 0, 0, NULL},
};
#define N_FIELDS (sizeof field_rules / sizeof field_rules[0])

static const char *const type_names[] = {"a string", "an integer", "a boolean (true or false)", "a list",
                                         "a mapping"};

typedef struct actx {
    const ssmc_sources *sources;
    const ssmc_node *root;
    ssmc_diags *diags;
    association_info *info;
} actx;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

/* Does pattern match somewhere in s? (API patterns carry their own anchors;
 * allowedPattern is searched unanchored, as the agent does.) */
static bool regex_test(const char *pattern, const char *s, size_t len)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
    if (!re)
        return true;    /* a pattern we cannot compile is another rule's business */
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return rc >= 0;
}

static bool is_string(const ssmc_node *n) { return n && n->type == SSMC_NODE_STRING; }

static bool type_ok(const ssmc_node *n, field_type t)
{
    switch (t) {
    case T_STRING: return n->type == SSMC_NODE_STRING;
    case T_INT: return n->type == SSMC_NODE_INT;
    case T_BOOL: return n->type == SSMC_NODE_BOOL;
    case T_LIST: return n->type == SSMC_NODE_SEQ;
    case T_MAP: return n->type == SSMC_NODE_MAP;
    }
    return false;
}

static const char *node_kind(const ssmc_node *n)
{
    switch (n->type) {
    case SSMC_NODE_NULL: return "null";
    case SSMC_NODE_BOOL: return "a boolean";
    case SSMC_NODE_INT: return "an integer";
    case SSMC_NODE_FLOAT: return "a number";
    case SSMC_NODE_STRING: return "a string";
    case SSMC_NODE_SEQ: return "a list";
    case SSMC_NODE_MAP: return "a mapping";
    }
    return "a value";
}

/* A scalar written unquoted that YAML read as a number or boolean. */
static bool quotable(const ssmc_node *n)
{
    return n->type == SSMC_NODE_INT || n->type == SSMC_NODE_FLOAT || n->type == SSMC_NODE_BOOL;
}

static void type_error(actx *c, const ssmc_node *n, const char *what, const char *want)
{
    ssmc_diag_add(c->diags, SSMC_RULE_SSM7022, n->file, span_of_node(n), "%s must be %s, not %s%s", what, want,
                  node_kind(n), quotable(n) && strcmp(want, "a string") == 0 ? "; quote it" : "");
}

static const ssmc_node *get(const ssmc_node *map, const char *key)
{
    return map && map->type == SSMC_NODE_MAP ? ssmc_map_get(map, key) : NULL;
}

static const ssmc_node *key_of(const ssmc_node *map, const char *key)
{
    ssmc_pair *p = map && map->type == SSMC_NODE_MAP ? ssmc_map_get_pair(map, key) : NULL;
    return p ? p->key : NULL;
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */
/* ------------------------------------------------------------------ */

static void check_field(actx *c, const field_rule *r, const ssmc_node *v)
{
    if (!type_ok(v, r->type)) {
        type_error(c, v, r->name, type_names[r->type]);
        return;
    }
    if (r->type == T_STRING) {
        size_t n = utf8_count(v->str, v->len);
        if (r->enumeration) {
            const char *const *e = r->enumeration;
            bool found = false;
            size_t count = 0;
            for (; e[count]; count++)
                found = found || strcmp(e[count], v->str) == 0;
            if (!found) {
                const char *guess = did_you_mean(v->str, r->enumeration, count);
                buf b;
                buf_init(&b);
                for (size_t i = 0; i < count; i++)
                    buf_printf(&b, "%s%s", i ? ", " : "", e[i]);
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, span_of_node(v),
                              "%s '%s' is not one of %s%s%s%s", r->name, v->str, b.data, guess ? "; did you mean '" : "",
                              guess ? guess : "", guess ? "'?" : "");
                buf_free(&b);
            }
            return;
        }
        if ((r->min && (long)n < r->min) || (r->max && (long)n > r->max)) {
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, span_of_node(v),
                          "%s is %zu characters long; it must be %ld to %ld", r->name, n, r->min, r->max);
            return;
        }
        if (r->pattern && !regex_test(r->pattern, v->str, v->len)) {
            const char *fix = "";
            if (strcmp(r->name, "MaxConcurrency") == 0)
                fix = "; use a number of targets from 1 or a percentage from 1% to 100% (for example 10%)";
            else if (strcmp(r->name, "MaxErrors") == 0)
                fix = "; use a number of errors from 0 or a percentage from 0% to 100% (for example 10%)";
            else if (strcmp(r->name, "DocumentVersion") == 0)
                fix = "; use $LATEST, $DEFAULT or a version number such as 3";
            else if (strcmp(r->name, "InstanceId") == 0)
                fix = "; an instance id is i- followed by 8 or 17 characters, or mi- and 17";
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, span_of_node(v),
                          "%s '%s' does not match the API pattern %s%s", r->name, v->str, r->pattern, fix);
        }
    } else if (r->type == T_INT) {
        if (v->val.i < r->min || v->val.i > r->max)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7024, v->file, span_of_node(v), "%s is %lld; it must be %ld to %ld%s",
                          r->name, (long long)v->val.i, r->min, r->max,
                          strcmp(r->name, "ScheduleOffset") == 0 ? " (days)" : " (hours)");
    } else if (r->type == T_LIST && r->max && (long)v->count > r->max) {
        const ssmc_node *extra = v->items[r->max];
        ssmc_diag_add(c->diags, r->name[0] == 'T' && strcmp(r->name, "Targets") == 0 ? SSMC_RULE_SSM7028
                                                                                      : SSMC_RULE_SSM7023,
                      extra->file, span_of_node(extra), "%s has %zu entries; at most %ld are allowed", r->name,
                      v->count, r->max);
    } else if (r->type == T_LIST && r->min && (long)v->count < r->min) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, span_of_node(v), "%s needs at least %ld entr%s",
                      r->name, r->min, r->min == 1 ? "y" : "ies");
    }
}

static void check_string_list(actx *c, const ssmc_node *list, const char *what)
{
    if (list->type != SSMC_NODE_SEQ)
        return;
    for (size_t i = 0; i < list->count; i++)
        if (!is_string(list->items[i]))
            type_error(c, list->items[i], what, "a string");
}

/* ------------------------------------------------------------------ */
/* Targets                                                             */
/* ------------------------------------------------------------------ */

static const char *const fixed_keys[] = {"InstanceIds", "tag-key", "resource-groups:Name",
                                         "resource-groups:ResourceTypeFilters", "ResourceGroup",
                                         "ParameterValues", "AWS::EC2::Instance"};
#define N_FIXED_KEYS (sizeof fixed_keys / sizeof fixed_keys[0])

static void check_target_key(actx *c, const ssmc_node *key)
{
    const char *k = key->str;
    size_t len = key->len;
    if (len < 1 || len > 163) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, key->file, span_of_node(key),
                      "a target Key is 1 to 163 characters long, this one %zu", len);
        return;
    }
    if (strncmp(k, "tag:", 4) == 0) {
        if (len == 4)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7027, key->file, span_of_node(key),
                          "'tag:' needs the tag's key after it, as in tag:Environment");
        return;
    }
    for (size_t i = 0; i < N_FIXED_KEYS; i++)
        if (strcmp(k, fixed_keys[i]) == 0)
            return;
    if (str_eq_nocase(k, "InstanceIds"))
        return;    /* the User Guide writes instanceids as well */
    /* "tags:Env", "Tag:Env", "tag=Env": a misspelt tag: prefix. */
    const char *colon = strpbrk(k, ":=");
    if (colon && colon[1]) {
        char prefix[8] = {0};
        size_t pl = (size_t)(colon - k);
        if (pl > 0 && pl < sizeof prefix) {
            memcpy(prefix, k, pl);
            if (edit_distance(prefix, "tag", 1) <= 1 && strncmp(k, "resource", 8) != 0) {
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7027, key->file, span_of_node(key),
                              "unknown target key '%s'; did you mean 'tag:%s'?", k, colon + 1);
                return;
            }
        }
    }
    const char *guess = did_you_mean(k, fixed_keys, N_FIXED_KEYS);
    if (guess)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7027, key->file, span_of_node(key),
                      "unknown target key '%s'; did you mean '%s'?", k, guess);
    else
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7027, key->file, span_of_node(key),
                      "unknown target key '%s'; use tag:<tag-key>, tag-key, InstanceIds, resource-groups:Name "
                      "or resource-groups:ResourceTypeFilters", k);
}

static void check_target(actx *c, const ssmc_node *t)
{
    if (t->type != SSMC_NODE_MAP) {
        type_error(c, t, "a target", "a mapping with Key and Values");
        return;
    }
    for (size_t i = 0; i < t->count; i++) {
        const ssmc_node *k = t->pairs[i].key;
        if (is_string(k) && strcmp(k->str, "Key") != 0 && strcmp(k->str, "Values") != 0) {
            static const char *const names[] = {"Key", "Values"};
            const char *guess = did_you_mean(k->str, names, 2);
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7021, k->file, span_of_node(k),
                          "unknown field '%s' in a target; a target has Key and Values%s%s%s", k->str,
                          guess ? " (did you mean '" : "", guess ? guess : "", guess ? "'?)" : "");
        }
    }
    const ssmc_node *key = get(t, "Key"), *values = get(t, "Values");
    if (!key) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7022, t->file, span_of_node(t), "a target needs a Key");
    } else if (!is_string(key)) {
        type_error(c, key, "a target's Key", "a string");
        key = NULL;
    } else {
        check_target_key(c, key);
    }
    if (!values) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, t->file, span_of_node(t),
                      "a target without Values matches nothing; add Values");
        return;
    }
    if (values->type != SSMC_NODE_SEQ) {
        type_error(c, values, "a target's Values", "a list of strings");
        return;
    }
    check_string_list(c, values, "a target value");
    if (values->count == 0)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, values->file, span_of_node(values),
                      "a target with no values matches nothing");
    else if (values->count > 50)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, values->items[50]->file, span_of_node(values->items[50]),
                      "a target has %zu values; at most 50 are allowed", values->count);
    if (!key)
        return;
    if (strcmp(key->str, "resource-groups:Name") == 0 && values->count > 1)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, values->items[1]->file, span_of_node(values->items[1]),
                      "resource-groups:Name takes one resource group; make one target per group");
    if (strcmp(key->str, "resource-groups:ResourceTypeFilters") == 0 && values->count > 5)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, values->items[5]->file, span_of_node(values->items[5]),
                      "resource-groups:ResourceTypeFilters takes at most 5 resource types");
    if (str_eq_nocase(key->str, "InstanceIds")) {
        for (size_t i = 0; i < values->count; i++) {
            const ssmc_node *v = values->items[i];
            if (is_string(v) && strcmp(v->str, "*") != 0 &&
                !regex_test(field_rules[2].pattern, v->str, v->len))
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, span_of_node(v),
                              "'%s' is not an instance id (i- followed by 8 or 17 characters, or mi- and 17), "
                              "nor * for every managed node", v->str);
        }
    }
}

/* ------------------------------------------------------------------ */
/* The document the association runs                                   */
/* ------------------------------------------------------------------ */

static size_t squash(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++)
        if (s[i] != '-' && s[i] != '_' && s[i] != '.' && s[i] != ' ')
            out[n++] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
    return n;
}

bool association_name_matches_file(const char *name, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    static const char *const exts[] = {".yaml", ".yml", ".json"};
    for (size_t i = 0; i < 3; i++) {
        size_t el = strlen(exts[i]);
        if (len > el && str_eq_nocase(base + len - el, exts[i])) {
            len -= el;
            break;
        }
    }
    char a[160], b[160];
    if (strlen(name) >= sizeof a || len >= sizeof b)
        return false;
    squash(name, strlen(name), a, sizeof a);
    squash(base, len, b, sizeof b);
    return a[0] && strcmp(a, b) == 0;
}

bool association_is_managed_name(const char *name)
{
    static const char *const prefixes[] = {"AWS-", "AWSSupport-", "AWSEC2-", "AWSConfigRemediation-",
                                           "AWSFleetManager-", "AWSQuickSetup", "AmazonCloudWatch-",
                                           "AmazonInspector", "AmazonEKS", "AWSPowerShell", "arn:"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* The run's other files are in the source table; the named document is
 * loaded again from it (documents are small), so that the stage needs
 * nothing beyond the vctx it is given. */
static ssmc_document *find_document(actx *c, const char *name, uint32_t self)
{
    for (uint32_t i = 0; i < c->sources->count; i++) {
        if (i == self || !association_name_matches_file(name, c->sources->items[i]->name))
            continue;
        ssmc_diags scratch = {0};
        ssmc_document *doc = ssmc_load(c->sources, i, NULL, &scratch);
        ssmc_diags_free(&scratch);
        if (doc->root && doc->root->type == SSMC_NODE_MAP && ssmc_map_get(doc->root, "schemaVersion"))
            return doc;
        ssmc_document_free(doc);
    }
    return NULL;
}

static const char *param_type(const ssmc_node *decl)
{
    const ssmc_node *t = get(decl, "type");
    return is_string(t) ? t->str : "String";
}

static void check_param_value(actx *c, const char *pname, const ssmc_node *decl, const ssmc_node *v)
{
    if (!is_string(v))
        return;
    if (strstr(v->str, "{{"))
        return;    /* {{ssm:...}} and the like resolve at run time */
    const char *type = param_type(decl);
    if (strcmp(type, "Integer") == 0) {
        const char *s = v->str;
        if (*s == '-')
            s++;
        bool ok = *s != '\0';
        for (; *s; s++)
            ok = ok && isdigit((unsigned char)*s);
        if (!ok) {
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->file, span_of_node(v),
                          "parameter '%s' is an Integer; '%s' is not an integer", pname, v->str);
            return;
        }
    } else if (strcmp(type, "Boolean") == 0) {
        if (strcmp(v->str, "true") != 0 && strcmp(v->str, "false") != 0) {
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->file, span_of_node(v),
                          "parameter '%s' is a Boolean; use true or false, not '%s'", pname, v->str);
            return;
        }
    }
    const ssmc_node *allowed = get(decl, "allowedValues");
    if (allowed && allowed->type == SSMC_NODE_SEQ && allowed->count) {
        bool found = false;
        const char *names[64];
        size_t n = 0;
        for (size_t i = 0; i < allowed->count; i++) {
            const ssmc_node *a = allowed->items[i];
            if (!ssmc_node_is_scalar(a) || !a->str)
                continue;
            if (strcmp(a->str, v->str) == 0)
                found = true;
            if (n < 64)
                names[n++] = a->str;
        }
        if (!found) {
            const char *guess = did_you_mean(v->str, names, n);
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->file, span_of_node(v),
                          "'%s' is not one of the allowedValues of parameter '%s'%s%s%s", v->str, pname,
                          guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
            return;
        }
    }
    const ssmc_node *pattern = get(decl, "allowedPattern");
    if (is_string(pattern) && !regex_test(pattern->str, v->str, v->len))
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->file, span_of_node(v),
                      "'%s' does not match the allowedPattern %s of parameter '%s'", v->str, pattern->str, pname);
}

static void check_parameters(actx *c, const ssmc_node *params, const ssmc_node *doc_root, const ssmc_node *name)
{
    const ssmc_node *decls = get(doc_root, "parameters");
    if (decls && decls->type != SSMC_NODE_MAP)
        decls = NULL;
    if (params && params->type == SSMC_NODE_MAP) {
        const char *names[256];
        size_t n = 0;
        for (size_t i = 0; decls && i < decls->count && n < 256; i++)
            if (is_string(decls->pairs[i].key))
                names[n++] = decls->pairs[i].key->str;
        for (size_t i = 0; i < params->count; i++) {
            const ssmc_node *k = params->pairs[i].key, *v = params->pairs[i].value;
            if (!is_string(k))
                continue;
            const ssmc_node *decl = decls ? ssmc_map_get(decls, k->str) : NULL;
            if (!decl) {
                const char *guess = did_you_mean(k->str, names, n);
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7031, k->file, span_of_node(k),
                              "parameter '%s' is not declared by document '%s'%s%s%s", k->str, name->str,
                              guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
                continue;
            }
            if (v->type != SSMC_NODE_SEQ)
                continue;    /* reported as a type error already */
            const char *type = param_type(decl);
            bool list = strcmp(type, "StringList") == 0 || strcmp(type, "MapList") == 0;
            if (!list && v->count > 1)
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->items[1]->file, span_of_node(v->items[1]),
                              "parameter '%s' is a %s and takes one value; the agent would use only the first",
                              k->str, type);
            for (size_t j = 0; j < v->count; j++)
                check_param_value(c, k->str, decl, v->items[j]);
        }
    }
    for (size_t i = 0; decls && i < decls->count; i++) {
        const ssmc_node *k = decls->pairs[i].key, *decl = decls->pairs[i].value;
        if (!is_string(k) || !decl || decl->type != SSMC_NODE_MAP || ssmc_map_get(decl, "default"))
            continue;
        if (params && params->type == SSMC_NODE_MAP && ssmc_map_get(params, k->str))
            continue;
        const ssmc_node *at = params && params->type == SSMC_NODE_MAP ? key_of(c->root, "Parameters") : name;
        ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7032, at->file, span_of_node(at),
                                     "document '%s' requires parameter '%s' (it has no default); add it to "
                                     "Parameters", name->str, k->str);
        ssmc_diag_add_related(d, k->file, span_of_node(k), "'%s' is declared here", k->str);
    }
}

static void check_against_document(actx *c, const ssmc_node *name)
{
    if (!is_string(name) || association_is_managed_name(name->str))
        return;
    ssmc_document *doc = find_document(c, name->str, c->root->file);
    if (!doc) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7030, name->file, span_of_node(name),
                      "document '%s' is not among the checked files; its parameters are not checked (give its "
                      "file, e.g. %s.yaml, on the same command line)", name->str, name->str);
        return;
    }
    const ssmc_node *iid_key = key_of(c->root, "InstanceId");
    const ssmc_node *sv = get(doc->root, "schemaVersion");
    if (iid_key && sv && ssmc_node_is_scalar(sv) && sv->str && atoi(sv->str) >= 2) {
        ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7026, iid_key->file, span_of_node(iid_key),
                                     "InstanceId cannot be used with document '%s' (schemaVersion %s); use "
                                     "Targets with Key: InstanceIds", name->str, sv->str);
        ssmc_diag_add_related(d, sv->file, span_of_node(sv), "the document's schemaVersion");
    }
    check_parameters(c, get(c->root, "Parameters"), doc->root, name);
    ssmc_document_free(doc);
}

/* ------------------------------------------------------------------ */
/* The association                                                     */
/* ------------------------------------------------------------------ */

static void check_schedule_options(actx *c)
{
    const ssmc_node *expr = get(c->root, "ScheduleExpression");
    const ssmc_node *aoci = get(c->root, "ApplyOnlyAtCronInterval");
    const ssmc_node *offset_key = key_of(c->root, "ScheduleOffset");
    const ssmc_node *duration_key = key_of(c->root, "Duration");
    bool apply_only = aoci && aoci->type == SSMC_NODE_BOOL && aoci->val.b;
    bool is_rate = is_string(expr) && expr->len >= 5 && strncmp(expr->str, "rate(", 5) == 0;
    if (apply_only && is_rate)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, aoci->file, span_of_node(aoci),
                      "ApplyOnlyAtCronInterval isn't supported for rate expressions; use a cron expression or "
                      "remove it");
    if (offset_key) {
        if (is_rate)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, offset_key->file, span_of_node(offset_key),
                          "ScheduleOffset works with cron expressions only, not with %s", expr->str);
        else if (!expr)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, offset_key->file, span_of_node(offset_key),
                          "ScheduleOffset needs a cron ScheduleExpression");
        else if (!apply_only)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, offset_key->file, span_of_node(offset_key),
                          "ScheduleOffset needs ApplyOnlyAtCronInterval: true");
    }
    if (duration_key && !apply_only)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, duration_key->file, span_of_node(duration_key),
                      "Duration needs ApplyOnlyAtCronInterval: true");
}

static void check_exclusive(actx *c)
{
    const ssmc_node *iid = key_of(c->root, "InstanceId");
    static const char *const excluded[] = {"Targets", "AssociationName", "DocumentVersion", "MaxErrors",
                                           "MaxConcurrency", "OutputLocation", "ScheduleExpression", "TargetMaps"};
    for (size_t i = 0; iid && i < sizeof excluded / sizeof excluded[0]; i++) {
        const ssmc_node *k = key_of(c->root, excluded[i]);
        if (k) {
            ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7025, k->file, span_of_node(k),
                                         "%s cannot be used together with InstanceId (deprecated); use Targets "
                                         "with Key: InstanceIds instead of InstanceId", excluded[i]);
            ssmc_diag_add_related(d, iid->file, span_of_node(iid), "InstanceId is set here");
        }
    }
    const ssmc_node *targets = key_of(c->root, "Targets"), *maps = key_of(c->root, "TargetMaps");
    if (targets && maps) {
        ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7025, maps->file, span_of_node(maps),
                                     "TargetMaps and Targets exclude each other; keep one");
        ssmc_diag_add_related(d, targets->file, span_of_node(targets), "Targets is set here");
    }
}

void association_check_tree(const ssmc_sources *sources, const ssmc_node *root, ssmc_diags *diags,
                            association_info *info)
{
    if (!root || root->type != SSMC_NODE_MAP)
        return;
    actx c = {sources, root, diags, info};
    static const char *names[N_FIELDS];
    for (size_t i = 0; i < N_FIELDS; i++)
        names[i] = field_rules[i].name;
    for (size_t i = 0; i < root->count; i++) {
        const ssmc_node *k = root->pairs[i].key, *v = root->pairs[i].value;
        if (!is_string(k))
            continue;
        const field_rule *r = NULL;
        for (size_t j = 0; j < N_FIELDS; j++)
            if (strcmp(field_rules[j].name, k->str) == 0)
                r = &field_rules[j];
        if (!r) {
            const char *guess = did_you_mean(k->str, names, N_FIELDS);
            if (guess)
                ssmc_diag_add(diags, SSMC_RULE_SSM7021, k->file, span_of_node(k),
                              "unknown association field '%s'; did you mean '%s'?", k->str, guess);
            else
                ssmc_diag_add(diags, SSMC_RULE_SSM7021, k->file, span_of_node(k),
                              "unknown association field '%s' (CreateAssociation has no such field)", k->str);
            continue;
        }
        check_field(&c, r, v);
        if (!type_ok(v, r->type))
            continue;
        if (strcmp(r->name, "Targets") == 0) {
            for (size_t j = 0; j < v->count; j++)
                check_target(&c, v->items[j]);
        } else if (strcmp(r->name, "CalendarNames") == 0) {
            check_string_list(&c, v, "a calendar name");
        } else if (strcmp(r->name, "Parameters") == 0) {
            for (size_t j = 0; j < v->count; j++) {
                const ssmc_node *pv = v->pairs[j].value;
                char what[160];
                snprintf(what, sizeof what, "the value of parameter '%s'",
                         is_string(v->pairs[j].key) ? v->pairs[j].key->str : "?");
                if (pv->type != SSMC_NODE_SEQ)
                    type_error(&c, pv, what, "a list of strings (the API takes lists, e.g. [value])");
                else
                    check_string_list(&c, pv, "a parameter value");
            }
        } else if (strcmp(r->name, "ScheduleExpression") == 0) {
            schedule_where where = schedule_where_node(sources, v);
            schedule s;
            if (schedule_parse(v->str, v->len, SCHEDULE_ASSOCIATION, &where, diags, &s) && info) {
                info->schedule = s;
                free(info->expression);
                info->expression = xstrndup(v->str, v->len);
            }
        }
    }
    const ssmc_node *name = get(root, "Name");
    if (!name)
        ssmc_diag_add(diags, SSMC_RULE_SSM7020, root->file, span_from_offsets(
                          ssmc_sources_get(sources, root->file), root->span.start.offset, root->span.start.offset),
                      "association has no Name: add the document to run, e.g. Name: AWS-RunShellScript");
    check_exclusive(&c);
    check_schedule_options(&c);
    if (name)
        check_against_document(&c, name);
}

void association_info_free(association_info *info)
{
    free(info->expression);
    info->expression = NULL;
}

void association_validate(vctx *v)
{
    association_check_tree(v->sources, v->root, v->diags, NULL);
}
