/* validate_steps.c — the steps of Command and Policy documents: mainSteps
 * (2.x) and runtimeConfig (1.2), each plugin's inputs, preconditions and
 * platforms. Everything about plugins comes from the grammar tables
 * (grammar.h, generated from grammar/); this file holds the rules, never a
 * plugin's description. Sources: spec sections 4, 5 and 11; agent
 * runpluginutil, docparser, the plugin packages; docs
 * documents-command-ssm-plugin-reference.md. */
#include "validate.h"

#include "grammar.h"
#include "refs.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct step_info {
    ssmc_node *step;            /* the step mapping (2.x) or runtimeConfig value (1.2) */
    ssmc_node *name;            /* the name node (string), or NULL */
    ssmc_node *action;          /* the action node (2.x) or the runtimeConfig key (1.2) */
    const grammar_plugin *plugin;
    unsigned allowed;           /* platforms the precondition lets through */
} step_info;

typedef struct sctx {
    vctx *v;
    bool v12;                   /* runtimeConfig (1.2) rather than mainSteps */
    bool skip_semantics;        /* schema >= 2.2: unsupported plugins are skipped */
    step_info *steps;
    size_t count;
    bool platform_seen;         /* some step has a platformType precondition */
} sctx;

/* --- small helpers ------------------------------------------------------- */

static ssmc_diag *diag(sctx *s, ssmc_rule rule, const ssmc_node *at, const char *fmt, ...)
    SSMC_PRINTF(4, 5);

static ssmc_diag *diag(sctx *s, ssmc_rule rule, const ssmc_node *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ssmc_diag *d = ssmc_diag_addv(s->v->diags, rule, s->v->file, loc_of_node(at), fmt, ap);
    va_end(ap);
    return d;
}

static bool is_string(const ssmc_node *n)
{
    return n && n->type == SSMC_NODE_STRING;
}

/* The fix of a misspelt key or value: the suggested name, unless the map
 * already has that key (the rename would make a duplicate). */
static void fix_rename(sctx *s, ssmc_diag *d, const ssmc_node *map, const ssmc_node *at,
                       const char *to)
{
    if (map && ssmc_map_get(map, to))
        return;
    fix_replace_scalar(d, s->v->sources, at, to, false);
}

static bool has_token(const ssmc_node *n)
{
    return is_string(n) && refs_has_double(n->str, n->len, '{');
}

/* The declared type of parameter `name`, or NULL when it is not declared. */
static const char *param_type(const vctx *v, const char *name, size_t len)
{
    if (!v->parameters)
        return NULL;
    for (size_t i = 0; i < v->parameters->count; i++) {
        const ssmc_node *k = v->parameters->pairs[i].key;
        if (k->len == len && memcmp(k->str, name, len) == 0) {
            const ssmc_node *def = v->parameters->pairs[i].value;
            const ssmc_node *type = def && def->type == SSMC_NODE_MAP ? ssmc_map_get(def, "type") : NULL;
            return is_string(type) ? type->str : "String";
        }
    }
    return NULL;
}

/* When the whole of n is one {{ name }} token: its name (into buf) and the
 * declared type (NULL when undeclared). */
static bool whole_param(const vctx *v, const ssmc_node *n, char *name, size_t size,
                        const char **type)
{
    ref_token t;
    if (!is_string(n) || !refs_whole_value(n->str, n->len, &t))
        return false;
    size_t len = t.name_len < size - 1 ? t.name_len : size - 1;
    memcpy(name, n->str + t.name_start, len);
    name[len] = '\0';
    *type = param_type(v, n->str + t.name_start, t.name_len);
    return true;
}

typedef struct one_token {
    int count;
    bool whole;
} one_token;

static bool count_one(const ref_token *t, const char *str, void *user)
{
    (void)str;
    one_token *o = user;
    o->count++;
    o->whole = t->start == 0;
    return true;
}

/* A string that is exactly one {{ ... }} token of any kind. */
static bool single_token(const ssmc_node *n)
{
    if (!is_string(n))
        return false;
    one_token o = {0, false};
    refs_scan(n->str, n->len, count_one, &o);
    if (o.count != 1 || !o.whole)
        return false;
    return n->len >= 2 && n->str[n->len - 1] == '}' && n->str[n->len - 2] == '}';
}

/* The grammar value type of a parameter type name. */
static grammar_vtype param_vtype(const char *type)
{
    const grammar_param_type *t = grammar_param_type_find(type);
    return t ? t->value : GRAMMAR_T_ANY;
}

static grammar_vtype node_vtype(const ssmc_node *n)
{
    switch (n->type) {
    case SSMC_NODE_STRING: return GRAMMAR_T_STRING;
    case SSMC_NODE_BOOL: return GRAMMAR_T_BOOLEAN;
    case SSMC_NODE_INT: return GRAMMAR_T_INTEGER;
    case SSMC_NODE_FLOAT: return GRAMMAR_T_NUMBER;
    case SSMC_NODE_MAP: return GRAMMAR_T_MAP;
    case SSMC_NODE_SEQ: {
        bool strings = true, maps = true;
        for (size_t i = 0; i < n->count; i++) {
            /* null decodes into "" in a Go []string, so it counts as one. */
            strings &= n->items[i]->type == SSMC_NODE_STRING ||
                       n->items[i]->type == SSMC_NODE_NULL;
            maps &= n->items[i]->type == SSMC_NODE_MAP;
        }
        return strings ? GRAMMAR_T_STRING_LIST : maps ? GRAMMAR_T_MAP_LIST : GRAMMAR_T_LIST;
    }
    default: return GRAMMAR_T_ANY;
    }
}

/* Whether a value of type `have` decodes into an input of type `want`. */
static bool accepts(grammar_vtype want, grammar_vtype have)
{
    if (want == GRAMMAR_T_ANY || have == GRAMMAR_T_ANY)
        return true;
    switch (want) {
    case GRAMMAR_T_STRING: return have == GRAMMAR_T_STRING;
    case GRAMMAR_T_STRING_LIST: return have == GRAMMAR_T_STRING_LIST;
    case GRAMMAR_T_STRING_OR_LIST:
        return have == GRAMMAR_T_STRING || have == GRAMMAR_T_STRING_LIST || have == GRAMMAR_T_LIST;
    case GRAMMAR_T_STRING_MAP:
    case GRAMMAR_T_MAP_OR_LIST:
        return have == GRAMMAR_T_MAP || have == GRAMMAR_T_STRING ||
               (want == GRAMMAR_T_MAP_OR_LIST && have == GRAMMAR_T_MAP_LIST);
    case GRAMMAR_T_MAP: return have == GRAMMAR_T_MAP;
    case GRAMMAR_T_LIST:
        return have == GRAMMAR_T_STRING_LIST || have == GRAMMAR_T_MAP_LIST || have == GRAMMAR_T_LIST;
    case GRAMMAR_T_MAP_LIST: return have == GRAMMAR_T_MAP_LIST;
    case GRAMMAR_T_BOOLEAN: return have == GRAMMAR_T_BOOLEAN || have == GRAMMAR_T_STRING;
    case GRAMMAR_T_BOOL_STRING: return have == GRAMMAR_T_STRING || have == GRAMMAR_T_BOOLEAN;
    case GRAMMAR_T_INTEGER: return have == GRAMMAR_T_INTEGER;
    case GRAMMAR_T_NUMBER:
        return have == GRAMMAR_T_INTEGER || have == GRAMMAR_T_NUMBER || have == GRAMMAR_T_STRING;
    default: return true;
    }
}

/* The parameter type to declare for an input of type t. */
static const char *param_type_for(grammar_vtype t)
{
    switch (t) {
    case GRAMMAR_T_STRING_LIST: return "StringList";
    case GRAMMAR_T_STRING_MAP: case GRAMMAR_T_MAP: return "StringMap";
    case GRAMMAR_T_MAP_LIST: return "MapList";
    case GRAMMAR_T_BOOLEAN: return "Boolean";
    case GRAMMAR_T_INTEGER: return "Integer";
    default: return "String";
    }
}

/* How to write a value of input type t. */
static const char *type_fix(grammar_vtype t)
{
    switch (t) {
    case GRAMMAR_T_STRING_LIST: return "write a list of strings, quoting every item";
    case GRAMMAR_T_STRING_MAP:
    case GRAMMAR_T_MAP: return "write a mapping (key: value), or its JSON text in a string";
    case GRAMMAR_T_MAP_LIST:
    case GRAMMAR_T_MAP_OR_LIST: return "write a mapping or a list of mappings";
    case GRAMMAR_T_LIST: return "write a list";
    case GRAMMAR_T_BOOLEAN: return "write true or false";
    case GRAMMAR_T_BOOL_STRING: return "write 'true' or 'false'";
    case GRAMMAR_T_INTEGER:
    case GRAMMAR_T_NUMBER: return "write a number";
    case GRAMMAR_T_STRING_OR_LIST: return "write a string or a list of strings";
    default: return "write a string";
    }
}

static const char *node_type_text(const ssmc_node *n)
{
    switch (n->type) {
    case SSMC_NODE_STRING: return "a string";
    case SSMC_NODE_BOOL: return "a boolean";
    case SSMC_NODE_INT: return "an integer";
    case SSMC_NODE_FLOAT: return "a number";
    case SSMC_NODE_MAP: return "a mapping";
    case SSMC_NODE_SEQ: return "a list";
    default: return "null";
    }
}

static void list_values(buf *b, const char *const *values, size_t count)
{
    for (size_t i = 0; i < count; i++)
        buf_printf(b, "%s'%s'", i ? (i + 1 == count ? " or " : ", ") : "", values[i]);
}

bool validate_pattern_matches(const char *pattern, const char *s, size_t len)
{
    bool compiled;
    int rc = params_pattern_search(pattern, PCRE2_UTF, s, len, &compiled);
    if (!compiled)
        return true; /* a grammar fault; unit tests compile every pattern */
    return rc >= 0 || rc == PCRE2_ERROR_BADUTFOFFSET;
}

/* --- one input value ----------------------------------------------------- */

static void check_value(sctx *s, const grammar_plugin *plugin, const char *label,
                        const grammar_input *in, ssmc_node *value);

static void check_string_value(sctx *s, const char *label, const grammar_input *in,
                               ssmc_node *value)
{
    if (!is_string(value))
        return;
    bool templated = has_token(value);
    if (in->value_count && !templated) {
        bool ok = false;
        const char *fold = NULL;
        for (size_t i = 0; i < in->value_count; i++) {
            if (strcmp(in->values[i], value->str) == 0)
                ok = true;
            else if (str_eq_nocase(in->values[i], value->str))
                fold = in->values[i];
        }
        if (!ok) {
            buf b;
            buf_init(&b);
            list_values(&b, in->values, in->value_count);
            if (fold)
                diag(s, SSMC_RULE_SSM4017, value,
                     "'%s' is not a valid %s (values are case-sensitive); write '%s'", value->str,
                     label, fold);
            else
                diag(s, SSMC_RULE_SSM4017, value, "'%s' is not a valid %s; use %s", value->str,
                     label, b.data);
            buf_free(&b);
        }
    }
    if (in->pattern && !templated && !validate_pattern_matches(in->pattern, value->str, value->len))
        diag(s, SSMC_RULE_SSM4018, value,
             "%s '%s' does not match the pattern %s the agent checks, so the step fails; change "
             "the value to match",
             label, value->str, in->pattern);
    if (in->forbidden_chars) {
        size_t bad = strcspn(value->str, in->forbidden_chars);
        if (bad < value->len)
            diag(s, SSMC_RULE_SSM4018, value,
                 "%s may not contain any of '%s' (found '%c'); the agent rejects it", label,
                 in->forbidden_chars, value->str[bad]);
    }
    if (in->must_be_empty && value->len > 0)
        diag(s, SSMC_RULE_SSM4022, value, "%s must be empty: the agent rejects any value; remove it",
             label);
    if (in->max_length && utf8_count(value->str, value->len) > in->max_length)
        diag(s, SSMC_RULE_SSM4020, value,
             "%s is %zu characters, over its limit of %zu (keys and values count); shorten the "
             "values or pass large ones through Parameter Store ({{ssm:name}})",
             label, utf8_count(value->str, value->len), in->max_length);
}

static void check_range(sctx *s, const char *label, const grammar_input *in, ssmc_node *value)
{
    double d;
    if (value->type == SSMC_NODE_INT)
        d = (double)value->val.i;
    else if (value->type == SSMC_NODE_FLOAT)
        d = value->val.f;
    else if (is_string(value)) {
        if (has_token(value))
            return;
        char *end;
        d = strtod(value->str, &end);
        if (value->len == 0 || end != value->str + value->len) {
            diag(s, SSMC_RULE_SSM4023, value,
                 "%s '%s' is not a number; the agent silently uses 3600 seconds instead; write a "
                 "number of seconds from %lld to %lld",
                 label, value->str, in->range_min, in->range_max);
            return;
        }
    } else {
        return;
    }
    if (!(d >= (double)in->range_min && d <= (double)in->range_max))
        diag(s, SSMC_RULE_SSM4023, value,
             "%s %s is outside %lld..%lld; the agent silently uses 3600 seconds instead", label,
             value->str ? value->str : "", in->range_min, in->range_max);
}

static void check_map_keys(sctx *s, const char *label, const grammar_input *in, ssmc_node *value)
{
    if (!in->key_prefix || value->type != SSMC_NODE_MAP)
        return;
    size_t plen = strlen(in->key_prefix);
    for (size_t i = 0; i < value->count; i++) {
        ssmc_node *k = value->pairs[i].key;
        if (k->len < plen || strncmp(k->str, in->key_prefix, plen) != 0)
            diag(s, SSMC_RULE_SSM4020, k,
                 "key '%s' of %s must start with '%s' (the agent rejects the input); write '%s%s'",
                 k->str, label, in->key_prefix, in->key_prefix, k->str);
    }
}

/* The keys, values and size of a map input (a mapping, or the mapping read
 * from its JSON text). The size limit counts the input as the agent gets it:
 * JSON text, keys and values together (aws:configurePackage
 * additionalArguments: "a 4096 character limit. This limit includes all of
 * the keys and values you define", plugin reference). */
static void check_value(sctx *s, const grammar_plugin *plugin, const char *label,
                        const grammar_input *in, ssmc_node *value);

static void check_map_input(sctx *s, const grammar_plugin *plugin, const char *label,
                            const grammar_input *in, ssmc_node *value)
{
    if (!value || value->type != SSMC_NODE_MAP)
        return;
    check_map_keys(s, label, in, value);
    if (in->value_type != GRAMMAR_T_ANY) {
        grammar_input item = {0};
        item.name = in->name;
        item.type = in->value_type;
        item.value_type = GRAMMAR_T_ANY;
        for (size_t i = 0; i < value->count; i++) {
            char sub[200];
            snprintf(sub, sizeof sub, "%s.%s", label, value->pairs[i].key->str);
            check_value(s, plugin, sub, &item, value->pairs[i].value);
        }
    }
    if (in->max_length && value->style != SSMC_STYLE_JSON) {
        buf text;
        buf_init(&text);
        validate_json_text(&text, value);
        size_t n = utf8_count(text.data, text.len);
        if (n > in->max_length)
            diag(s, SSMC_RULE_SSM4020, value,
                 "%s is %zu characters as the JSON text the agent receives, over its limit of %zu "
                 "(keys and values count); shorten the values or pass large ones through "
                 "Parameter Store ({{ssm:name}})",
                 label, n, in->max_length);
        buf_free(&text);
    }
}

/* The keys of a map input whose shape depends on another input
 * (aws:downloadContent sourceInfo by sourceType). */
static void check_variant(sctx *s, const grammar_plugin *plugin, const grammar_input *in,
                          ssmc_node *value, ssmc_node *inputs)
{
    if (!in->variant_by || value->type != SSMC_NODE_MAP || !inputs)
        return;
    ssmc_node *by = NULL;
    for (size_t i = 0; i < inputs->count; i++)
        if (str_eq_nocase(inputs->pairs[i].key->str, in->variant_by))
            by = inputs->pairs[i].value;
    if (!is_string(by) || has_token(by))
        return;
    const grammar_variant *var = grammar_input_variant(in, by->str);
    if (!var)
        return; /* the selecting input's own value check reports it */
    buf known;
    buf_init(&known);
    for (size_t i = 0; i < var->key_count; i++)
        buf_printf(&known, "%s%s", i ? ", " : "", var->keys[i].name);
    for (size_t i = 0; i < value->count; i++) {
        ssmc_node *k = value->pairs[i].key;
        bool exact;
        const grammar_input *key = grammar_input_find(var->keys, var->key_count, k->str, &exact);
        if (!key) {
            diag(s, SSMC_RULE_SSM4013, k, "unknown key '%s' in %s for %s %s; known keys: %s",
                 k->str, in->name, in->variant_by, by->str, known.data);
            continue;
        }
        if (!exact)
            diag(s, SSMC_RULE_SSM4014, k, "'%s' should be spelled '%s'", k->str, key->name);
        char label[160];
        snprintf(label, sizeof label, "%s.%s", in->name, key->name);
        check_value(s, plugin, label, key, value->pairs[i].value);
    }
    for (size_t i = 0; i < var->key_count; i++) {
        if (!var->keys[i].required)
            continue;
        bool found = false;
        for (size_t j = 0; j < value->count; j++)
            found |= str_eq_nocase(value->pairs[j].key->str, var->keys[i].name);
        if (!found)
            diag(s, SSMC_RULE_SSM4019, by, "%s %s needs %s.%s; add it (keys for %s: %s)",
                 in->variant_by, by->str, in->name, var->keys[i].name, by->str, known.data);
    }
    buf_free(&known);
}


/* A list input with an item YAML did not read as a string. The usual cause
 * is a plain scalar with ': ' in it (`- cut -d: -f1` is a mapping), or a
 * bare number or boolean; each is shown at the item with its fix. Returns
 * whether anything was reported. (validate.h) */
bool validate_non_string_items(vctx *v, const char *label, const ssmc_node *list)
{
    sctx one = {.v = v}, *s = &one;
    bool found = false;
    for (size_t i = 0; i < list->count; i++) {
        const ssmc_node *item = list->items[i];
        /* Go decodes a JSON null into "" for a []string element: the agent
         * runs an empty line, which is harmless. */
        if (is_string(item) || item->type == SSMC_NODE_NULL)
            continue;
        found = true;
        if (item->type == SSMC_NODE_MAP && item->style == SSMC_STYLE_BLOCK && item->count == 1 &&
            item->pairs[0].key->style == SSMC_STYLE_PLAIN) {
            const ssmc_source *src = s->v->source;
            size_t a = item->span.start, b = item->span.end;
            const char *nl = memchr(src->data + a, '\n', b - a);
            if (nl)
                b = (size_t)(nl - src->data);
            diag(s, SSMC_RULE_SSM4016, item,
                 "item %zu of %s is a mapping, not a string: YAML reads the ': ' in it as a "
                 "key/value separator; quote the whole item: '%.*s'",
                 i + 1, label, (int)(b - a > 200 ? 200 : b - a), src->data + a);
        } else if (ssmc_node_is_scalar(item)) {
            diag(s, SSMC_RULE_SSM4016, item,
                 "item %zu of %s is %s, not a string; the agent decodes a list of strings: quote "
                 "it: '%s'",
                 i + 1, label, node_type_text(item), item->str);
        } else {
            diag(s, SSMC_RULE_SSM4016, item,
                 "item %zu of %s is %s, not a string; %s takes a flat list of strings",
                 i + 1, label, node_type_text(item), label);
        }
    }
    return found;
}

static void check_value(sctx *s, const grammar_plugin *plugin, const char *label,
                        const grammar_input *in, ssmc_node *value)
{
    if (!value || value->type == SSMC_NODE_NULL)
        return;
    char pname[128];
    const char *ptype;
    if (whole_param(s->v, value, pname, sizeof pname, &ptype)) {
        /* The agent substitutes a whole-value token with the parameter's type. */
        if (!ptype)
            return; /* undeclared: reported with the references */
        grammar_vtype have = param_vtype(ptype);
        if (in->type == GRAMMAR_T_BOOL_STRING && have == GRAMMAR_T_BOOLEAN)
            diag(s, SSMC_RULE_SSM4040, value,
                 "%s gets the Boolean parameter '%s' as a JSON boolean, but the agent decodes a "
                 "string; declare '%s' as String with allowedValues ['true', 'false']",
                 label, pname, pname);
        else if (!accepts(in->type, have) && in->type == GRAMMAR_T_STRING_LIST &&
                 have == GRAMMAR_T_STRING)
            diag(s, SSMC_RULE_SSM4016, value,
                 "%s must be StringList, but the String parameter '%s' replaces the whole value "
                 "with a string; declare '%s' as StringList, or write a list: ['{{ %s }}']",
                 label, pname, pname, pname);
        else if (!accepts(in->type, have))
            diag(s, SSMC_RULE_SSM4016, value,
                 "%s must be %s, but the %s parameter '%s' replaces the whole value with its "
                 "type (CreateDocument rejects the mismatch); declare '%s' as %s",
                 label, grammar_vtype_name(in->type), ptype, pname, pname,
                 param_type_for(in->type));
        return;
    }
    if (in->type == GRAMMAR_T_STRING_LIST && value->type == SSMC_NODE_SEQ &&
        validate_non_string_items(s->v, label, value))
        return;
    grammar_vtype have = node_vtype(value);
    if (in->type == GRAMMAR_T_STRING_LIST && value->type == SSMC_NODE_STRING) {
        if (single_token(value))
            return; /* {{ssm:list}} and the like */
        if (strcmp(in->name, "runCommand") == 0)
            diag(s, SSMC_RULE_SSM4024, value,
                 "runCommand of %s must be a list of strings; the agent cannot decode a plain "
                 "string; make it a one-item list (runCommand: [...]) or a '{{ list }}' token of "
                 "a StringList parameter",
                 plugin ? plugin->name : "this plugin");
        else
            diag(s, SSMC_RULE_SSM4016, value, "%s must be a list of strings, not a string; write [%s]",
                 label, value->str);
        return;
    }
    if (in->type == GRAMMAR_T_BOOL_STRING && value->type == SSMC_NODE_BOOL) {
        diag(s, SSMC_RULE_SSM4040, value,
             "%s is decoded by the agent as a string; write '%s' in quotes", label,
             value->val.b ? "true" : "false");
        return;
    }
    if (in->type == GRAMMAR_T_BOOLEAN && plugin && is_string(value) && !has_token(value)) {
        /* sourceInfo skipHostKeyChecking / allowInsecureDownload are Go bool
         * fields: the text "true" fails the decode (agent downloadcontent
         * privategit GitInfo, httpresource HTTPInfo). */
        bool t = str_eq_nocase(value->str, "true");
        diag(s, SSMC_RULE_SSM4016, value,
             "%s must be a JSON boolean, not the string '%s': the agent decodes a bool and fails "
             "on text; write %s without quotes",
             label, value->str, t ? "true" : "false");
        return;
    }
    if (!accepts(in->type, have)) {
        if (in->type == GRAMMAR_T_BOOLEAN && in->values == NULL && !plugin)
            ; /* shared finallyStep: reported below */
        else {
            if (in->type == GRAMMAR_T_STRING && ssmc_node_is_scalar(value) && value->str)
                diag(s, SSMC_RULE_SSM4016, value, "%s must be String, not %s; quote it: '%s'",
                     label, node_type_text(value), value->str);
            else
                diag(s, SSMC_RULE_SSM4016, value, "%s must be %s, not %s; %s", label,
                     grammar_vtype_name(in->type), node_type_text(value), type_fix(in->type));
            return;
        }
    }
    if (value->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < value->count; i++) {
            ssmc_node *item = value->items[i];
            const char *itype;
            if (in->type == GRAMMAR_T_STRING_LIST &&
                whole_param(s->v, item, pname, sizeof pname, &itype) && itype &&
                param_vtype(itype) == GRAMMAR_T_STRING_LIST)
                diag(s, SSMC_RULE_SSM4025, item,
                     "the StringList parameter '%s' as a list item makes a nested list that %s "
                     "cannot decode; write %s: '{{ %s }}' without the brackets",
                     pname, plugin ? plugin->name : "the plugin", in->name, pname);
            else if (is_string(item))
                check_string_value(s, label, in, item);
        }
    } else {
        check_string_value(s, label, in, value);
    }
    if (in->has_range)
        check_range(s, label, in, value);
    check_map_input(s, plugin, label, in, value);
}

/* --- the inputs of one step ---------------------------------------------- */

/* A map input written as JSON text in a string (sourceInfo:
 * '{"path": "https://..."}'): the agent decodes the text, so its keys and
 * values get the same checks as a mapping. aws:downloadContent fails with
 * "SourceInfo could not be unmarshalled" when the text is not an object
 * (agent downloadcontent *resource parseSourceInfo). */
/* aws:runDocument reads a string documentParameters as JSON (then YAML)
 * after the parent's parameters are pasted into it, so a String value such
 * as abc","Cmd":"x adds keys to the child's parameters (agent
 * rundocument.go prepareDocumentForExecution). */
typedef struct dp_scan {
    sctx *s;
    const ssmc_node *value;
} dp_scan;

static bool dp_token(const ref_token *t, const char *str, void *user)
{
    dp_scan *d = user;
    const vctx *v = d->s->v;
    if (t->kind != REF_PARAM || !v->parameters)
        return true;
    const char *name = str + t->name_start;
    for (size_t i = 0; i < v->parameters->count; i++) {
        const ssmc_node *k = v->parameters->pairs[i].key, *def = v->parameters->pairs[i].value;
        if (k->len != t->name_len || memcmp(k->str, name, t->name_len) != 0)
            continue;
        const char *type = param_type(v, name, t->name_len);
        if (!type || strcmp(type, "String") != 0 || !def || def->type != SSMC_NODE_MAP ||
            ssmc_map_get(def, "allowedPattern") || ssmc_map_get(def, "allowedValues"))
            return true;
        ssmc_diag *dg = ssmc_diag_add(
            v->diags, SSMC_RULE_SSM5152, v->file,
            refs_locate(v->source, d->value, t->start, t->end),
            "String parameter '%.*s' is pasted into the text of documentParameters, which the "
            "agent then reads as JSON or YAML: a value such as abc\",\"Other\":\"x sets "
            "other parameters of the child document; constrain it with allowedPattern or "
            "allowedValues, or write documentParameters as a mapping",
            (int)t->name_len, name);
        ssmc_diag_add_related(dg, v->file, k->span, "parameter '%.*s' is declared here",
                              (int)t->name_len, name);
        return true;
    }
    return true;
}

static void check_json_text_input(sctx *s, const grammar_plugin *plugin, const grammar_input *in,
                                  ssmc_node *value, ssmc_node *inputs)
{
    if (strcmp(plugin->name, "aws:runDocument") == 0 && strcmp(in->name, "documentParameters") == 0 &&
        is_string(value)) {
        dp_scan d = {s, value};
        refs_scan(value->str, value->len, dp_token, &d);
    }
    if (in->type != GRAMMAR_T_STRING_MAP || !is_string(value) || value->len == 0 ||
        single_token(value))
        return;
    ssmc_node *map = validate_json_object(s->v, value);
    if (!map) {
        if (in->variant_by && !has_token(value))
            diag(s, SSMC_RULE_SSM4016, value,
                 "%s is a string but not a JSON object, so the agent cannot decode it; write a "
                 "mapping, or JSON text such as '{\"key\": \"value\"}'",
                 in->name);
        return;
    }
    check_map_input(s, plugin, in->name, in, map);
    check_variant(s, plugin, in, map, inputs);
}

static int strncasecmp_ascii(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = (unsigned char)a[i], cb = (unsigned char)b[i];
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || !ca)
            return ca - cb;
    }
    return 0;
}

static void known_inputs(buf *b, const grammar_plugin *plugin)
{
    size_t n = 0;
    for (size_t i = 0; i < plugin->input_count; i++)
        if (!plugin->inputs[i].agent_only)
            buf_printf(b, "%s%s", n++ ? ", " : "", plugin->inputs[i].name);
    for (size_t i = 0; i < grammar_shared_input_count; i++)
        buf_printf(b, "%s%s", n++ ? ", " : "", grammar_shared_inputs[i].name);
}

static const char *suggest_input(const grammar_plugin *plugin, const char *word)
{
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; i < plugin->input_count && n < 60; i++)
        names[n++] = plugin->inputs[i].name;
    for (size_t i = 0; i < grammar_shared_input_count && n < 64; i++)
        names[n++] = grammar_shared_inputs[i].name;
    const char *best = did_you_mean(word, names, n);
    if (best || strlen(word) < 4)
        return best;
    /* "workingDir" for workingDirectory, "Command" for runCommand. */
    size_t wl = strlen(word);
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(names[i]);
        if (nl > wl && (strncasecmp_ascii(names[i], word, wl) == 0 ||
                        strncasecmp_ascii(names[i] + nl - wl, word, wl) == 0))
            return names[i];
    }
    return NULL;
}

static void check_shared(sctx *s, size_t index, const grammar_input *in, ssmc_node *key,
                         ssmc_node *value)
{
    if (!value || value->type == SSMC_NODE_NULL || has_token(value))
        return;
    if (in->value_count) {
        bool ok = false;
        const char *fold = NULL;
        for (size_t i = 0; is_string(value) && i < in->value_count; i++) {
            if (strcmp(in->values[i], value->str) == 0)
                ok = true;
            else if (str_eq_nocase(in->values[i], value->str))
                fold = in->values[i];
        }
        if (!ok) {
            buf b;
            buf_init(&b);
            list_values(&b, in->values, in->value_count);
            diag(s, SSMC_RULE_SSM4026, value,
                 "%s '%s' is ignored by SSM Agent; %s%s%s (case-sensitive)", in->name,
                 value->str ? value->str : node_type_text(value), fold ? "write '" : "use ",
                 fold ? fold : b.data, fold ? "'" : "");
            buf_free(&b);
        }
        return;
    }
    /* finallyStep: true/false, or the string "true"/"false". */
    bool truth;
    if (value->type == SSMC_NODE_BOOL)
        truth = value->val.b;
    else if (is_string(value) && (strcmp(value->str, "true") == 0 || strcmp(value->str, "false") == 0))
        truth = value->str[0] == 't';
    else {
        diag(s, SSMC_RULE_SSM4026, value, "%s must be true or false; the agent ignores %s",
             in->name, value->str ? value->str : node_type_text(value));
        return;
    }
    if (truth && !s->v12 && index + 1 < s->count)
        diag(s, SSMC_RULE_SSM4027, key,
             "finallyStep is honoured only on the last step; step %zu of %zu is skipped after an "
             "exit condition like any other; move it to the end",
             index + 1, s->count);
}

static ssmc_node *input_value(ssmc_node *inputs, const char *name)
{
    if (!inputs)
        return NULL;
    for (size_t i = 0; i < inputs->count; i++)
        if (str_eq_nocase(inputs->pairs[i].key->str, name))
            return inputs->pairs[i].value;
    return NULL;
}

static void check_requirements(sctx *s, const grammar_plugin *plugin, ssmc_node *inputs)
{
    for (size_t r = 0; r < plugin->requirement_count; r++) {
        const grammar_requirement *req = &plugin->requirements[r];
        ssmc_node *when = input_value(inputs, req->when);
        if (!is_string(when) || has_token(when))
            continue;
        bool hit = false;
        for (size_t i = 0; i < req->value_count; i++)
            hit |= strcmp(req->values[i], when->str) == 0;
        if (!hit)
            continue;
        buf missing;
        buf_init(&missing);
        size_t present = 0, absent = 0;
        for (size_t i = 0; i < req->input_count; i++) {
            ssmc_node *v = input_value(inputs, req->inputs[i]);
            if (v && v->type != SSMC_NODE_NULL && !(is_string(v) && v->len == 0))
                present++;
            else
                buf_printf(&missing, "%s'%s'", absent++ ? (req->any_of ? " or " : " and ") : "",
                           req->inputs[i]);
        }
        if (req->any_of ? present == 0 : absent > 0)
            diag(s, SSMC_RULE_SSM4019, when, "%s %s needs %s; add %s", req->when, when->str,
                 missing.data, absent > 1 && !req->any_of ? "them" : "it");
        buf_free(&missing);
    }
}

static void check_inputs(sctx *s, size_t index, const grammar_plugin *plugin, ssmc_node *inputs,
                         ssmc_node *where)
{
    bool open = plugin->open_inputs || plugin->platforms == 0;
    for (size_t i = 0; inputs && i < inputs->count; i++) {
        ssmc_node *key = inputs->pairs[i].key, *value = inputs->pairs[i].value;
        bool exact;
        const grammar_input *in = grammar_plugin_input(plugin, key->str, &exact);
        if (in) {
            if (!exact)
                diag(s, SSMC_RULE_SSM4014, key,
                     "input '%s' should be spelled '%s'; the agent accepts any letter case, AWS "
                     "documents and tools use '%s'",
                     key->str, in->name, in->name);
            if (in->agent_only && !in->must_be_empty && value && value->type != SSMC_NODE_NULL &&
                !(is_string(value) && value->len == 0))
                diag(s, SSMC_RULE_SSM4021, key,
                     "input '%s' of %s is known only to SSM Agent and not documented by AWS",
                     in->name, plugin->name);
            char label[160];
            snprintf(label, sizeof label, "%s", in->name);
            check_value(s, plugin, label, in, value);
            check_variant(s, plugin, in, value, inputs);
            check_json_text_input(s, plugin, in, value, inputs);
            continue;
        }
        in = grammar_shared_input(key->str, &exact);
        if (in) {
            if (!exact)
                fix_rename(s, diag(s, SSMC_RULE_SSM4014, key, "input '%s' should be spelled '%s'",
                                   key->str, in->name),
                           inputs, key, in->name);
            check_shared(s, index, in, key, value);
            continue;
        }
        if (s->v12 && strcmp(key->str, "id") == 0)
            continue; /* 1.2 property lists name their items with id */
        if (open)
            continue;
        buf known;
        buf_init(&known);
        known_inputs(&known, plugin);
        const char *dym = suggest_input(plugin, key->str);
        if (dym)
            fix_rename(s, diag(s, SSMC_RULE_SSM4013, key,
                               "unknown input '%s' for %s; did you mean '%s'? (known inputs: %s)",
                               key->str, plugin->name, dym, known.data),
                       inputs, key, dym);
        else
            diag(s, SSMC_RULE_SSM4013, key, "unknown input '%s' for %s; known inputs: %s",
                 key->str, plugin->name, known.data);
        buf_free(&known);
    }
    for (size_t i = 0; i < plugin->input_count; i++) {
        const grammar_input *in = &plugin->inputs[i];
        if (!in->required)
            continue;
        ssmc_node *v = input_value(inputs, in->name);
        if (!v || v->type == SSMC_NODE_NULL)
            diag(s, SSMC_RULE_SSM4015, where, "%s needs input '%s'%s%s%s; add it", plugin->name,
                 in->name, in->doc ? " (" : "", in->doc ? in->doc : "", in->doc ? ")" : "");
    }
    check_requirements(s, plugin, inputs);
}

static bool has_required_input(const grammar_plugin *plugin)
{
    for (size_t i = 0; i < plugin->input_count; i++)
        if (plugin->inputs[i].required)
            return true;
    return false;
}

/* --- plugin names -------------------------------------------------------- */

static const grammar_plugin *check_action(sctx *s, ssmc_node *action)
{
    const grammar_plugin *plugin = grammar_plugin_find(action->str);
    if (plugin) {
        const char *version = s->v->version;
        if (plugin->min_schema && version && s->v->version_major >= 0 &&
            grammar_version_compare(version, plugin->min_schema) < 0)
            diag(s, SSMC_RULE_SSM4010, action,
                 "%s needs schemaVersion %s or later (this document is %s); use schemaVersion "
                 "'2.2' with mainSteps",
                 plugin->name, plugin->min_schema, version);
        if (plugin->association_only)
            diag(s, SSMC_RULE_SSM4038, action,
                 "%s runs only from a State Manager association; Run Command fails it", plugin->name);
        if (plugin->deprecated)
            diag(s, SSMC_RULE_SSM4039, action, "%s is deprecated%s%s", plugin->name,
                 plugin->note ? "; " : "", plugin->note ? plugin->note : "");
        return plugin;
    }
    if (grammar_is_automation_action(action->str)) {
        diag(s, SSMC_RULE_SSM4009, action,
             "'%s' is an Automation action; Command documents cannot use it (CreateDocument: "
             "Unknown plugin name); use a Command plugin such as aws:runShellScript, or write an "
             "Automation runbook (schemaVersion '0.3')",
             action->str);
        return NULL;
    }
    const char *dym = did_you_mean(action->str, grammar_plugin_names, grammar_plugin_count);
    if (dym) {
        fix_rename(s, diag(s, SSMC_RULE_SSM4008, action, "unknown plugin '%s'; did you mean '%s'?",
                           action->str, dym),
                   NULL, action, dym);
    } else {
        buf b;
        buf_init(&b);
        for (size_t i = 0; i < grammar_plugin_count; i++)
            buf_printf(&b, "%s%s", i ? ", " : "", grammar_plugin_names[i]);
        diag(s, SSMC_RULE_SSM4008, action, "unknown plugin '%s'; Command plugins are: %s",
             action->str, b.data);
        buf_free(&b);
    }
    return NULL;
}

/* --- preconditions ------------------------------------------------------- */

typedef struct arg_scan {
    sctx *s;
    ssmc_node *arg;
    bool has_param, has_declared, reported_ssm;
} arg_scan;

static bool scan_arg(const ref_token *t, const char *str, void *user)
{
    arg_scan *a = user;
    if ((t->kind == REF_SSM || t->kind == REF_SSM_SECURE) && !a->reported_ssm) {
        a->reported_ssm = true;
        diag(a->s, SSMC_RULE_SSM4034, a->arg,
             "'%.*s' in a precondition: the agent rejects Parameter Store references here; "
             "declare a parameter with that default and compare '{{ name }}' instead",
             (int)(t->end - t->start), str + t->start);
    } else if (t->kind == REF_PARAM) {
        a->has_param = true;
        if (param_type(a->s->v, str + t->name_start, t->name_len))
            a->has_declared = true;
    }
    return true;
}

/* Checks the precondition of step i and returns the platforms it lets
 * through (all of them when it depends on parameters or is broken). */
static unsigned check_precondition(sctx *s, ssmc_node *key, ssmc_node *pre)
{
    const char *version = s->v->version;
    if (version && s->v->version_major >= 0 && grammar_version_compare(version, "2.2") < 0) {
        diag(s, SSMC_RULE_SSM4028, key,
             "precondition needs schemaVersion '2.2'; with %s the agent fails the step ('Precondition "
             "is not supported for document schema version prior to 2.2')",
             version);
        return GRAMMAR_OS_ALL;
    }
    if (pre->type != SSMC_NODE_MAP) {
        diag(s, SSMC_RULE_SSM4003, pre, "precondition must be a mapping such as {StringEquals: "
                                        "[platformType, Linux]}, not %s",
             node_type_text(pre));
        return GRAMMAR_OS_ALL;
    }
    unsigned allowed = GRAMMAR_OS_ALL;
    for (size_t i = 0; i < pre->count; i++) {
        ssmc_node *op = pre->pairs[i].key, *args = pre->pairs[i].value;
        bool known = false;
        for (size_t j = 0; j < grammar_precondition_operator_count; j++)
            known |= strcmp(op->str, grammar_precondition_operators[j]) == 0;
        if (!known) {
            const char *dym = did_you_mean(op->str, grammar_precondition_operators,
                                           grammar_precondition_operator_count);
            diag(s, SSMC_RULE_SSM4029, op,
                 "unknown precondition operator '%s'; the agent fails the step; the only operator "
                 "is '%s'",
                 op->str, dym ? dym : grammar_precondition_operators[0]);
            continue;
        }
        if (!args || args->type != SSMC_NODE_SEQ || args->count != 2 || !is_string(args->items[0]) ||
            !is_string(args->items[1])) {
            diag(s, SSMC_RULE_SSM4030, args ? args : op,
                 "%s takes exactly two string arguments, e.g. [platformType, Linux] or "
                 "['{{ action }}', Install]",
                 op->str);
            continue;
        }
        ssmc_node *a = args->items[0], *b = args->items[1];
        if (a->len == b->len && memcmp(a->str, b->str, a->len) == 0) {
            diag(s, SSMC_RULE_SSM4032, b,
                 "the two %s arguments are identical; the agent rejects the precondition: compare "
                 "platformType with an OS, or a '{{ parameter }}' with a value",
                 op->str);
            continue;
        }
        arg_scan sa = {s, a, false, false, false}, sb = {s, b, false, false, false};
        refs_scan(a->str, a->len, scan_arg, &sa);
        refs_scan(b->str, b->len, scan_arg, &sb);
        if (sa.reported_ssm || sb.reported_ssm)
            continue;
        bool pa = strcmp(a->str, "platformType") == 0, pb = strcmp(b->str, "platformType") == 0;
        if (pa || pb) {
            ssmc_node *os = pa ? b : a;
            if (has_token(os)) {
                diag(s, SSMC_RULE_SSM4031, os,
                     "the platformType value may not contain parameters; write linux, windows or "
                     "macos");
                continue;
            }
            unsigned bit = grammar_platform_bit(os->str);
            if (!bit) {
                /* "Linux " with a space, "Mac", "Win" ... */
                char trimmed[32];
                size_t st = 0, en = os->len;
                while (st < en && (os->str[st] == ' ' || os->str[st] == '\t'))
                    st++;
                while (en > st && (os->str[en - 1] == ' ' || os->str[en - 1] == '\t'))
                    en--;
                const char *fix = NULL;
                if (en - st < sizeof trimmed) {
                    memcpy(trimmed, os->str + st, en - st);
                    trimmed[en - st] = '\0';
                    static const char *const shown[] = {"Linux", "Windows", "MacOS"};
                    fix = grammar_platform_bit(trimmed) ? trimmed : did_you_mean(trimmed, shown, 3);
                    if (!fix && str_eq_nocase(trimmed, "mac"))
                        fix = "MacOS";
                }
                if (fix)
                    diag(s, SSMC_RULE_SSM4031, os,
                         "platformType '%s' never matches, so the step is always skipped; write "
                         "'%s'",
                         os->str, fix);
                else
                    diag(s, SSMC_RULE_SSM4031, os,
                         "platformType '%s' never matches, so the step is always skipped; use "
                         "Linux, Windows or MacOS (case-insensitive)",
                         os->str);
                allowed = 0;
                continue;
            }
            allowed &= bit;
            s->platform_seen = true;
            continue;
        }
        /* The parameter form (agent 3.0.196.0 and later). */
        if (!sa.has_param && !sb.has_param) {
            diag(s, SSMC_RULE_SSM4033, a,
                 "neither %s argument is platformType or contains a document parameter; the agent "
                 "fails the step; compare '{{ parameter }}' with a value, or platformType with an OS",
                 op->str);
            continue;
        }
        if (!sa.has_declared && !sb.has_declared) {
            diag(s, SSMC_RULE_SSM4033, sa.has_param ? a : b,
                 "the precondition's parameter is not declared; the agent fails the step; declare "
                 "it under parameters");
            continue;
        }
        ssmc_node *both[2] = {a, b};
        for (int k = 0; k < 2; k++) {
            char pname[128];
            const char *ptype;
            if (whole_param(s->v, both[k], pname, sizeof pname, &ptype) && ptype &&
                strcmp(ptype, "String") != 0)
                diag(s, SSMC_RULE_SSM4035, both[k],
                     "'%s' is %s %s parameter: as a whole precondition argument it makes the agent "
                     "panic; compare text instead (e.g. ['%s={{ %s }}', '%s=...']) or use a String "
                     "parameter",
                     pname, ssmc_article(ptype), ptype, pname, pname, pname);
        }
    }
    return allowed;
}

/* --- step names ---------------------------------------------------------- */

static void check_name(sctx *s, ssmc_node *name)
{
    if (name->len == 0) {
        diag(s, SSMC_RULE_SSM4005, name, "the step name is empty; give the step a unique name");
        return;
    }
    if (memchr(name->str, '\0', name->len)) {
        char *shown = text_shown(name->str, name->len);
        diag(s, SSMC_RULE_SSM4041, name,
             "step name '%s' contains a NUL byte (\\u0000): the agent names the step's "
             "directory after it and the system rejects a path with a NUL, so the step fails; "
             "remove it",
             shown);
        free(shown);
        return;
    }
    for (size_t i = 0; i < name->len; i++)
        if (name->str[i] == ' ' || name->str[i] == '\t' || name->str[i] == '\n' ||
            name->str[i] == '\r') {
            diag(s, SSMC_RULE_SSM4005, name,
                 "step name '%s' contains whitespace; CreateDocument rejects it; use letters, "
                 "digits, _ . or -",
                 name->str);
            return;
        }
    size_t chars = utf8_count(name->str, name->len);
    if (chars < 4 && s->count > 1)
        diag(s, SSMC_RULE_SSM4006, name,
             "step name '%s' is shorter than 4 characters; GetCommandInvocation --plugin-name "
             "needs at least 4, so its output cannot be read by name",
             name->str);
    for (size_t i = 0; i < name->len; i++) {
        unsigned char c = (unsigned char)name->str[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-')) {
            diag(s, SSMC_RULE_SSM4007, name,
                 "step name '%s' has a character outside [A-Za-z0-9_.-]; it becomes a directory, "
                 "an S3 key and a log stream name; use letters, digits, _ . or -",
                 name->str);
            return;
        }
    }
    if (chars > 128)
        diag(s, SSMC_RULE_SSM4007, name, "step name is %zu characters long; keep it to 128", chars);
}

typedef struct name_ref {
    const char *str;
    size_t len, index;
} name_ref;

static int cmp_name_ref(const void *pa, const void *pb)
{
    const name_ref *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->str, b->str, n);
    if (c)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static void check_duplicates(sctx *s)
{
    name_ref *refs = xcalloc(s->count ? s->count : 1, sizeof *refs);
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++)
        if (s->steps[i].name && s->steps[i].name->len)
            refs[n++] = (name_ref){s->steps[i].name->str, s->steps[i].name->len, i};
    qsort(refs, n, sizeof *refs, cmp_name_ref);
    for (size_t i = 1; i < n; i++) {
        if (refs[i].len != refs[i - 1].len || memcmp(refs[i].str, refs[i - 1].str, refs[i].len))
            continue;
        size_t first = i - 1;
        while (first > 0 && refs[first - 1].len == refs[i].len &&
               memcmp(refs[first - 1].str, refs[i].str, refs[i].len) == 0)
            first--;
        ssmc_node *dup = s->steps[refs[i].index].name, *orig = s->steps[refs[first].index].name;
        ssmc_diag *d = diag(s, SSMC_RULE_SSM4004, dup,
                            "duplicate step name '%s'; step names must be unique (results are "
                            "keyed by name); rename this step",
                            dup->str);
        if (d)
            ssmc_diag_add_related(d, s->v->file, loc_of_node(orig), "first step named '%s'",
                                  orig->str);
    }
    free(refs);
}

/* --- one step ------------------------------------------------------------ */

static void check_fields(sctx *s, ssmc_node *step)
{
    for (size_t i = 0; i < step->count; i++) {
        ssmc_node *key = step->pairs[i].key;
        const grammar_step_field *f =
            s->v12 ? grammar_runtime_field_find(key->str) : grammar_step_field_find(key->str);
        if (f) {
            if (f->use == GRAMMAR_FIELD_IGNORED)
                diag(s, SSMC_RULE_SSM4012, key,
                     "step-level '%s' is ignored by SSM Agent in Command documents%s%s", key->str,
                     f->doc ? "; " : "", f->doc ? f->doc : "");
            continue;
        }
        const char *names[32];
        size_t n = 0;
        const grammar_step_field *fields = s->v12 ? grammar_runtime_fields : grammar_step_fields;
        size_t count = s->v12 ? grammar_runtime_field_count : grammar_step_field_count;
        for (size_t j = 0; j < count && n < 32; j++)
            if (fields[j].use == GRAMMAR_FIELD_COMMAND)
                names[n++] = fields[j].name;
        const char *dym = did_you_mean(key->str, names, n);
        buf b;
        buf_init(&b);
        for (size_t j = 0; j < n; j++)
            buf_printf(&b, "%s%s", j ? ", " : "", names[j]);
        if (dym)
            fix_rename(s, diag(s, SSMC_RULE_SSM4011, key, "unknown %s field '%s'; did you mean '%s'?",
                               s->v12 ? "runtimeConfig" : "step", key->str, dym),
                       step, key, dym);
        else
            diag(s, SSMC_RULE_SSM4011, key, "unknown %s field '%s'; the fields are: %s",
                 s->v12 ? "runtimeConfig" : "step", key->str, b.data);
        buf_free(&b);
    }
}

static void check_step(sctx *s, size_t index)
{
    step_info *si = &s->steps[index];
    ssmc_node *step = si->step;
    ssmc_pair *ap = ssmc_map_get_pair(step, "action");
    ssmc_pair *inp = ssmc_map_get_pair(step, "inputs");
    ssmc_pair *pre = ssmc_map_get_pair(step, "precondition");
    check_fields(s, step);
    if (!ap)
        diag(s, SSMC_RULE_SSM4002, step, "step has no 'action'; name the plugin to run, e.g. "
                                         "action: aws:runShellScript");
    else if (!is_string(ap->value))
        diag(s, SSMC_RULE_SSM4003, ap->value, "action must be a plugin name string, not %s",
             node_type_text(ap->value));
    else {
        si->action = ap->value;
        si->plugin = check_action(s, ap->value);
    }
    ssmc_pair *np = ssmc_map_get_pair(step, "name");
    if (!np)
        diag(s, SSMC_RULE_SSM4002, step, "step has no 'name'; give it a unique name");
    else if (!is_string(np->value))
        diag(s, SSMC_RULE_SSM4003, np->value, "step name must be a string, not %s%s",
             node_type_text(np->value), np->value->type != SSMC_NODE_NULL &&
                                                np->value->type != SSMC_NODE_SEQ &&
                                                np->value->type != SSMC_NODE_MAP
                                            ? "; quote it"
                                            : "");
    else
        check_name(s, np->value);
    ssmc_node *inputs = NULL;
    if (!inp) {
        if (si->plugin && has_required_input(si->plugin))
            diag(s, SSMC_RULE_SSM4002, step, "step has no 'inputs'; %s needs inputs",
                 si->plugin->name);
    } else if (inp->value->type != SSMC_NODE_MAP) {
        diag(s, SSMC_RULE_SSM4003, inp->value,
             "inputs must be a mapping of input names to values, not %s%s",
             node_type_text(inp->value),
             inp->value->type == SSMC_NODE_SEQ ? "; remove the '-' list markers" : "");
    } else {
        inputs = inp->value;
    }
    if (si->plugin && (inputs || !inp))
        check_inputs(s, index, si->plugin, inputs, inp ? inp->key : si->action);
    si->allowed = pre ? check_precondition(s, pre->key, pre->value) : GRAMMAR_OS_ALL;
}

/* A 1.2 runtimeConfig entry: plugin name -> {properties, settings, description}. */
static void check_runtime_entry(sctx *s, size_t index, ssmc_node *key, ssmc_node *config)
{
    step_info *si = &s->steps[index];
    si->action = key;
    si->plugin = check_action(s, key);
    if (config->type != SSMC_NODE_MAP) {
        diag(s, SSMC_RULE_SSM4001, config,
             "runtimeConfig entry '%s' must be a mapping with 'properties', not %s", key->str,
             node_type_text(config));
        return;
    }
    check_fields(s, config);
    ssmc_pair *pp = ssmc_map_get_pair(config, "properties");
    if (!pp) {
        if (si->plugin && has_required_input(si->plugin))
            diag(s, SSMC_RULE_SSM4002, key, "runtimeConfig entry '%s' has no 'properties'; %s needs "
                                            "inputs",
                 key->str, si->plugin->name);
        return;
    }
    if (!si->plugin)
        return;
    ssmc_node *p = pp->value;
    if (p->type == SSMC_NODE_MAP) {
        check_inputs(s, index, si->plugin, p, pp->key);
    } else if (p->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < p->count; i++) {
            if (p->items[i]->type == SSMC_NODE_MAP)
                check_inputs(s, index, si->plugin, p->items[i], p->items[i]);
            else
                diag(s, SSMC_RULE_SSM4003, p->items[i],
                     "each item of properties must be a mapping of inputs, not %s",
                     node_type_text(p->items[i]));
        }
    } else if (!(is_string(p) && (single_token(p) || si->plugin->open_inputs))) {
        diag(s, SSMC_RULE_SSM4003, p,
             "properties must be a mapping of inputs or a list of them, not %s",
             node_type_text(p));
    }
}

/* --- platforms ----------------------------------------------------------- */

static void platform_name_list(buf *b, unsigned bits)
{
    size_t n = 0;
    for (size_t i = 0; i < grammar_platform_count; i++)
        if (bits & grammar_platform_bits[i])
            buf_printf(b, "%s%s", n++ ? ", " : "", grammar_platform_names[i]);
    if (!n)
        buf_adds(b, "no platform");
}

static void check_platforms(sctx *s, ssmc_node *section_key)
{
    unsigned runs_somewhere = 0;
    bool all_known = s->count > 0;
    for (size_t i = 0; i < s->count; i++) {
        step_info *si = &s->steps[i];
        if (!si->plugin) {
            all_known = false;
            continue;
        }
        unsigned runs = si->allowed & si->plugin->platforms;
        runs_somewhere |= runs;
        if (si->plugin->platforms == 0) {
            diag(s, SSMC_RULE_SSM4036, si->action, "%s has no handler on any platform; %s",
                 si->plugin->name, si->plugin->note ? si->plugin->note : "the step never runs");
        } else if (runs == 0 && si->allowed != 0 && s->skip_semantics) {
            buf pl, al;
            buf_init(&pl);
            buf_init(&al);
            platform_name_list(&pl, si->plugin->platforms);
            platform_name_list(&al, si->allowed);
            diag(s, SSMC_RULE_SSM4036, si->action,
                 "%s runs only on %s, but the precondition limits this step to %s: it is always "
                 "skipped; change the precondition or the plugin",
                 si->plugin->name, pl.data, al.data);
            buf_free(&pl);
            buf_free(&al);
        }
    }
    /* Only for documents that address platforms explicitly: a plain
     * Linux-only document is the common case and needs no note. */
    if (!s->skip_semantics || !all_known || !section_key || !s->platform_seen)
        return;
    unsigned skipped = GRAMMAR_OS_ALL & ~runs_somewhere;
    if (runs_somewhere == 0 || skipped == 0)
        return; /* nothing runs anywhere: step-never-runs said it */
    /* A document written for one platform is skipped everywhere else by
     * design; that is news only on a platform the user named (--platform),
     * or in a document that otherwise runs on several. */
    const char *named = s->v->config ? s->v->config->platform : NULL;
    unsigned asked = !named ? 0 : strcmp(named, "all") == 0 ? GRAMMAR_OS_ALL
                                                           : grammar_platform_bit(named);
    bool cross = (runs_somewhere & (runs_somewhere - 1)) != 0;
    if (!cross) {
        skipped &= asked;
        if (!skipped)
            return;
    }
    buf pl;
    buf_init(&pl);
    platform_name_list(&pl, skipped);
    diag(s, SSMC_RULE_SSM4037, section_key,
         "on %s every step is skipped (unsupported plugin or platformType precondition); the "
         "command still reports Success there without running anything",
         pl.data);
    buf_free(&pl);
}

/* --- entry point --------------------------------------------------------- */

void validate_steps(vctx *v)
{
    if (v->kind != KIND_COMMAND && v->kind != KIND_POLICY)
        return;
    sctx s;
    memset(&s, 0, sizeof s);
    s.v = v;
    bool have_version = v->version && v->version_major >= 0;
    bool use_runtime = v->runtime_config &&
                       (have_version ? v->version_major < 2 : !v->main_steps);
    ssmc_pair *section = NULL;
    if (use_runtime) {
        s.v12 = true;
        section = ssmc_map_get_pair(v->root, "runtimeConfig");
        s.count = v->runtime_config->count;
        s.steps = xcalloc(s.count ? s.count : 1, sizeof *s.steps);
        for (size_t i = 0; i < s.count; i++)
            check_runtime_entry(&s, i, v->runtime_config->pairs[i].key,
                                v->runtime_config->pairs[i].value);
    } else if (v->main_steps && !(have_version && v->version_major < 2)) {
        section = ssmc_map_get_pair(v->root, "mainSteps");
        s.skip_semantics = !have_version || grammar_version_compare(v->version, "2.2") >= 0;
        s.count = v->main_steps->count;
        s.steps = xcalloc(s.count ? s.count : 1, sizeof *s.steps);
        for (size_t i = 0; i < s.count; i++) {
            ssmc_node *step = v->main_steps->items[i];
            s.steps[i].step = step;
            s.steps[i].allowed = GRAMMAR_OS_ALL;
            ssmc_node *name = step->type == SSMC_NODE_MAP ? ssmc_map_get(step, "name") : NULL;
            s.steps[i].name = is_string(name) ? name : NULL;
        }
        for (size_t i = 0; i < s.count; i++) {
            if (s.steps[i].step->type != SSMC_NODE_MAP) {
                diag(&s, SSMC_RULE_SSM4001, s.steps[i].step,
                     "a step must be a mapping with action, name and inputs, not %s",
                     node_type_text(s.steps[i].step));
                continue;
            }
            check_step(&s, i);
        }
        check_duplicates(&s);
    } else {
        return;
    }
    check_platforms(&s, section ? section->key : NULL);
    free(s.steps);
}
