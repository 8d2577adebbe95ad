/* validate_params.c — parameter definitions: names, types, the properties a
 * type has, the default against its own constraints, and interpolationType.
 * {{ }} references are in params_refs.c, allowedPattern in params_pattern.c.
 *
 * Sources: User Guide documents-syntax-data-elements-parameters.md; agent
 * contracts/document.go (Parameter), framework/docparser/paramvalidator,
 * framework/docparser/parameters/parameters.go (paramNameRegex); spec
 * sections 2, 11.1, 11.2. */
#include "params.h"
#include "refs.h"
#include "grammar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT_MAX 2147483647LL /* agent GetCleanedUpVal: larger values become this */

/* Parameter types and properties come from grammar/parameters.json. */
static const char *const type_names[] = {
    [PT_UNKNOWN] = "?",          [PT_STRING] = "String",     [PT_STRING_LIST] = "StringList",
    [PT_BOOLEAN] = "Boolean",    [PT_INTEGER] = "Integer",   [PT_STRING_MAP] = "StringMap",
    [PT_MAP_LIST] = "MapList",
};

const char *params_type_name(param_type type)
{
    return type_names[type];
}

/* What the value of a parameter of grammar type gt is. */
static param_type type_from_grammar(const grammar_param_type *gt)
{
    if (!gt)
        return PT_UNKNOWN;
    switch (gt->value) {
    case GRAMMAR_T_STRING: return PT_STRING;
    case GRAMMAR_T_STRING_LIST: return PT_STRING_LIST;
    case GRAMMAR_T_BOOLEAN: return PT_BOOLEAN;
    case GRAMMAR_T_INTEGER: return PT_INTEGER;
    case GRAMMAR_T_MAP:
    case GRAMMAR_T_STRING_MAP: return PT_STRING_MAP;
    case GRAMMAR_T_MAP_LIST: return PT_MAP_LIST;
    default: return PT_UNKNOWN;
    }
}

param_type params_type_of(const ssmc_node *definition)
{
    const ssmc_node *t = ssmc_map_get(definition, "type");
    return t && t->type == SSMC_NODE_STRING ? type_from_grammar(grammar_param_type_find(t->str))
                                            : PT_UNKNOWN;
}

static bool prop_has_value(const grammar_param_prop *prop, const ssmc_node *n)
{
    if (!prop || !prop->value_count)
        return true;
    if (!n || n->type != SSMC_NODE_STRING)
        return false;
    for (size_t i = 0; i < prop->value_count; i++)
        if (strcmp(prop->values[i], n->str) == 0)
            return true;
    return false;
}

bool params_kind_checked(const vctx *v)
{
    return v->kind == KIND_COMMAND || v->kind == KIND_POLICY || v->kind == KIND_AUTOMATION ||
           v->kind == KIND_CHANGE_TEMPLATE || v->kind == KIND_SESSION;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* "event_type" -> "eventType": the separators dropped, the next letter upper. */
static char *alnum_name(const char *s)
{
    buf b;
    buf_init(&b);
    bool upper = false;
    for (; *s; s++) {
        if (is_alnum(*s)) {
            char c = *s;
            if (upper && b.len && c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            buf_addc(&b, c);
            upper = false;
        } else {
            upper = true;
        }
    }
    return buf_steal(&b);
}

static bool is_ssm_ref(const ssmc_node *n)
{
    if (!n || n->type != SSMC_NODE_STRING)
        return false;
    const char *p = n->str;
    while (*p == '{' || refs_is_space(*p))
        p++;
    return strstr(n->str, "{{") && (strncmp(p, "ssm:", 4) == 0 || strncmp(p, "ssm-secure:", 11) == 0);
}

typedef struct pdef {
    vctx *v;
    const char *name;
    const ssmc_node *key;
    const ssmc_node *def;
    param_type type;
    const ssmc_node *dflt;
    bool dflt_ok;        /* default has the parameter's type */
    bool dflt_ssm;       /* default is a {{ssm:...}} reference: not checked */
    int *env_var_seen;   /* ENV_VAR parameters so far in the document */
    const char *type_name; /* the grammar's name of a known type, else NULL */
} pdef;

static const char *shape_of(param_type t)
{
    switch (t) {
    case PT_STRING: return "a string";
    case PT_STRING_LIST: return "a list of strings";
    case PT_BOOLEAN: return "true or false";
    case PT_INTEGER: return "a whole number";
    case PT_STRING_MAP: return "a mapping";
    case PT_MAP_LIST: return "a list of mappings";
    case PT_UNKNOWN: break;
    }
    return "?";
}

static bool all_items(const ssmc_node *seq, ssmc_node_type type)
{
    for (size_t i = 0; i < seq->count; i++)
        if (seq->items[i]->type != type)
            return false;
    return true;
}

static bool value_fits(param_type t, const ssmc_node *n)
{
    switch (t) {
    case PT_STRING: return n->type == SSMC_NODE_STRING;
    case PT_STRING_LIST: return n->type == SSMC_NODE_SEQ && all_items(n, SSMC_NODE_STRING);
    case PT_BOOLEAN: return n->type == SSMC_NODE_BOOL;
    case PT_INTEGER: return n->type == SSMC_NODE_INT;
    case PT_STRING_MAP: return n->type == SSMC_NODE_MAP;
    case PT_MAP_LIST: return n->type == SSMC_NODE_SEQ && all_items(n, SSMC_NODE_MAP);
    case PT_UNKNOWN: break;
    }
    return true;
}

/* In an Automation runbook an unknown parameter property (SSM3006) or a
 * default of the wrong type (SSM3008) is a warning: the spec (sections 1.3,
 * 9) finds no sign that CreateDocument rejects either for runbooks, and the
 * AWS documentation does not say it does; for Command documents they stay
 * errors. */
static void automation_lower(const vctx *v, ssmc_diag *d)
{
    if (d && v->kind == KIND_AUTOMATION && d->severity == SSMC_SEV_ERROR) {
        /* Lowered from the documented error: the message says so. */
        d->severity = SSMC_SEV_WARNING;
        char *m = xasprintf("%s (a warning in a runbook: CreateDocument is not known to reject "
                            "it there)", d->message);
        free(d->message);
        d->message = m;
    }
}

static void check_default_type(pdef *p)
{
    const ssmc_node *d = p->dflt;
    if (!d || p->type == PT_UNKNOWN)
        return;
    if (is_ssm_ref(d)) {
        p->dflt_ssm = true;
        if (p->type != PT_STRING && p->type != PT_STRING_LIST)
            ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3021, p->v->file, d->span,
                          "parameter '%s' is %s but its default is a Parameter Store reference, "
                          "which resolves to text; use type String (or StringList), or a literal "
                          "default",
                          p->name, params_type_name(p->type));
        return;
    }
    if (p->type == PT_STRING_LIST && d->type == SSMC_NODE_SEQ)
        for (size_t i = 0; i < d->count; i++)
            if (is_ssm_ref(d->items[i]))
                p->dflt_ssm = true;
    /* Session preferences read "true"/"false" as booleans (the agent's
     * ConvertToBool), and the User Guide's examples write them so. */
    if (value_fits(p->type, d) ||
        (p->v->kind == KIND_SESSION && p->type == PT_BOOLEAN && d->type == SSMC_NODE_STRING &&
         (strcmp(d->str, "true") == 0 || strcmp(d->str, "false") == 0))) {
        p->dflt_ok = true;
        return;
    }
    const char *fix = "";
    char *fixbuf = NULL;
    if (p->type == PT_STRING && ssmc_node_is_scalar(d) && d->type != SSMC_NODE_NULL)
        fix = fixbuf = xasprintf("; quote it: '%s'", d->str);
    else if (p->type == PT_STRING_LIST && d->type == SSMC_NODE_STRING)
        fix = fixbuf = xasprintf("; make it a list: ['%s']", d->str);
    else if (p->type == PT_STRING_LIST && d->type == SSMC_NODE_SEQ)
        fix = "; quote every item";
    else if (p->type == PT_BOOLEAN && d->type == SSMC_NODE_STRING &&
             (strcmp(d->str, "true") == 0 || strcmp(d->str, "false") == 0))
        fix = fixbuf = xasprintf("; write %s without quotes", d->str);
    else if (p->type == PT_INTEGER && d->type == SSMC_NODE_STRING)
        fix = "; write the number without quotes, or make the parameter a String";
    ssmc_diag *dg = ssmc_diag_add(
        p->v->diags, SSMC_RULE_SSM3008, p->v->file, d->span,
        "default of %s parameter '%s' must be %s, not %s%s", params_type_name(p->type), p->name,
        shape_of(p->type),
        d->type == SSMC_NODE_SEQ && p->type == PT_STRING_LIST ? "a list with non-string items"
                                                              : ssmc_node_type_phrase(d->type),
        fix);
    automation_lower(p->v, dg);
    free(fixbuf);
}

/* minChars/maxChars/minItems/maxItems: non-negative integers, min <= max. */
static const ssmc_node *limit(pdef *p, const char *key, long long *out)
{
    const ssmc_node *n = ssmc_map_get(p->def, key);
    *out = -1;
    if (!n)
        return NULL;
    if (n->type == SSMC_NODE_STRING && n->len > 0 && n->len < 11 &&
        strspn(n->str, "0123456789") == n->len && strtoll(n->str, NULL, 10) <= LIMIT_MAX) {
        ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3022, p->v->file, n->span,
                      "%s of parameter '%s' is the string '%s'; write the number without quotes: "
                      "%s: %s",
                      key, p->name, n->str, key, n->str);
        *out = strtoll(n->str, NULL, 10);
        return n;
    }
    if (n->type != SSMC_NODE_INT || n->val.i < 0 || n->val.i > LIMIT_MAX) {
        ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3012, p->v->file, n->span,
                      "%s of parameter '%s' must be a whole number from 0 to 2147483647%s; the "
                      "agent silently replaces anything else",
                      key, p->name, n->type == SSMC_NODE_STRING ? " without quotes" : "");
        return NULL;
    }
    *out = n->val.i;
    return n;
}

static void check_limit_pair(pdef *p, const char *min_key, const char *max_key, long long *min,
                             long long *max)
{
    const ssmc_node *lo = limit(p, min_key, min);
    const ssmc_node *hi = limit(p, max_key, max);
    if (lo && hi && *min > *max) {
        ssmc_diag *d = ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3012, p->v->file, lo->span,
                                     "%s (%lld) of parameter '%s' is greater than %s (%lld); no "
                                     "value can satisfy both: swap or correct them",
                                     min_key, *min, p->name, max_key, *max);
        ssmc_diag_add_related(d, p->v->file, hi->span, "%s is set here", max_key);
    }
}

static void check_chars(pdef *p, const ssmc_node *s, long long min, long long max)
{
    /* A map (StringMap default, MapList item) counts as its JSON text (spec 2.3). */
    buf text;
    buf_init(&text);
    if (s->type == SSMC_NODE_STRING)
        buf_add(&text, s->str, s->len);
    else
        validate_json_text(&text, s);
    long long n = (long long)utf8_count(text.data ? text.data : "", text.len);
    buf_free(&text);
    if ((min >= 0 && n < min) || (max >= 0 && n > max))
        ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3011, p->v->file, s->span,
                      "default of parameter '%s' has %lld characters%s, outside "
                      "minChars/maxChars (%lld..%lld); change the default or the limits",
                      p->name, n, s->type == SSMC_NODE_STRING ? "" : " as JSON text",
                      min < 0 ? 0 : min, max < 0 ? LIMIT_MAX : max);
}

static void check_limits(pdef *p)
{
    long long min_c, max_c, min_i, max_i;
    check_limit_pair(p, "minChars", "maxChars", &min_c, &max_c);
    check_limit_pair(p, "minItems", "maxItems", &min_i, &max_i);
    if (!p->dflt_ok || p->dflt_ssm)
        return;
    const ssmc_node *d = p->dflt;
    if (min_c >= 0 || max_c >= 0) {
        if (p->type == PT_STRING || p->type == PT_STRING_MAP)
            check_chars(p, d, min_c, max_c);
        else if (p->type == PT_STRING_LIST || p->type == PT_MAP_LIST)
            for (size_t i = 0; i < d->count; i++)
                check_chars(p, d->items[i], min_c, max_c);
    }
    if ((min_i >= 0 || max_i >= 0) && (p->type == PT_STRING_LIST || p->type == PT_STRING_MAP ||
                                       p->type == PT_MAP_LIST)) {
        long long n = (long long)d->count;
        if ((min_i >= 0 && n < min_i) || (max_i >= 0 && n > max_i))
            ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3011, p->v->file, d->span,
                          "default of parameter '%s' has %lld items, outside minItems/maxItems "
                          "(%lld..%lld); change the default or the limits",
                          p->name, n, min_i < 0 ? 0 : min_i, max_i < 0 ? LIMIT_MAX : max_i);
    }
}

static bool scalar_equal(const ssmc_node *a, const ssmc_node *b)
{
    return ssmc_node_is_scalar(a) && ssmc_node_is_scalar(b) && a->type == b->type &&
           a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static const ssmc_node *find_allowed(const ssmc_node *allowed, const ssmc_node *value)
{
    for (size_t i = 0; i < allowed->count; i++)
        if (scalar_equal(allowed->items[i], value))
            return allowed->items[i];
    return NULL;
}

static void default_not_allowed(pdef *p, const ssmc_node *allowed, const ssmc_node *value)
{
    const char *names[64];
    size_t n = 0;
    buf list;
    buf_init(&list);
    for (size_t i = 0; i < allowed->count; i++) {
        const ssmc_node *a = allowed->items[i];
        if (!ssmc_node_is_scalar(a))
            continue;
        if (n < 64)
            names[n++] = a->str;
        if (i < 12)
            buf_printf(&list, "%s'%s'", list.len ? ", " : "", a->str);
        else if (i == 12)
            buf_adds(&list, ", ...");
    }
    const char *guess = value->type == SSMC_NODE_STRING ? did_you_mean(value->str, names, n) : NULL;
    char *hint = guess ? xasprintf("did you mean '%s'? ", guess) : xstrdup("");
    ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3009, p->v->file, value->span,
                  "default '%s' of parameter '%s' is not one of its allowedValues; %sallowed: %s",
                  value->str, p->name, hint, list.data ? list.data : "");
    free(hint);
    buf_free(&list);
}

static void check_allowed_values(pdef *p)
{
    const ssmc_node *av = ssmc_map_get(p->def, "allowedValues");
    if (!av)
        return;
    if (av->type != SSMC_NODE_SEQ) {
        ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3002, p->v->file, av->span,
                      "allowedValues of parameter '%s' must be a list, not %s; write "
                      "allowedValues: [value1, value2]",
                      p->name, ssmc_node_type_phrase(av->type));
        return;
    }
    bool want_string = p->type == PT_STRING || p->type == PT_STRING_LIST;
    for (size_t i = 0; i < av->count; i++) {
        const ssmc_node *a = av->items[i];
        if (want_string && a->type != SSMC_NODE_STRING) {
            ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3016, p->v->file, a->span,
                          "allowedValues of %s parameter '%s' should hold strings; the agent reads "
                          "them as strings: quote %s",
                          params_type_name(p->type), p->name,
                          ssmc_node_is_scalar(a) ? a->str : "this item");
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (scalar_equal(av->items[j], a)) {
                ssmc_diag *d = ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3016, p->v->file, a->span,
                                             "'%s' appears twice in allowedValues of parameter "
                                             "'%s'; remove the copy (or correct the value)",
                                             a->str, p->name);
                ssmc_diag_add_related(d, p->v->file, av->items[j]->span, "first listed here");
                break;
            }
        }
    }
    if (!p->dflt_ok || p->dflt_ssm)
        return;
    const ssmc_node *d = p->dflt;
    if (d->type == SSMC_NODE_SEQ && p->type == PT_STRING_LIST) {
        for (size_t i = 0; i < d->count; i++)
            if (!find_allowed(av, d->items[i]))
                default_not_allowed(p, av, d->items[i]);
    } else if (ssmc_node_is_scalar(d) && !find_allowed(av, d)) {
        /* An empty default counts too: the agent checks allowedValues for
         * documents run through aws:runDocument, and '' is then rejected. */
        default_not_allowed(p, av, d);
    }
}

static void check_pattern(pdef *p)
{
    const ssmc_node *pat = ssmc_map_get(p->def, "allowedPattern");
    if (!pat)
        return;
    if (pat->type != SSMC_NODE_STRING) {
        ssmc_diag_add(p->v->diags, SSMC_RULE_SSM3002, p->v->file, pat->span,
                      "allowedPattern of parameter '%s' must be a string, not %s; quote it",
                      p->name, ssmc_node_type_phrase(pat->type));
        return;
    }
    params_regex *re = params_pattern_check(p->v, p->name, pat);
    if (!re)
        return;
    if (p->dflt_ok && !p->dflt_ssm) {
        const ssmc_node *d = p->dflt;
        size_t n = p->type == PT_STRING_LIST || p->type == PT_MAP_LIST ? d->count
                 : p->type == PT_STRING || p->type == PT_STRING_MAP     ? 1
                                                                         : 0;
        for (size_t i = 0; i < n; i++) {
            const ssmc_node *s = n == 1 && d->type != SSMC_NODE_SEQ ? d : d->items[i];
            /* Maps are matched as their JSON text (spec 2.3; agent
             * paramvalidator AllowedRegexParamValidator). */
            buf text;
            buf_init(&text);
            if (s->type == SSMC_NODE_STRING)
                buf_add(&text, s->str, s->len);
            else
                validate_json_text(&text, s);
            buf_addc(&text, '\0');
            if (params_pattern_match(re, text.data, text.len - 1) == 0) {
                ssmc_diag *g = ssmc_diag_add(
                    p->v->diags, SSMC_RULE_SSM3010, p->v->file, s->span,
                    "default %s'%s' of parameter '%s' does not match its allowedPattern, so the "
                    "document fails on the instance unless a value is given ('parameter value "
                    "/%s/ does not match the allowed pattern /%s/'); change the default or widen "
                    "the pattern",
                    s->type == SSMC_NODE_STRING ? "" : "(as JSON text) ", text.data, p->name,
                    text.data, pat->str);
                ssmc_diag_add_related(g, p->v->file, pat->span, "allowedPattern is here");
            }
            buf_free(&text);
        }
    }
    params_pattern_free(re);
}


/* AWS's fallback for agents older than ENV_VAR support sets the variable
 * itself when it is missing: `${SSM_x+x}` in shell, `env:SSM_x` in
 * PowerShell (documents-creating-content.md). A document that has it for
 * a parameter needs no reminder about agent versions. */
static bool has_env_fallback(const ssmc_node *n, const char *name)
{
    if (!n)
        return false;
    if (n->type == SSMC_NODE_STRING) {
        char shell[160], ps[160];
        snprintf(shell, sizeof shell, "${SSM_%s+x}", name);
        snprintf(ps, sizeof ps, "env:SSM_%s", name);
        return strstr(n->str, shell) || strstr(n->str, ps);
    }
    if (n->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < n->count; i++)
            if (has_env_fallback(n->items[i], name))
                return true;
    } else if (n->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < n->count; i++)
            if (has_env_fallback(n->pairs[i].value, name))
                return true;
    }
    return false;
}

static void check_interpolation(pdef *p)
{
    const ssmc_node *it = ssmc_map_get(p->def, "interpolationType");
    if (!it)
        return;
    vctx *v = p->v;
    const grammar_param_prop *prop = grammar_param_prop_find("interpolationType");
    const char *min_schema = prop && prop->min_schema ? prop->min_schema : "2.2";
    const char *min_agent = prop && prop->min_agent ? prop->min_agent : "3.3.2746.0";
    if (!prop_has_value(prop, it)) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3017, v->file, it->span,
                      "interpolationType of parameter '%s' is '%s'; the only value is 'ENV_VAR' "
                      "(or remove the property for {{ }} substitution)",
                      p->name, ssmc_node_is_scalar(it) ? it->str : "a collection");
        return;
    }
    const char *note = NULL;
    if (p->type_name && prop &&
        grammar_param_prop_fit(prop, p->type_name, &note) != GRAMMAR_FIT_YES)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3017, v->file, it->span,
                      "interpolationType on %s parameter '%s': %s; make it a String, or remove "
                      "the property",
                      p->type_name, p->name, note ? note : "ENV_VAR is documented for String parameters only");
    if (!v->version || grammar_version_compare(v->version, min_schema) < 0)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3018, v->file, it->span,
                      "interpolationType ENV_VAR needs schemaVersion '%s' (this document has "
                      "'%s'); the variable SSM_%s is not set otherwise",
                      min_schema, v->version ? v->version : "none", p->name);
    else if (!has_env_fallback(v->main_steps ? v->main_steps : v->runtime_config, p->name) &&
             (*p->env_var_seen)++ == 0)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3019, v->file, it->span,
                      "interpolationType ENV_VAR needs SSM Agent %s or later; older agents "
                      "leave SSM_%s unset (AWS suggests a fallback: if [ -z \"${SSM_%s+x}\" ]; then "
                      "export SSM_%s=\"{{%s}}\"; fi)",
                      min_agent, p->name, p->name, p->name, p->name);
}

static void check_properties(pdef *p)
{
    const char *names[32];
    size_t n = 0;
    buf known;
    buf_init(&known);
    for (size_t i = 0; i < grammar_param_prop_count && n < 32; i++) {
        names[n++] = grammar_param_props[i].name;
        buf_printf(&known, "%s%s", known.len ? ", " : "", grammar_param_props[i].name);
    }
    vctx *v = p->v;
    for (size_t i = 0; i < p->def->count; i++) {
        const ssmc_node *k = p->def->pairs[i].key;
        const grammar_param_prop *prop = grammar_param_prop_find(k->str);
        if (!prop) {
            const char *guess = did_you_mean(k->str, names, n);
            char *hint = guess ? xasprintf("did you mean '%s'? ", guess) : xstrdup("");
            ssmc_diag *d = ssmc_diag_add(
                v->diags, SSMC_RULE_SSM3006, v->file, k->span,
                "unknown property '%s' in parameter '%s'; %sknown properties: %s", k->str, p->name,
                hint, known.data);
            automation_lower(v, d);
            free(hint);
            continue;
        }
        if (!p->type_name || strcmp(k->str, "interpolationType") == 0)
            continue; /* interpolationType: check_interpolation */
        if (v->kind == KIND_AUTOMATION || v->kind == KIND_CHANGE_TEMPLATE)
            continue; /* the fits describe SSM Agent; Automation validates values itself */
        const char *note = NULL;
        grammar_fit fit = grammar_param_prop_fit(prop, p->type_name, &note);
        if (fit == GRAMMAR_FIT_IGNORED || fit == GRAMMAR_FIT_WARNING || fit == GRAMMAR_FIT_ERROR)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM3007, v->file, k->span,
                          "'%s' on %s parameter '%s' %s%s%s; remove it, or change the type",
                          k->str, p->type_name, p->name,
                          fit == GRAMMAR_FIT_IGNORED ? "is ignored by the agent" : "has no reliable effect",
                          note ? ": " : "", note ? note : "");
    }
    buf_free(&known);
    const ssmc_node *dt = ssmc_map_get(p->def, "displayType");
    if (dt && !prop_has_value(grammar_param_prop_find("displayType"), dt))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3020, v->file, dt->span,
                      "displayType of parameter '%s' is '%s'; use 'textfield' (one line) or "
                      "'textarea' (several lines)",
                      p->name, ssmc_node_is_scalar(dt) ? dt->str : "a collection");
}

static void check_type(pdef *p)
{
    vctx *v = p->v;
    const ssmc_node *t = ssmc_map_get(p->def, "type");
    if (!t) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3002, v->file, p->key->span,
                      "parameter '%s' has no type; add type: String (or StringList, Boolean, "
                      "Integer, StringMap, MapList)",
                      p->name);
        return;
    }
    if (t->type != SSMC_NODE_STRING) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3003, v->file, t->span,
                      "type of parameter '%s' must be one of String, StringList, Boolean, "
                      "Integer, StringMap, MapList, not %s",
                      p->name, ssmc_node_type_phrase(t->type));
        return;
    }
    const grammar_param_type *gt = grammar_param_type_find(t->str);
    if (!gt) {
        const char *names[32];
        size_t n = 0;
        for (size_t i = 0; i < grammar_param_type_count && n < 32; i++)
            if (grammar_param_types[i].command_fit != GRAMMAR_FIT_ERROR)
                names[n++] = grammar_param_types[i].name;
        const char *guess = did_you_mean(t->str, names, n);
        char *hint = guess ? xasprintf("did you mean '%s'? ", guess) : xstrdup("");
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3003, v->file, t->span,
                      "unknown type '%s' of parameter '%s'; %stypes are String, StringList, "
                      "Boolean, Integer, StringMap, MapList",
                      t->str, p->name, hint);
        free(hint);
        return;
    }
    if (v->kind == KIND_AUTOMATION || v->kind == KIND_CHANGE_TEMPLATE) {
        /* Every type, the AWS:: console types included, is an Automation
         * type (spec section 1.3); the fits below are about Command. */
        p->type = type_from_grammar(gt);
        p->type_name = gt->name;
        return;
    }
    /* The Command notes on types do not apply to Session documents, whose
     * User Guide examples declare Boolean parameters. */
    bool command_notes = v->kind != KIND_SESSION;
    if (command_notes && gt->command_fit == GRAMMAR_FIT_ERROR) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3003, v->file, t->span,
                      "type '%s' of parameter '%s' is %s; in %s %s document use %s",
                      t->str, p->name, gt->command_note ? gt->command_note : "not allowed here",
                      ssmc_article(doc_kind_name(v->kind)), doc_kind_name(v->kind),
                      gt->value == GRAMMAR_T_STRING_LIST ? "StringList" : "String");
        return;
    }
    p->type = type_from_grammar(gt);
    p->type_name = gt->name;
    if (!command_notes)
        return;
    if (gt->command_fit == GRAMMAR_FIT_WARNING)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3004, v->file, t->span,
                      "%s parameter '%s' in %s %s document: %s; use %s unless a plugin input needs "
                      "this type",
                      t->str, p->name, ssmc_article(doc_kind_name(v->kind)), doc_kind_name(v->kind),
                      gt->command_note ? gt->command_note : "only String and StringList are documented",
                      p->type == PT_MAP_LIST ? "StringList or StringMap" : "String with an allowedPattern");
    else if (gt->command_fit == GRAMMAR_FIT_INFO)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3005, v->file, t->span,
                      "StringMap parameter '%s': %s; plugin inputs such as documentParameters and "
                      "sourceInfo accept both forms, scripts see JSON",
                      p->name, gt->command_note ? gt->command_note : "Run Command may deliver it as JSON text");
}


static void check_name(vctx *v, const ssmc_node *key)
{
    bool ok = key->len > 0;
    for (size_t i = 0; i < key->len; i++)
        ok = ok && is_alnum(key->str[i]);
    if (ok)
        return;
    char *fixed = alnum_name(key->str);
    if (*fixed)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3001, v->file, key->span,
                      "Parameter name \"%s\" is not alpha-numeric. (CreateDocument's error); "
                      "use letters and digits only, e.g. \"%s\", and rename its {{ }} references",
                      key->str, fixed);
    else
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3001, v->file, key->span,
                      "Parameter name \"%s\" is not alpha-numeric. (CreateDocument's error); "
                      "use letters and digits only",
                      key->str);
    free(fixed);
}

void validate_parameters(vctx *v)
{
    int env_var_seen = 0;
    if (!params_kind_checked(v) || !v->parameters)
        return;
    for (size_t i = 0; i < v->parameters->count; i++) {
        const ssmc_node *key = v->parameters->pairs[i].key;
        const ssmc_node *def = v->parameters->pairs[i].value;
        if (!ssmc_node_is_scalar(key))
            continue;
        check_name(v, key);
        if (def->type != SSMC_NODE_MAP) {
            ssmc_diag_add(v->diags, SSMC_RULE_SSM3002, v->file, def->span,
                          "parameter '%s' must be a mapping such as {type: String, default: ...}, "
                          "not %s",
                          key->str, ssmc_node_type_phrase(def->type));
            continue;
        }
        pdef p;
        memset(&p, 0, sizeof p);
        p.v = v;
        p.name = key->str;
        p.key = key;
        p.def = def;
        p.dflt = ssmc_map_get(def, "default");
        p.env_var_seen = &env_var_seen;
        check_type(&p);
        check_properties(&p);
        check_default_type(&p);
        check_allowed_values(&p);
        check_pattern(&p);
        check_limits(&p);
        check_interpolation(&p);
    }
}
