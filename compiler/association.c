/* association.c — checks of State Manager association files.
 *
 * Field shapes, patterns and ranges: the SSM API model
 * (botocore/data/ssm/2014-11-06/service-2.json, CreateAssociationRequest),
 * the API Reference page CreateAssociation, and spec section 7. Targets:
 * API Reference "Target" and the User Guide page on State Manager targets and
 * rate controls. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "association.h"

#include "catalogue.h"
#include "doc_lookup.h"
#include "inventory.h"

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
    const ssmc_config *config;     /* doc_paths, inventory; may be NULL */
    ssmc_diags *diags;
    association_info *info;
    const ssmc_node *document_root; /* association_check_embedded's, or NULL */
    bool name_is_value;
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
    /* Go's RE2: '$' matches only at the very end, never before a final \n. */
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &err, &off, NULL);
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

/* A scalar written unquoted that YAML read as a number or boolean. */
static bool quotable(const ssmc_node *n)
{
    return n->type == SSMC_NODE_INT || n->type == SSMC_NODE_FLOAT || n->type == SSMC_NODE_BOOL;
}

static void type_error(actx *c, const ssmc_node *n, const char *what, const char *want)
{
    ssmc_diag_add(c->diags, SSMC_RULE_SSM7022, n->file, loc_of_node(n), "%s must be %s, not %s%s", what, want,
                  ssmc_node_type_phrase(n->type), quotable(n) && strcmp(want, "a string") == 0 ? "; quote it" : "");
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
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, loc_of_node(v),
                              "%s '%s' is not one of %s%s%s%s", r->name, v->str, b.data, guess ? "; did you mean '" : "",
                              guess ? guess : "", guess ? "'?" : "");
                buf_free(&b);
            }
            return;
        }
        /* "50 percent", "50 %", "50pct": the number meant is clear. */
        char pct[32] = "";
        bool percent_field = strcmp(r->name, "MaxConcurrency") == 0 ||
                             strcmp(r->name, "MaxErrors") == 0;
        if (percent_field) {
            size_t k = 0;
            while (k < v->len && k < 3 && v->str[k] >= '0' && v->str[k] <= '9')
                k++;
            size_t rest = k;
            while (rest < v->len && v->str[rest] == ' ')
                rest++;
            const char *tail = v->str + rest;
            if (k > 0 && (str_eq_nocase(tail, "percent") || str_eq_nocase(tail, "pct") ||
                          strcmp(tail, "%") == 0))
                snprintf(pct, sizeof pct, "%.*s%%", (int)k, v->str);
        }
        if (pct[0] && r->pattern && strcmp(pct, v->str) != 0) {
            ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, loc_of_node(v),
                                         "%s '%s' is not a number or a percentage; write '%s'",
                                         r->name, v->str, pct);
            if (regex_test(r->pattern, pct, strlen(pct)))
                fix_replace_scalar(d, c->sources, v, pct, false);
            return;
        }
        if ((r->min && (long)n < r->min) || (r->max && (long)n > r->max)) {
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, loc_of_node(v),
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
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, loc_of_node(v),
                          "%s '%s' does not match the API pattern %s%s", r->name, v->str, r->pattern, fix);
        }
    } else if (r->type == T_INT) {
        if (v->val.i < r->min || v->val.i > r->max)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7024, v->file, loc_of_node(v), "%s is %lld; it must be %ld to %ld%s",
                          r->name, (long long)v->val.i, r->min, r->max,
                          strcmp(r->name, "ScheduleOffset") == 0 ? " (days)" : " (hours)");
    } else if (r->type == T_LIST && r->max && (long)v->count > r->max) {
        const ssmc_node *extra = v->items[r->max];
        ssmc_diag_add(c->diags, r->name[0] == 'T' && strcmp(r->name, "Targets") == 0 ? SSMC_RULE_SSM7028
                                                                                      : SSMC_RULE_SSM7023,
                      extra->file, loc_of_node(extra), "%s has %zu entries; at most %ld are allowed", r->name,
                      (size_t)v->count, r->max);
    } else if (r->type == T_LIST && r->min && (long)v->count < r->min) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, loc_of_node(v), "%s needs at least %ld entr%s",
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
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, key->file, loc_of_node(key),
                      "a target Key is 1 to 163 characters long, this one %zu", len);
        return;
    }
    if (strncmp(k, "tag:", 4) == 0) {
        if (len == 4)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7027, key->file, loc_of_node(key),
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
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7027, key->file, loc_of_node(key),
                              "unknown target key '%s'; did you mean 'tag:%s'?", k, colon + 1);
                return;
            }
        }
    }
    const char *guess = did_you_mean(k, fixed_keys, N_FIXED_KEYS);
    if (guess)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7027, key->file, loc_of_node(key),
                      "unknown target key '%s'; did you mean '%s'?", k, guess);
    else
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7027, key->file, loc_of_node(key),
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
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7021, k->file, loc_of_node(k),
                          "unknown field '%s' in a target; a target has Key and Values%s%s%s", k->str,
                          guess ? " (did you mean '" : "", guess ? guess : "", guess ? "'?)" : "");
        }
    }
    const ssmc_node *key = get(t, "Key"), *values = get(t, "Values");
    if (!key) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7022, t->file, loc_of_node(t), "a target needs a Key");
    } else if (!is_string(key)) {
        type_error(c, key, "a target's Key", "a string");
        key = NULL;
    } else {
        check_target_key(c, key);
    }
    if (!values) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, t->file, loc_of_node(t),
                      "a target without Values matches nothing; add Values");
        return;
    }
    if (values->type != SSMC_NODE_SEQ) {
        type_error(c, values, "a target's Values", "a list of strings");
        return;
    }
    check_string_list(c, values, "a target value");
    if (values->count == 0)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, values->file, loc_of_node(values),
                      "a target with no values matches nothing");
    else if (values->count > 50)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, values->items[50]->file, loc_of_node(values->items[50]),
                      "a target has %zu values; at most 50 are allowed", (size_t)values->count);
    if (!key)
        return;
    if (strcmp(key->str, "resource-groups:Name") == 0 && values->count > 1)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, values->items[1]->file, loc_of_node(values->items[1]),
                      "resource-groups:Name takes one resource group; make one target per group");
    if (strcmp(key->str, "resource-groups:ResourceTypeFilters") == 0 && values->count > 5)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7028, values->items[5]->file, loc_of_node(values->items[5]),
                      "resource-groups:ResourceTypeFilters takes at most 5 resource types");
    if (str_eq_nocase(key->str, "InstanceIds")) {
        for (size_t i = 0; i < values->count; i++) {
            const ssmc_node *v = values->items[i];
            if (is_string(v) && strcmp(v->str, "*") != 0 &&
                !regex_test(field_rules[2].pattern, v->str, v->len))
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7023, v->file, loc_of_node(v),
                              "'%s' is not an instance id (i- followed by 8 or 17 characters, or mi- and 17), "
                              "nor * for every managed node", v->str);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Nested structures: OutputLocation, TargetMaps, TargetLocations,     */
/* Tags, AlarmConfiguration                                            */
/* ------------------------------------------------------------------ */

/* Shapes, lengths and patterns as in the SSM API model (botocore
 * data/ssm/2014-11-06/service-2.json: InstanceAssociationOutputLocation,
 * S3OutputLocation, TargetMaps, TargetMap, TargetLocation, TagList, Tag,
 * AlarmConfiguration, Alarm). The bounds of the top-level lists are
 * field_rules' business. */
typedef struct shape shape;
typedef struct member {
    const char *name;
    const shape *shape;
    bool required;
} member;
struct shape {
    field_type type;            /* T_MAP: a structure when members is set, else a map */
    long min, max;              /* string length or entry count; max 0 = none */
    const char *pattern;        /* searched, as the service does with model patterns */
    const member *members;      /* NULL-terminated */
    const shape *item;          /* list member, map value */
    const shape *key;           /* map key */
    void (*extra)(actx *c, ssmc_rule rule, const char *path, const ssmc_node *n);
};

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* Amazon S3 User Guide, "General purpose bucket naming rules": lowercase
 * letters, numbers, periods and hyphens; a letter or number first and last;
 * no two adjacent periods; not an IP address. */
static void bucket_rules(actx *c, ssmc_rule rule, const char *path, const ssmc_node *n)
{
    const char *s = n->str;
    const char *why = NULL;
    for (const char *p = s; *p && !why; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
            why = *p >= 'A' && *p <= 'Z' ? "has uppercase letters; bucket names are lowercase"
                                         : "has characters other than a-z, 0-9, '.' and '-'";
    size_t len = strlen(s);
    if (!why && len && (!isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[len - 1])))
        why = "must begin and end with a letter or number";
    if (!why && strstr(s, ".."))
        why = "has two adjacent periods";
    if (!why) {
        int dots = 0;
        bool ip = true;
        for (const char *p = s; *p; p++)
            dots += *p == '.', ip = ip && (*p == '.' || isdigit((unsigned char)*p));
        if (ip && dots == 3)
            why = "is formatted as an IP address";
    }
    if (why)
        ssmc_diag_add(c->diags, rule, n->file, loc_of_node(n),
                      "%s '%s' is not a valid S3 bucket name: it %s (S3 bucket naming rules)", path, s, why);
}

static void targets_inside(actx *c, ssmc_rule rule, const char *path, const ssmc_node *n);

static const shape sh_string = {T_STRING, 0, 0, NULL, NULL, NULL, NULL, NULL};
static const shape sh_bool = {T_BOOL, 0, 0, NULL, NULL, NULL, NULL, NULL};
static const shape sh_max_concurrency = {T_STRING, 1, 7, "^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$",
                                         NULL, NULL, NULL, NULL};
static const shape sh_max_errors = {T_STRING, 1, 7, "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$",
                                    NULL, NULL, NULL, NULL};

/* OutputLocation */
static const shape sh_s3_region = {T_STRING, 3, 20, NULL, NULL, NULL, NULL, NULL};
static const shape sh_s3_bucket = {T_STRING, 3, 63, NULL, NULL, NULL, NULL, bucket_rules};
static const shape sh_s3_prefix = {T_STRING, 0, 500, NULL, NULL, NULL, NULL, NULL};
static const member s3_members[] = {{"OutputS3Region", &sh_s3_region, false},
                                    {"OutputS3BucketName", &sh_s3_bucket, false},
                                    {"OutputS3KeyPrefix", &sh_s3_prefix, false},
                                    {NULL, NULL, false}};
static const shape sh_s3_location = {T_MAP, 0, 0, NULL, s3_members, NULL, NULL, NULL};
static const member output_members[] = {{"S3Location", &sh_s3_location, false}, {NULL, NULL, false}};
static const shape sh_output_location = {T_MAP, 0, 0, NULL, output_members, NULL, NULL, NULL};

/* TargetMaps */
static const shape sh_target_map_value = {T_STRING, 1, 50, NULL, NULL, NULL, NULL, NULL};
static const shape sh_target_map_values = {T_LIST, 0, 25, NULL, NULL, &sh_target_map_value, NULL, NULL};
static const shape sh_target_map_key = {T_STRING, 1, 50, NULL, NULL, NULL, NULL, NULL};
static const shape sh_target_map = {T_MAP, 1, 20, NULL, NULL, &sh_target_map_values, &sh_target_map_key, NULL};
static const shape sh_target_maps = {T_LIST, 0, 0, NULL, NULL, &sh_target_map, NULL, NULL};

/* AlarmConfiguration */
static const shape sh_alarm_name = {T_STRING, 1, 255, "^(?!\\s*$).+", NULL, NULL, NULL, NULL};
static const member alarm_members[] = {{"Name", &sh_alarm_name, true}, {NULL, NULL, false}};
static const shape sh_alarm = {T_MAP, 0, 0, NULL, alarm_members, NULL, NULL, NULL};
static const shape sh_alarm_list = {T_LIST, 1, 1, NULL, NULL, &sh_alarm, NULL, NULL};
static const member alarm_config_members[] = {{"IgnorePollAlarmFailure", &sh_bool, false},
                                              {"Alarms", &sh_alarm_list, true},
                                              {NULL, NULL, false}};
static const shape sh_alarm_config = {T_MAP, 0, 0, NULL, alarm_config_members, NULL, NULL, NULL};

/* TargetLocations */
static const shape sh_accounts = {T_LIST, 1, 50, NULL, NULL, &sh_string, NULL, NULL};
static const shape sh_regions = {T_LIST, 1, 50, NULL, NULL, &sh_string, NULL, NULL};
static const shape sh_role_name = {T_STRING, 1, 64, "[\\w+=,.@/-]+", NULL, NULL, NULL, NULL};
static const shape sh_exclude_account = {T_STRING, 6, 68, "^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})|(\\d{12})$",
                                         NULL, NULL, NULL, NULL};
static const shape sh_exclude_accounts = {T_LIST, 1, 5000, NULL, NULL, &sh_exclude_account, NULL, NULL};
static const shape sh_location_targets = {T_LIST, 0, 5, NULL, NULL, NULL, NULL, targets_inside};
static const member location_members[] = {{"Accounts", &sh_accounts, false},
                                          {"Regions", &sh_regions, false},
                                          {"TargetLocationMaxConcurrency", &sh_max_concurrency, false},
                                          {"TargetLocationMaxErrors", &sh_max_errors, false},
                                          {"ExecutionRoleName", &sh_role_name, false},
                                          {"TargetLocationAlarmConfiguration", &sh_alarm_config, false},
                                          {"IncludeChildOrganizationUnits", &sh_bool, false},
                                          {"ExcludeAccounts", &sh_exclude_accounts, false},
                                          {"Targets", &sh_location_targets, false},
                                          {"TargetsMaxConcurrency", &sh_max_concurrency, false},
                                          {"TargetsMaxErrors", &sh_max_errors, false},
                                          {NULL, NULL, false}};
static const shape sh_target_location = {T_MAP, 0, 0, NULL, location_members, NULL, NULL, NULL};
static const shape sh_target_locations = {T_LIST, 0, 0, NULL, NULL, &sh_target_location, NULL, NULL};

/* Tags */
static const shape sh_tag_key = {T_STRING, 1, 128, "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$", NULL, NULL, NULL, NULL};
static const shape sh_tag_value = {T_STRING, 0, 256, "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$", NULL, NULL, NULL, NULL};
static const member tag_members[] = {{"Key", &sh_tag_key, true}, {"Value", &sh_tag_value, true}, {NULL, NULL, false}};
static const shape sh_tag = {T_MAP, 0, 0, NULL, tag_members, NULL, NULL, NULL};
static const shape sh_tags = {T_LIST, 0, 0, NULL, NULL, &sh_tag, NULL, NULL};

static void check_shape(actx *c, ssmc_rule rule, const char *path, const shape *s, const ssmc_node *n)
{
    if (!type_ok(n, s->type)) {
        const char *want = s->type == T_MAP && s->members ? "a mapping" : type_names[s->type];
        ssmc_diag_add(c->diags, rule, n->file, loc_of_node(n), "%s must be %s, not %s%s", path, want,
                      ssmc_node_type_phrase(n->type), quotable(n) && s->type == T_STRING ? "; quote it" : "");
        return;
    }
    char sub[256];
    if (s->type == T_STRING) {
        size_t len = utf8_count(n->str, n->len);
        if ((s->min && (long)len < s->min) || (s->max && (long)len > s->max)) {
            if (s->min)
                ssmc_diag_add(c->diags, rule, n->file, loc_of_node(n),
                              "%s is %zu characters long; it must be %ld to %ld", path, len, s->min, s->max);
            else
                ssmc_diag_add(c->diags, rule, n->file, loc_of_node(n),
                              "%s is %zu characters long; at most %ld are allowed", path, len, s->max);
            return;
        }
        if (s->pattern && !regex_test(s->pattern, n->str, n->len)) {
            ssmc_diag_add(c->diags, rule, n->file, loc_of_node(n), "%s '%s' does not match the API pattern %s",
                          path, n->str, s->pattern);
            return;
        }
    } else if (s->type == T_LIST || (s->type == T_MAP && !s->members)) {
        const char *noun = s->type == T_LIST ? "entries" : "keys";
        if (s->max && (long)n->count > s->max) {
            const ssmc_node *extra = s->type == T_LIST ? n->items[s->max] : n->pairs[s->max].key;
            ssmc_diag_add(c->diags, rule, extra->file, loc_of_node(extra), "%s has %zu %s; at most %ld %s allowed",
                          path, (size_t)n->count, noun, s->max, s->max == 1 ? "is" : "are");
        } else if (s->min && (long)n->count < s->min) {
            ssmc_diag_add(c->diags, rule, n->file, loc_of_node(n), "%s needs at least %ld %s", path, s->min,
                          s->min == 1 ? (s->type == T_LIST ? "entry" : "key") : noun);
        }
        for (size_t i = 0; i < n->count; i++) {
            if (s->type == T_LIST) {
                if (!s->item)
                    continue;
                snprintf(sub, sizeof sub, "%s[%zu]", path, i);
                check_shape(c, rule, sub, s->item, n->items[i]);
            } else {
                const ssmc_node *k = n->pairs[i].key;
                snprintf(sub, sizeof sub, "%s key '%s'", path, is_string(k) ? k->str : "?");
                if (s->key)
                    check_shape(c, rule, sub, s->key, k);
                snprintf(sub, sizeof sub, "%s.%s", path, is_string(k) ? k->str : "?");
                if (s->item)
                    check_shape(c, rule, sub, s->item, n->pairs[i].value);
            }
        }
    } else if (s->type == T_MAP) {
        const char *names[16];
        size_t count = 0;
        for (const member *m = s->members; m->name && count < 16; m++)
            names[count++] = m->name;
        for (size_t i = 0; i < n->count; i++) {
            const ssmc_node *k = n->pairs[i].key;
            if (!is_string(k))
                continue;
            const member *m = s->members;
            while (m->name && strcmp(m->name, k->str) != 0)
                m++;
            snprintf(sub, sizeof sub, "%s.%s", path, k->str);
            if (m->name) {
                check_shape(c, rule, sub, m->shape, n->pairs[i].value);
                continue;
            }
            const char *guess = did_you_mean(k->str, names, count);
            buf b;
            buf_init(&b);
            for (size_t j = 0; j < count; j++)
                buf_printf(&b, "%s%s", j ? ", " : "", names[j]);
            if (guess)
                ssmc_diag_add(c->diags, rule, k->file, loc_of_node(k), "unknown field '%s' in %s; did you mean '%s'?",
                              k->str, path, guess);
            else
                ssmc_diag_add(c->diags, rule, k->file, loc_of_node(k), "unknown field '%s' in %s; it takes %s",
                              k->str, path, b.data);
            buf_free(&b);
        }
        for (const member *m = s->members; m->name; m++)
            if (m->required && !ssmc_map_get(n, m->name))
                ssmc_diag_add(c->diags, rule, n->file, loc_of_node(n), "%s needs %s", path, m->name);
    }
    if (s->extra)
        s->extra(c, rule, path, n);
}

static void targets_inside(actx *c, ssmc_rule rule, const char *path, const ssmc_node *n)
{
    (void)rule;
    (void)path;
    for (size_t i = 0; i < n->count; i++)
        check_target(c, n->items[i]);
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

/* The base name of path without its .yaml/.yml/.json extension; false for
 * one too long to match. */
/* The document name a file's base name (past its last '/') gives. */
static bool doc_base_of(const char *b, const char **base, size_t *len)
{
    size_t n = strlen(b);
    static const char *const exts[] = {".yaml", ".yml", ".json"};
    for (size_t i = 0; i < 3; i++) {
        size_t el = strlen(exts[i]);
        if (n > el && str_eq_nocase(b + n - el, exts[i])) {
            n -= el;
            break;
        }
    }
    *base = b;
    *len = n;
    return n < 160;
}

static bool doc_base(const char *path, const char **base, size_t *len)
{
    const char *b = strrchr(path, '/');
    return doc_base_of(b ? b + 1 : path, base, len);
}

/* squashed (squash of a name) against a base name squashed on the fly:
 * most bases differ in their first letters, so a lookup over every file of
 * a run (each aws:runDocument of each runbook) stops there instead of
 * squashing every name (that was 12% of a corpus run). */
static bool squashed_equal(const char *squashed, const char *base, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        char c = base[i];
        if (c == '-' || c == '_' || c == '.' || c == ' ')
            continue;
        if (squashed[k] != (char)tolower((unsigned char)c))
            return false;
        k++;
    }
    return squashed[k] == '\0';
}

/* Can the base name of path squash to squashed? False only where
 * squashed_equal must fail: it compares the file name's letters (the
 * separators skipped) to squashed in order, so a letter that differs
 * before squashed ends fails it wherever it is (past the base name, in the
 * extension, squashed_equal would have wanted squashed to end), and so
 * does a name that ends first. A lookup over every file of a run (each
 * aws:runCommand of each runbook) stops here for most files, before
 * doc_base's strlen and extension compares (2% of a corpus run). */
static bool prefix_may_match(const char *squashed, const char *b)
{
    for (size_t k = 0; squashed[k]; b++) {
        if (!*b)
            return false;
        if (*b == '-' || *b == '_' || *b == '.' || *b == ' ')
            continue;
        if (squashed[k++] != (char)tolower((unsigned char)*b))
            return false;
    }
    return true;
}

bool association_name_matches_file(const char *name, const char *path)
{
    const char *base;
    size_t len;
    char a[160];
    if (strlen(name) >= sizeof a || !doc_base(path, &base, &len))
        return false;
    squash(name, strlen(name), a, sizeof a);
    return a[0] && squashed_equal(a, base, len);
}

/* The document of an association: among the run's other files first (by
 * file base name, see association_name_matches_file), then by name in the
 * search path (--doc-path, stdlib-docs; doc_lookup.c, the lookup of
 * aws:runDocument). */
bool association_locate_document(const ssmc_sources *sources, uint32_t self, const char *name,
                                 const ssmc_config *config, uint32_t *file, char **path)
{
    *file = UINT32_MAX;
    *path = NULL;
    char squashed[160];
    bool named = strlen(name) < sizeof squashed;
    if (named)
        squash(name, strlen(name), squashed, sizeof squashed);
    named = named && squashed[0];
    for (uint32_t i = 0; named && sources && i < sources->count; i++) {
        const char *base;
        size_t len;
        /* Base names come with the file table: this runs over every file
         * of the run for each called document. */
        if (i == self || !prefix_may_match(squashed, sources->items[i]->base_name) ||
            !doc_base_of(sources->items[i]->base_name, &base, &len) ||
            !squashed_equal(squashed, base, len))
            continue;
        /* The run's documents are small; loading one again is cheap and
         * keeps the stage free of cross-document state. */
        ssmc_diags scratch = {.sources = sources};
        bool was_released = sources->items[i]->released;
        ssmc_document *doc = ssmc_load(sources, i, NULL, &scratch);
        ssmc_diags_free(&scratch);
        bool ok = doc->root && doc->root->type == SSMC_NODE_MAP && ssmc_map_get(doc->root, "schemaVersion");
        ssmc_document_free(doc);
        /* check holds one input at a time: another one read for this
         * goes again */
        if (was_released)
            ssmc_source_release(sources->items[i]);
        if (ok) {
            *file = i;
            return true;
        }
    }
    size_t n;
    const char **dirs = doc_lookup_search_path(config ? config->doc_paths : NULL, config ? config->doc_path_count : 0,
                                               &n);
    *path = doc_lookup_find(name, dirs, n);
    free(dirs);
    return *path != NULL;
}

/* The catalogue's document as a source of its own, named so that a
 * finding's related note can tell where it came from. */
static bool load_catalogue_doc(const catalogue_doc *cat, association_doc *out)
{
    char *text = catalogue_document_json(cat);
    out->cat = cat;
    out->path = xasprintf("the catalogue of AWS-managed documents");
    uint32_t f = ssmc_sources_add(&out->own, out->path, text, strlen(text));
    ssmc_diags scratch = {.sources = &out->own};
    out->doc = ssmc_load(&out->own, f, NULL, &scratch);
    ssmc_diags_free(&scratch);
    return out->doc->root && out->doc->root->type == SSMC_NODE_MAP;
}

/* Catalogue documents once loaded, for the life of the process: a run of
 * runbooks calls the same few AWS-managed documents from step after step
 * (514 loads of the corpus run), and the catalogue is data compiled into
 * the program, so an entry can never go stale (the language server's
 * edits change only the run's own files). The first CATALOGUE_CACHED
 * distinct documents are kept, later ones loaded each time; never evicted,
 * so a document handed out stays valid while its caller holds it. */
#define CATALOGUE_CACHED 64
static struct {
    const catalogue_doc *cat;
    association_doc doc;
} catalogue_cache[CATALOGUE_CACHED];
static size_t catalogue_cached;

static bool catalogue_doc_cached(const catalogue_doc *cat, association_doc *out)
{
    for (size_t i = 0; i < catalogue_cached; i++)
        if (catalogue_cache[i].cat == cat) {
            *out = catalogue_cache[i].doc;
            out->path = xstrdup(out->path); /* the caller's, freed with it */
            return true;
        }
    if (!load_catalogue_doc(cat, out))
        return false;
    if (catalogue_cached < CATALOGUE_CACHED) {
        out->shared = true;
        catalogue_cache[catalogue_cached].cat = cat;
        catalogue_cache[catalogue_cached].doc = *out;
        catalogue_cache[catalogue_cached].doc.path = xstrdup(out->path);
        catalogue_cached++;
    }
    return true;
}

bool association_load_document(const ssmc_sources *sources, uint32_t self, const char *name,
                               const ssmc_config *config, bool managed_from_catalogue,
                               association_doc *out)
{
    memset(out, 0, sizeof *out);
    uint32_t file;
    bool local = !(managed_from_catalogue && catalogue_find(name)) &&
                 association_locate_document(sources, self, name, config, &file, &out->path);
    if (!local) {
        const catalogue_doc *cat = catalogue_find(name);
        if (cat && catalogue_doc_cached(cat, out))
            return true;
        if (cat)
            association_doc_free(out);
        return false;
    }
    ssmc_diags scratch = {.sources = sources};
    if (file != UINT32_MAX) {
        out->in_run = true;
        if (sources->items[file]->released)
            out->reloaded = sources->items[file];
        out->doc = ssmc_load(sources, file, NULL, &scratch);
    } else {
        size_t len;
        char *data = doc_lookup_read(out->path, &len);
        if (!data) {
            free(out->path);
            out->path = NULL;
            return false;
        }
        uint32_t f = ssmc_sources_add(&out->own, out->path, data, len);
        out->doc = ssmc_load(&out->own, f, NULL, &scratch);
    }
    ssmc_diags_free(&scratch);
    if (!out->doc->root || out->doc->root->type != SSMC_NODE_MAP) {
        association_doc_free(out);
        return false;
    }
    return true;
}

void association_doc_free(association_doc *f)
{
    if (!f->shared) {
        ssmc_document_free(f->doc);
        ssmc_sources_free(&f->own);
    }
    ssmc_source_release(f->reloaded);
    free(f->path);
    memset(f, 0, sizeof *f);
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
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->file, loc_of_node(v),
                          "parameter '%s' is an Integer; '%s' is not an integer", pname, v->str);
            return;
        }
    } else if (strcmp(type, "Boolean") == 0) {
        if (strcmp(v->str, "true") != 0 && strcmp(v->str, "false") != 0) {
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->file, loc_of_node(v),
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
            const char *same_case = NULL;
            for (size_t i = 0; i < n && !same_case; i++)
                if (str_eq_nocase(names[i], v->str))
                    same_case = names[i];
            if (same_case) {
                buf all;
                buf_init(&all);
                for (size_t i = 0; i < n; i++)
                    buf_printf(&all, "%s%s", i ? ", " : "", names[i]);
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->file, loc_of_node(v),
                              "Parameter \"%s\" has value \"%s\" not found in [%s]: allowedValues are "
                              "case-sensitive; write '%s'", pname, v->str, all.data, same_case);
                buf_free(&all);
                return;
            }
            const char *guess = did_you_mean(v->str, names, n);
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->file, loc_of_node(v),
                          "'%s' is not one of the allowedValues of parameter '%s'%s%s%s", v->str, pname,
                          guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
            return;
        }
    }
    const ssmc_node *pattern = get(decl, "allowedPattern");
    if (is_string(pattern) && !regex_test(pattern->str, v->str, v->len))
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->file, loc_of_node(v),
                      "'%s' does not match the allowedPattern %s of parameter '%s'", v->str, pattern->str, pname);
}

/* A declaration's minChars/maxChars/minItems/maxItems as a number, or -1
 * when absent or not a non-negative integer (another stage reports it). */
static long decl_bound(const ssmc_node *decl, const char *key)
{
    const ssmc_node *n = get(decl, key);
    if (!n)
        return -1;
    if (n->type == SSMC_NODE_INT)
        return n->val.i >= 0 && n->val.i <= 2147483647 ? (long)n->val.i : -1;
    if (is_string(n) && n->len && n->len < 11 && all_digits(n->str))
        return atol(n->str);
    return -1;
}

/* minChars/maxChars on each String or StringList value, minItems/maxItems on
 * a StringList's count (spec section 2.3). Values holding {{ }} resolve
 * later and are not measured. */
static void check_param_bounds(actx *c, const char *pname, const ssmc_node *decl, const ssmc_node *list)
{
    const char *type = param_type(decl);
    bool is_list = strcmp(type, "StringList") == 0;
    if (!is_list && strcmp(type, "String") != 0)
        return;
    long min_chars = decl_bound(decl, "minChars"), max_chars = decl_bound(decl, "maxChars");
    size_t count = is_list ? list->count : (list->count ? 1 : 0);
    for (size_t i = 0; i < count; i++) {
        const ssmc_node *v = list->items[i];
        if (!is_string(v) || strstr(v->str, "{{"))
            continue;
        long len = (long)utf8_count(v->str, v->len);
        if (min_chars >= 0 && len < min_chars)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7034, v->file, loc_of_node(v),
                          "the value of parameter '%s' is %ld characters long; the document's minChars is %ld",
                          pname, len, min_chars);
        else if (max_chars >= 0 && len > max_chars)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7034, v->file, loc_of_node(v),
                          "the value of parameter '%s' is %ld characters long; the document's maxChars is %ld",
                          pname, len, max_chars);
    }
    if (!is_list)
        return;
    long min_items = decl_bound(decl, "minItems"), max_items = decl_bound(decl, "maxItems");
    if (min_items >= 0 && (long)list->count < min_items)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7034, list->file, loc_of_node(list),
                      "parameter '%s' has %zu item%s; the document's minItems is %ld", pname, (size_t)list->count,
                      list->count == 1 ? "" : "s", min_items);
    else if (max_items >= 0 && (long)list->count > max_items)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7034, list->items[max_items]->file,
                      loc_of_node(list->items[max_items]), "parameter '%s' has %zu items; the document's maxItems is %ld",
                      pname, (size_t)list->count, max_items);
}

/* path: the document's file when it is not one of the run's sources (its
 * positions cannot be shown then). */
static void check_parameters(actx *c, const ssmc_node *params, const ssmc_node *doc_root, const ssmc_node *name,
                             const char *path)
{
    const ssmc_node *decls = get(doc_root, "parameters");
    if (decls && decls->type != SSMC_NODE_MAP)
        decls = NULL;
    if (params && params->type == SSMC_NODE_MAP && params->count && (!decls || decls->count == 0)) {
        const ssmc_node *pk = key_of(c->root, "Parameters");
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7104, pk->file, loc_of_node(pk),
                      "InvalidParameters: document %s does not support parameters; remove Parameters", name->str);
        return;
    }
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
                ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7031, k->file, loc_of_node(k),
                                             "parameter '%s' is not declared by document '%s'%s%s%s",
                                             k->str, name->str, guess ? "; did you mean '" : "",
                                             guess ? guess : "", guess ? "'?" : "");
                if (guess && !ssmc_map_get(params, guess))
                    fix_replace_scalar(d, c->sources, k, guess, false);
                continue;
            }
            if (v->type != SSMC_NODE_SEQ)
                continue;    /* reported as a type error already */
            const char *type = param_type(decl);
            bool list = strcmp(type, "StringList") == 0 || strcmp(type, "MapList") == 0;
            if (!list && v->count > 1)
                ssmc_diag_add(c->diags, SSMC_RULE_SSM7033, v->items[1]->file, loc_of_node(v->items[1]),
                              "parameter '%s' is %s %s and takes one value; the agent would use only the first",
                              k->str, ssmc_article(type), type);
            for (size_t j = 0; j < v->count; j++)
                check_param_value(c, k->str, decl, v->items[j]);
            check_param_bounds(c, k->str, decl, v);
        }
    }
    /* An Automation association passes each target in the parameter
     * AutomationTargetParameterName names. */
    const ssmc_node *atpn = get(c->root, "AutomationTargetParameterName");
    if (is_string(atpn) && decls && !ssmc_map_get(decls, atpn->str)) {
        const char *names[256];
        size_t n = 0;
        for (size_t i = 0; i < decls->count && n < 256; i++)
            if (is_string(decls->pairs[i].key))
                names[n++] = decls->pairs[i].key->str;
        const char *guess = did_you_mean(atpn->str, names, n);
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7031, atpn->file, loc_of_node(atpn),
                      "AutomationTargetParameterName '%s' is not a parameter of document '%s'%s%s%s", atpn->str,
                      name->str, guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
    }
    for (size_t i = 0; decls && i < decls->count; i++) {
        const ssmc_node *k = decls->pairs[i].key, *decl = decls->pairs[i].value;
        if (!is_string(k) || !decl || decl->type != SSMC_NODE_MAP || ssmc_map_get(decl, "default"))
            continue;
        if (is_string(atpn) && strcmp(atpn->str, k->str) == 0 && get(c->root, "Targets"))
            continue;
        if (params && params->type == SSMC_NODE_MAP && ssmc_map_get(params, k->str))
            continue;
        const ssmc_node *at = params && params->type == SSMC_NODE_MAP ? key_of(c->root, "Parameters") : name;
        ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7032, at->file, loc_of_node(at),
                                     "document '%s'%s%s%s requires parameter '%s' (it has no default); add it to "
                                     "Parameters", name->str, path ? " (" : "", path ? path : "", path ? ")" : "",
                                     k->str);
        if (!path)
            ssmc_diag_add_related(d, k->file, loc_of_node(k), "'%s' is declared here", k->str);
    }
}

/* Rules of CreateAssociation per document type, with the service's words
 * (spec service-errors.md). False when the document cannot be associated,
 * which makes checking its parameters pointless. */
static bool check_document_type(actx *c, const ssmc_node *name, doc_kind kind, const ssmc_node *sv)
{
    if (kind == KIND_PACKAGE) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7101, name->file, loc_of_node(name),
                      "'%s' is a Package document: Document type Package is not supported for associations; "
                      "associate AWS-ConfigureAWSPackage with Parameters {action: [Install], name: [%s]}",
                      name->str, name->str);
        return false;
    }
    if (kind == KIND_SESSION || kind == KIND_CHANGE_TEMPLATE) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7101, name->file, loc_of_node(name),
                      "'%s' is %s %s document, which State Manager cannot run (InvalidDocument: Invalid "
                      "document provided); associate a Command, Policy or Automation document",
                      name->str, ssmc_article(doc_kind_name(kind)), doc_kind_name(kind));
        return false;
    }
    if (kind != KIND_AUTOMATION)
        return true;
    const ssmc_node *iid = key_of(c->root, "InstanceId");
    if (iid)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7102, iid->file, loc_of_node(iid),
                      "Document schema version, %s, is not supported by association that is created with "
                      "instance id: '%s' is an Automation runbook; use Targets (with "
                      "AutomationTargetParameterName) instead of InstanceId",
                      sv && ssmc_node_is_scalar(sv) && sv->str ? sv->str : "0.3", name->str);
    const ssmc_node *targets = key_of(c->root, "Targets"), *atpn = key_of(c->root, "AutomationTargetParameterName");
    if (targets && !atpn)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7103, targets->file, loc_of_node(targets),
                      "Must specify both Automation Target Parameter Name and Targets: an Automation runbook "
                      "run on Targets needs AutomationTargetParameterName, the runbook parameter each target "
                      "is passed in (for example InstanceId)");
    return true;
}

static void check_against_document(actx *c, const ssmc_node *name)
{
    if (!is_string(name))
        return;
    if (c->document_root) {
        check_parameters(c, get(c->root, "Parameters"), c->document_root, name, NULL);
        return;
    }
    if (c->name_is_value) {
        /* Not silent: whoever reads the findings learns what was not checked. */
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7152, name->file, loc_of_node(name),
                      "the association's document is chosen at deploy time (Name is a "
                      "CloudFormation or Terraform expression); ssmc cannot read it, so the "
                      "association's Parameters are not checked against it");
        return;
    }
    if (doc_lookup_name_is_path(name->str)) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7151, name->file, loc_of_node(name),
                      "document name '%s' is a path ('/' or '..' after any ARN prefix); SSM "
                      "document names are letters, digits, _ - and . only, so the association "
                      "fails, and ssmc does not look it up", name->str);
        return;
    }
    association_doc f;
    if (!association_load_document(c->sources, c->root->file, name->str, c->config, false, &f)) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7030, name->file, loc_of_node(name),
                      "document %s is not in the run, --doc-path or the catalogue: its parameters are not checked "
                      "(give its file, e.g. %s.yaml, on the same command line or its directory with --doc-path "
                      "DIR; --offline-ok makes this an info)", name->str, name->str);
        return;
    }
    const ssmc_node *sv = get(f.doc->root, "schemaVersion");
    doc_kind kind = KIND_UNKNOWN;
    if (!f.cat || !doc_kind_parse(f.cat->type, &kind))
        kind = doc_kind_guess(f.doc->root);
    if (!check_document_type(c, name, kind, sv)) {
        association_doc_free(&f);
        return;
    }
    const ssmc_node *iid_key = key_of(c->root, "InstanceId");
    if (iid_key && kind != KIND_AUTOMATION && sv && ssmc_node_is_scalar(sv) && sv->str && atoi(sv->str) >= 2) {
        ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7026, iid_key->file, loc_of_node(iid_key),
                                     "InstanceId cannot be used with document '%s' (schemaVersion %s); use "
                                     "Targets with Key: InstanceIds", name->str, sv->str);
        if (f.in_run)
            ssmc_diag_add_related(d, sv->file, loc_of_node(sv), "the document's schemaVersion");
    }
    const char *base = f.path && !f.cat ? strrchr(f.path, '/') : NULL;
    check_parameters(c, get(c->root, "Parameters"), f.doc->root, name, f.in_run ? NULL : base ? base + 1 : f.path);
    association_doc_free(&f);
}

/* --inventory: which instances the association targets. */
static void report_targeted(actx *c)
{
    const inventory *inv = c->config->inventory;
    const char **ids = NULL;
    size_t n = inventory_match(inv, c->root, &ids);
    const ssmc_node *at = key_of(c->root, "Targets");
    if (!at)
        at = key_of(c->root, "InstanceId");
    if (!at)
        at = key_of(c->root, "Name");
    if (!at) {
        free(ids);
        return;
    }
    if (n == 0) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7042, at->file, loc_of_node(at),
                      "the association targets none of the %zu instances in the inventory; check its %s against "
                      "the instances' ids, tags and resource groups",
                      inv->count, strcmp(at->str, "Name") == 0 ? "targeting (it has no Targets)" : at->str);
    } else {
        buf b;
        buf_init(&b);
        size_t shown = n < 20 ? n : 20;
        for (size_t i = 0; i < shown; i++)
            buf_printf(&b, "%s%s", i ? ", " : "", ids[i]);
        if (shown < n)
            buf_printf(&b, ", and %zu more", n - shown);
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7041, at->file, loc_of_node(at),
                      "the association targets %zu of the %zu instances in the inventory: %s", n, inv->count, b.data);
        buf_free(&b);
    }
    free(ids);
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
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, aoci->file, loc_of_node(aoci),
                      "ApplyOnlyAtCronInterval isn't supported for rate expressions; use a cron expression or "
                      "remove it");
    if (offset_key) {
        if (is_rate)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, offset_key->file, loc_of_node(offset_key),
                          "ScheduleOffset works with cron expressions only, not with %s", expr->str);
        else if (!expr)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, offset_key->file, loc_of_node(offset_key),
                          "ScheduleOffset needs a cron ScheduleExpression");
        else if (!apply_only)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, offset_key->file, loc_of_node(offset_key),
                          "ScheduleOffset needs ApplyOnlyAtCronInterval: true");
    }
    if (duration_key && !apply_only)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7029, duration_key->file, loc_of_node(duration_key),
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
            ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7025, k->file, loc_of_node(k),
                                         "%s cannot be used together with InstanceId (deprecated); use Targets "
                                         "with Key: InstanceIds instead of InstanceId", excluded[i]);
            ssmc_diag_add_related(d, iid->file, loc_of_node(iid), "InstanceId is set here");
        }
    }
    const ssmc_node *atpn = key_of(c->root, "AutomationTargetParameterName");
    if (atpn && !key_of(c->root, "Targets"))
        ssmc_diag_add(c->diags, SSMC_RULE_SSM7103, atpn->file, loc_of_node(atpn),
                      "Must specify both Automation Target Parameter Name and Targets: "
                      "AutomationTargetParameterName without Targets has nothing to pass; add Targets or remove it");
    const ssmc_node *targets = key_of(c->root, "Targets"), *maps = key_of(c->root, "TargetMaps");
    if (targets && maps) {
        ssmc_diag *d = ssmc_diag_add(c->diags, SSMC_RULE_SSM7025, maps->file, loc_of_node(maps),
                                     "TargetMaps and Targets exclude each other; keep one");
        ssmc_diag_add_related(d, targets->file, loc_of_node(targets), "Targets is set here");
    }
}

static void check_tree(const ssmc_sources *sources, const ssmc_node *root, const ssmc_config *config,
                       ssmc_diags *diags, association_info *info, const ssmc_node *document_root,
                       bool name_is_value)
{
    if (!root || root->type != SSMC_NODE_MAP)
        return;
    actx c = {sources, root, config, diags, info, document_root, name_is_value};
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
                ssmc_diag_add(diags, SSMC_RULE_SSM7021, k->file, loc_of_node(k),
                              "unknown association field '%s'; did you mean '%s'?", k->str, guess);
            else
                ssmc_diag_add(diags, SSMC_RULE_SSM7021, k->file, loc_of_node(k),
                              "unknown association field '%s' (CreateAssociation has no such field)", k->str);
            continue;
        }
        check_field(&c, r, v);
        if (!type_ok(v, r->type))
            continue;
        if (strcmp(r->name, "Targets") == 0) {
            for (size_t j = 0; j < v->count; j++)
                check_target(&c, v->items[j]);
        } else if (strcmp(r->name, "OutputLocation") == 0) {
            check_shape(&c, SSMC_RULE_SSM7035, r->name, &sh_output_location, v);
        } else if (strcmp(r->name, "TargetMaps") == 0) {
            check_shape(&c, SSMC_RULE_SSM7036, r->name, &sh_target_maps, v);
        } else if (strcmp(r->name, "TargetLocations") == 0) {
            check_shape(&c, SSMC_RULE_SSM7037, r->name, &sh_target_locations, v);
        } else if (strcmp(r->name, "Tags") == 0) {
            check_shape(&c, SSMC_RULE_SSM7038, r->name, &sh_tags, v);
        } else if (strcmp(r->name, "AlarmConfiguration") == 0) {
            check_shape(&c, SSMC_RULE_SSM7039, r->name, &sh_alarm_config, v);
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
                          ssmc_sources_get(sources, root->file), root->span.start, root->span.start),
                      "association has no Name: add the document to run, e.g. Name: AWS-RunShellScript");
    check_exclusive(&c);
    check_schedule_options(&c);
    if (info) {
        const ssmc_node *aoci = get(root, "ApplyOnlyAtCronInterval");
        info->apply_only_at_cron_interval = aoci && aoci->type == SSMC_NODE_BOOL && aoci->val.b;
    }
    if (name)
        check_against_document(&c, name);
    if (config && config->inventory)
        report_targeted(&c);
}

void association_check_tree(const ssmc_sources *sources, const ssmc_node *root, const ssmc_config *config,
                            ssmc_diags *diags, association_info *info)
{
    check_tree(sources, root, config, diags, info, NULL, false);
}

void association_check_embedded(const ssmc_sources *sources, const ssmc_node *root,
                                const ssmc_config *config, ssmc_diags *diags,
                                const ssmc_node *document_root, bool name_is_value)
{
    check_tree(sources, root, config, diags, NULL, document_root, name_is_value);
}

void association_info_free(association_info *info)
{
    free(info->expression);
    info->expression = NULL;
}

void association_validate(vctx *v)
{
    association_check_tree(v->sources, v->root, v->config, v->diags, NULL);
}
