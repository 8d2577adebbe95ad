/* params_values.c — the values a run gets for a document's parameters:
 * given (--param, --params-file, a parent's documentParameters) or default,
 * converted to the declared type and checked as the service and the agent
 * check them (spec §2.5, §2.6; agent framework/docparser/paramvalidator).
 *
 * Command-line values (decided here, documented in SSM6012): String takes
 * the text as is; StringList takes a JSON list ('["a","b"]') or one item
 * per --param occurrence (repeat --param NAME=ITEM); Boolean true|false;
 * Integer a decimal integer; StringMap and MapList JSON text. */
#include "params.h"
#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void given_values_free(given_values *g)
{
    for (size_t i = 0; i < g->count; i++) {
        free(g->items[i].name);
        free(g->items[i].text);
    }
    free(g->items);
    memset(g, 0, sizeof *g);
}

static given_value *add(given_values *g, const char *name, uint32_t file, ssmc_loc span)
{
    GROW(g->items, g->cap, g->count + 1);
    given_value *v = &g->items[g->count++];
    memset(v, 0, sizeof *v);
    v->name = xstrdup(name);
    v->file = file;
    v->span = span;
    return v;
}

void given_values_add_text(given_values *g, const char *name, const char *text, uint32_t file,
                           ssmc_loc span)
{
    add(g, name, file, span)->text = xstrdup(text);
}

void given_values_add_file(given_values *g, const ssmc_node *root, ssmc_diags *diags)
{
    if (!root)
        return;
    if (root->type != SSMC_NODE_MAP) {
        ssmc_diag_add(diags, SSMC_RULE_SSM6016, root->file, root->span,
                      "a parameters file must be a mapping of parameter names to values, not "
                      "%s", ssmc_node_type_phrase(root->type));
        return;
    }
    for (size_t i = 0; i < root->count; i++) {
        const ssmc_pair *p = &root->pairs[i];
        add(g, p->key->str, p->key->file, p->key->span)->value = p->value;
    }
}

/* --- conversion to the declared type --------------------------------- */

static bool all_strings(const ssmc_node *n)
{
    for (size_t i = 0; i < n->count; i++)
        if (n->items[i]->type != SSMC_NODE_STRING)
            return false;
    return true;
}

static ssmc_node *parse_json_text(ssmc_arena *arena, const char *text, size_t len)
{
    json_error_t err;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j)
        return NULL;
    ssmc_node *n = node_from_json(arena, j);
    json_decref(j);
    return n;
}

static const char *type_phrase(const char *type)
{
    if (strcmp(type, "StringList") == 0)
        return "a StringList (a list of strings)";
    if (strcmp(type, "Boolean") == 0)
        return "a Boolean (true or false)";
    if (strcmp(type, "Integer") == 0)
        return "an Integer (an integral number)";
    if (strcmp(type, "StringMap") == 0)
        return "a StringMap (an object of strings)";
    if (strcmp(type, "MapList") == 0)
        return "a MapList (a list of objects)";
    return "a String";
}

/* Parameter values come from JSON files too: a map is "an object" here. */
static const char *value_phrase(const ssmc_node *n)
{
    return n->type == SSMC_NODE_MAP ? "an object" : ssmc_node_type_phrase(n->type);
}

/* Converts a value from a file or a parent document; NULL on a type
 * mismatch. Strings that spell the type (JSON text of a map, "true", "5")
 * are accepted, as the agent accepts them. */
static const ssmc_node *convert_node(ssmc_arena *arena, const char *type, const ssmc_node *v)
{
    /* association style: ["value"] for a single-valued type; a list of
     * several values is not one value (issue 18: never its first item). */
    if (v->type == SSMC_NODE_SEQ && v->count == 1 && strcmp(type, "StringList") != 0 &&
        strcmp(type, "MapList") != 0 && v->items[0]->type == SSMC_NODE_STRING)
        v = v->items[0];
    if (strcmp(type, "StringList") == 0) {
        if (v->type == SSMC_NODE_SEQ && all_strings(v))
            return v;
        if (v->type == SSMC_NODE_STRING) {
            ssmc_node *list = node_new(arena, SSMC_NODE_SEQ);
            list->items = arena_alloc(arena, sizeof *list->items);
            list->items[0] = (ssmc_node *)v;
            list->count = 1;
            return list;
        }
        return NULL;
    }
    if (strcmp(type, "Boolean") == 0) {
        if (v->type == SSMC_NODE_BOOL)
            return v;
        if (v->type == SSMC_NODE_STRING && (strcmp(v->str, "true") == 0 || strcmp(v->str, "false") == 0)) {
            ssmc_node *b = node_new(arena, SSMC_NODE_BOOL);
            b->val.b = v->str[0] == 't';
            return b;
        }
        return NULL;
    }
    if (strcmp(type, "Integer") == 0) {
        if (v->type == SSMC_NODE_INT)
            return v;
        if (v->type == SSMC_NODE_STRING && v->len > 0) {
            char *end;
            errno = 0;
            long long x = strtoll(v->str, &end, 10);
            if (*end || errno)
                return NULL;
            ssmc_node *n = node_new(arena, SSMC_NODE_INT);
            n->val.i = x;
            return n;
        }
        return NULL;
    }
    if (strcmp(type, "StringMap") == 0) {
        if (v->type == SSMC_NODE_MAP)
            return v;
        if (v->type == SSMC_NODE_STRING) {
            ssmc_node *m = parse_json_text(arena, v->str, v->len);
            return m && m->type == SSMC_NODE_MAP ? m : NULL;
        }
        return NULL;
    }
    if (strcmp(type, "MapList") == 0) {
        if (v->type == SSMC_NODE_SEQ) {
            for (size_t i = 0; i < v->count; i++)
                if (v->items[i]->type != SSMC_NODE_MAP)
                    return NULL;
            return v;
        }
        if (v->type == SSMC_NODE_STRING) {
            ssmc_node *m = parse_json_text(arena, v->str, v->len);
            return m && m->type == SSMC_NODE_SEQ ? convert_node(arena, type, m) : NULL;
        }
        return NULL;
    }
    /* String (and unknown types): scalars as their text. */
    if (v->type == SSMC_NODE_STRING)
        return v;
    if (v->type == SSMC_NODE_INT || v->type == SSMC_NODE_FLOAT || v->type == SSMC_NODE_BOOL)
        return node_new_string(arena, v->str, v->len);
    return NULL;
}

static const ssmc_node *convert_text(ssmc_arena *arena, const char *type, const char *text)
{
    size_t len = strlen(text);
    if (strcmp(type, "StringList") == 0 && text[0] == '[') {
        ssmc_node *n = parse_json_text(arena, text, len);
        return n && n->type == SSMC_NODE_SEQ && all_strings(n) ? n : NULL;
    }
    return convert_node(arena, type, node_new_string(arena, text, len));
}

/* --- checks ----------------------------------------------------------- */

typedef struct checker {
    const char *name;
    const ssmc_node *decl;
    const char *type;
    ssmc_diags *diags;
    uint32_t file;
    ssmc_loc span;
    bool all_checks;   /* allowedValues, min/max too (service; runDocument children) */
    bool failed;
} checker;

static bool has_ssm_token(const ssmc_node *v)
{
    buf b;
    buf_init(&b);
    sub_string_form(&b, v);
    bool has = b.data && strstr(b.data, "{{") && strstr(b.data, "ssm:");
    buf_free(&b);
    return has;
}

static void fail(checker *c, ssmc_rule rule, const char *fmt, const char *a, const char *b,
                 const char *d)
{
    ssmc_diag_add(c->diags, rule, c->file, c->span, fmt, a, b, d);
    c->failed = true;
}

static long long bound(const ssmc_node *decl, const char *key, long long fallback)
{
    const ssmc_node *n = ssmc_map_get(decl, key);
    if (!n)
        return fallback;
    if (n->type == SSMC_NODE_INT)
        return n->val.i;
    if (n->type == SSMC_NODE_STRING) {
        char *end;
        long long v = strtoll(n->str, &end, 10);
        return *end ? fallback : v;
    }
    return fallback;
}

static void check_chars(checker *c, const char *s, size_t len)
{
    long long n = (long long)utf8_count(s, len);
    long long min = bound(c->decl, "minChars", -1), max = bound(c->decl, "maxChars", -1);
    char count[32], lim[32];
    snprintf(count, sizeof count, "%lld", n);
    if (min >= 0 && n < min) {
        snprintf(lim, sizeof lim, "%lld", min);
        fail(c, SSMC_RULE_SSM6015, "value of parameter '%s' has %s characters, fewer than minChars %s",
             c->name, count, lim);
    }
    if (max >= 0 && n > max) {
        snprintf(lim, sizeof lim, "%lld", max);
        fail(c, SSMC_RULE_SSM6015, "value of parameter '%s' has %s characters, more than maxChars %s",
             c->name, count, lim);
    }
}

static void check_items(checker *c, size_t count)
{
    long long min = bound(c->decl, "minItems", -1), max = bound(c->decl, "maxItems", -1);
    char n[32], lim[32];
    snprintf(n, sizeof n, "%zu", count);
    if (min >= 0 && (long long)count < min) {
        snprintf(lim, sizeof lim, "%lld", min);
        fail(c, SSMC_RULE_SSM6015, "value of parameter '%s' has %s items, fewer than minItems %s",
             c->name, n, lim);
    }
    if (max >= 0 && (long long)count > max) {
        snprintf(lim, sizeof lim, "%lld", max);
        fail(c, SSMC_RULE_SSM6015, "value of parameter '%s' has %s items, more than maxItems %s",
             c->name, n, lim);
    }
}

static void check_one(checker *c, const ssmc_node *item)
{
    buf text;
    buf_init(&text);
    sub_string_form(&text, item);
    if (!text.data)
        buf_adds(&text, "");
    const ssmc_node *pattern = ssmc_map_get(c->decl, "allowedPattern");
    if (pattern && pattern->type == SSMC_NODE_STRING) {
        bool compiled;
        if (!params_pattern_matches(pattern->str, text.data, text.len, &compiled))
            fail(c, SSMC_RULE_SSM6014,
                 "parameter '%s': parameter value /%s/ does not match the allowed pattern /%s/",
                 c->name, text.data, pattern->str);
    }
    if (c->all_checks) {
        const ssmc_node *allowed = ssmc_map_get(c->decl, "allowedValues");
        if (allowed && allowed->type == SSMC_NODE_SEQ) {
            bool ok = false;
            buf a;
            buf_init(&a);
            for (size_t i = 0; i < allowed->count && !ok; i++) {
                a.len = 0;
                sub_string_form(&a, allowed->items[i]);
                ok = a.len == text.len && (a.len == 0 || memcmp(a.data, text.data, a.len) == 0);
            }
            a.len = 0;
            for (size_t i = 0; i < allowed->count && i < 10; i++) {
                if (i)
                    buf_adds(&a, ", ");
                sub_string_form(&a, allowed->items[i]);
            }
            if (allowed->count > 10)
                buf_adds(&a, ", ...");
            if (!ok)
                fail(c, SSMC_RULE_SSM6013,
                     "value '%s' of parameter '%s' is not one of its allowedValues (%s)",
                     text.data, c->name, a.data ? a.data : "");
            buf_free(&a);
        }
        if (item->type == SSMC_NODE_STRING)
            check_chars(c, item->str, item->len);
    }
    buf_free(&text);
}

static void check_value(checker *c, const ssmc_node *v)
{
    /* The agent skips values that still hold a Parameter Store reference. */
    if (has_ssm_token(v))
        return;
    if (strcmp(c->type, "StringList") == 0 || strcmp(c->type, "MapList") == 0) {
        for (size_t i = 0; i < v->count; i++)
            check_one(c, v->items[i]);
        if (c->all_checks)
            check_items(c, v->count);
        return;
    }
    if (strcmp(c->type, "StringMap") == 0) {
        check_one(c, v);
        if (c->all_checks)
            check_items(c, v->count);
        return;
    }
    if (strcmp(c->type, "Boolean") == 0 || strcmp(c->type, "Integer") == 0) {
        /* allowedPattern does not apply (spec 2.3) */
        return;
    }
    check_one(c, v);
}

/* --- resolution --------------------------------------------------------- */

static bool alnum_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

bool param_values_resolve(param_values *out, ssmc_arena *arena, const ssmc_document *doc,
                          const given_values *given, ssm_store *store, bool child,
                          ssmc_diags *diags)
{
    memset(out, 0, sizeof *out);
    size_t errors_before = ssmc_diags_count_at_least(diags, SSMC_SEV_ERROR);
    const ssmc_node *params = ssmc_map_get(doc->root, "parameters");
    if (params && params->type != SSMC_NODE_MAP)
        params = NULL;
    size_t n = params ? params->count : 0;
    out->items = xcalloc(n ? n : 1, sizeof *out->items);
    out->subs = xcalloc(n ? n : 1, sizeof *out->subs);

    /* Undeclared names first: they are the likeliest typo. */
    if (given) {
        const char **names = xcalloc(n ? n : 1, sizeof *names);
        for (size_t i = 0; i < n; i++)
            names[i] = params->pairs[i].key->str;
        for (size_t g = 0; g < given->count; g++) {
            const given_value *gv = &given->items[g];
            if (params && ssmc_map_get(params, gv->name))
                continue;
            const char *guess = did_you_mean(gv->name, names, n);
            if (guess)
                ssmc_diag_add(diags, SSMC_RULE_SSM6011, gv->file, gv->span,
                              "parameter '%s' is not declared in the document; did you mean "
                              "'%s'? (the service rejects the command: InvalidParameters)",
                              gv->name, guess);
            else
                ssmc_diag_add(diags, SSMC_RULE_SSM6011, gv->file, gv->span,
                              "parameter '%s' is not declared in the document (the service "
                              "rejects the command: InvalidParameters)", gv->name);
        }
        free(names);
    }

    for (size_t i = 0; i < n; i++) {
        const ssmc_pair *p = &params->pairs[i];
        param_value *pv = &out->items[out->count++];
        pv->name = p->key->str;
        pv->decl = p->value;
        pv->source = PARAM_NONE;
        const ssmc_node *type = ssmc_map_get(p->value, "type");
        pv->type = type && type->type == SSMC_NODE_STRING ? type->str : "String";
        const ssmc_node *interp = ssmc_map_get(p->value, "interpolationType");
        pv->env_var = interp && interp->type == SSMC_NODE_STRING && strcmp(interp->str, "ENV_VAR") == 0;

        checker c = {pv->name, p->value, pv->type, diags, p->key->file, p->key->span, true, false};
        /* Given values: the last one wins, except that a StringList given
         * item by item on the command line collects every item. */
        ssmc_node *items = NULL;
        for (size_t g = 0; given && g < given->count; g++) {
            const given_value *gv = &given->items[g];
            if (strcmp(gv->name, pv->name) != 0)
                continue;
            if (!gv->value && utf8_first_invalid(gv->text, strlen(gv->text)) < strlen(gv->text)) {
                /* SSM's API takes UTF-8 only; a plan would have no JSON form. */
                ssmc_diag_add(diags, SSMC_RULE_SSM6012, gv->file, gv->span,
                              "value of parameter '%s' is not valid UTF-8 (byte %zu); the "
                              "service rejects it", pv->name,
                              utf8_first_invalid(gv->text, strlen(gv->text)) + 1);
                c.failed = true;
                continue;
            }
            const ssmc_node *v = gv->value ? convert_node(arena, pv->type, gv->value)
                                           : convert_text(arena, pv->type, gv->text);
            c.file = gv->file;
            c.span = gv->value ? gv->value->span : gv->span;
            if (!v) {
                const char *got = gv->value ? value_phrase(gv->value) : "this text";
                ssmc_diag_add(diags, SSMC_RULE_SSM6012, c.file, c.span,
                              "value of parameter '%s' must be %s, not %s", pv->name,
                              type_phrase(pv->type), got);
                c.failed = true;
                continue;
            }
            if (!gv->value && strcmp(pv->type, "StringList") == 0) {
                if (!items || pv->source != PARAM_GIVEN) {
                    items = node_new(arena, SSMC_NODE_SEQ);
                    items->items = arena_alloc(arena, sizeof(ssmc_node *));
                }
                ssmc_node **grown = arena_alloc(arena, (items->count + v->count + 1) * sizeof *grown);
                memcpy(grown, items->items, items->count * sizeof *grown);
                for (size_t k = 0; k < v->count; k++)
                    grown[items->count + k] = v->items[k];
                items->items = grown;
                items->count += v->count;
                v = items;
            }
            pv->value = v;
            pv->source = PARAM_GIVEN;
            check_value(&c, v);
        }
        if (pv->source == PARAM_NONE) {
            const ssmc_node *def = ssmc_map_get(p->value, "default");
            if (def) {
                const ssmc_node *v = convert_node(arena, pv->type, def);
                pv->value = v ? v : def;
                pv->source = PARAM_DEFAULT;
                c.file = def->file;
                c.span = def->span;
                /* The agent checks allowedPattern on defaults; the optional
                 * validators only run for aws:runDocument children. */
                c.all_checks = child;
                if (v)
                    check_value(&c, v);
            } else {
                ssmc_diag_add(diags, SSMC_RULE_SSM6010, p->key->file, p->key->span,
                              "parameter '%s' is required (it has no default) and no value was "
                              "given; the service rejects the command: \"InvalidParameters: You "
                              "must specify values for all required parameters in the SSM "
                              "document.\" (give it with --param %s=VALUE)",
                              pv->name, pv->name);
            }
        }
        /* Parameter Store references in values resolve before use. */
        if (pv->value && store) {
            char *before = store->error;
            size_t seen = store->seen_count;
            const ssmc_node *r = ssm_resolve_tree(arena, pv->value, store);
            bool any_resolved = false;
            for (size_t k = seen; k < store->seen_count; k++)
                any_resolved = any_resolved || store->resolved[k];
            (void)before;
            if (r != pv->value && any_resolved) {
                pv->value = r;
                pv->from_ssm = true;
                c.all_checks = pv->source == PARAM_GIVEN || child;
                check_value(&c, r);
            }
        }
        if (pv->value && alnum_name(pv->name)) {
            out->subs[out->count - 1].name = pv->name;
            out->subs[out->count - 1].value = pv->value;
        }
    }
    /* Compact the substitution list (names the agent drops are absent). */
    size_t m = 0;
    for (size_t i = 0; i < out->count; i++)
        if (out->subs[i].name)
            out->subs[m++] = out->subs[i];
    out->sub_count = m;
    return ssmc_diags_count_at_least(diags, SSMC_SEV_ERROR) == errors_before;
}

void param_values_free(param_values *v)
{
    free(v->items);
    free(v->subs);
    memset(v, 0, sizeof *v);
}
