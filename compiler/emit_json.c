/* emit_json.c — canonical JSON of a document tree (`ssmc compile`).
 *
 * The bytes are a function of the tree alone: keys in the order of the
 * format reference (spec §1.3, §2.1, §4.2), then unknown keys in source
 * order; two-space indentation (or none with --compact); strings with the
 * minimal escaping JSON requires; numbers as the service's JSON reader sees
 * them. Compiling the output again gives the same bytes: JSON numbers are
 * re-emitted from their source text, floats are printed in the shortest
 * form that reads back exactly and always look like floats. */
#include "emit.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const top_keys[] = {
    "schemaVersion", "description", "assumeRole", "sessionType", "version", "publisher",
    "templateBody", "parameters", "inputs", "properties", "runtimeConfig", "mainSteps",
    "outputs", "packages", "files", NULL};
static const char *const parameter_keys[] = {
    "type", "description", "default", "allowedValues", "allowedPattern", "displayType",
    "minItems", "maxItems", "minChars", "maxChars", "interpolationType", NULL};
static const char *const step_keys[] = {"action", "name", "description", "precondition",
                                        "inputs", NULL};
static const char *const plugin_keys[] = {"description", "properties", "settings", NULL};

static const char *const *level_keys(emit_level level)
{
    switch (level) {
    case LEVEL_TOP: return top_keys;
    case LEVEL_PARAMETER: return parameter_keys;
    case LEVEL_STEP: return step_keys;
    case LEVEL_PLUGIN: return plugin_keys;
    default: return NULL;
    }
}

static bool key_is(const ssmc_node *key, const char *name)
{
    size_t n = strlen(name);
    return key->len == n && memcmp(key->str, name, n) == 0;
}

const ssmc_pair **emit_ordered_pairs(const ssmc_node *map, emit_level level)
{
    size_t n = map->count;
    const ssmc_pair **out = xmalloc((n ? n : 1) * sizeof *out);
    const char *const *known = level_keys(level);
    if (!known) {
        for (size_t i = 0; i < n; i++)
            out[i] = &map->pairs[i];
        return out;
    }
    /* Known keys in table order (k * n with k <= 16), then the rest in
     * source order: linear in the size of a hostile mapping. */
    bool *taken = xcalloc(n ? n : 1, sizeof *taken);
    size_t m = 0;
    for (size_t k = 0; known[k]; k++) {
        for (size_t i = 0; i < n; i++) {
            if (!taken[i] && key_is(map->pairs[i].key, known[k])) {
                out[m++] = &map->pairs[i];
                taken[i] = true;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        if (!taken[i])
            out[m++] = &map->pairs[i];
    free(taken);
    return out;
}

bool emit_format_double(double d, char out[40])
{
    if (isnan(d) || isinf(d))
        return false;
    /* Fewest significant digits that read back exactly. */
    int prec = 1;
    char e_form[40];
    for (; prec <= 17; prec++) {
        snprintf(e_form, sizeof e_form, "%.*e", prec - 1, d);
        if (strtod(e_form, NULL) == d)
            break;
    }
    int exp10 = atoi(strchr(e_form, 'e') + 1);
    if (exp10 >= -4 && exp10 < 16) {
        int decimals = prec - 1 - exp10;
        snprintf(out, 40, "%.*f", decimals > 0 ? decimals : 0, d);
        if (!strchr(out, '.'))
            strcat(out, ".0");
        return true;
    }
    /* d.ddde+XX: keep a '.' so that YAML 1.1 readers see a float too. */
    char *e = strchr(e_form, 'e');
    if (memchr(e_form, '.', (size_t)(e - e_form)))
        snprintf(out, 40, "%s", e_form);
    else
        snprintf(out, 40, "%.*s.0%s", (int)(e - e_form), e_form, e);
    return true;
}

void emit_json_string(buf *out, const char *s, size_t len)
{
    buf_addc(out, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char tmp[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(tmp, sizeof tmp, "\\u%04x", c);
                esc = tmp;
            }
        }
        if (esc) {
            buf_add(out, s + run, i - run);
            buf_adds(out, esc);
            run = i + 1;
        }
    }
    buf_add(out, s + run, len - run);
    buf_addc(out, '"');
}

typedef struct jctx {
    buf *out;
    const emit_options *opt;
    const ssmc_node *bad;
    size_t matched;      /* with opt->expect: bytes of out known to match it */
} jctx;

/* With opt->expect: whether what was written so far still matches it.
 * Each byte is compared once. */
static bool still_expected(jctx *j)
{
    const emit_options *o = j->opt;
    if (!o->expect)
        return true;
    size_t len = j->out->len;
    if (len > o->expect_len || memcmp(j->out->data + j->matched, o->expect + j->matched,
                                      len - j->matched) != 0)
        return false;
    j->matched = len;
    return true;
}

static void newline(jctx *j, int depth)
{
    if (j->opt->compact)
        return;
    buf_addc(j->out, '\n');
    for (int i = 0; i < depth; i++)
        buf_adds(j->out, "  ");
}

const char *emit_number_text(const ssmc_node *n, size_t *len)
{
    if ((n->type != SSMC_NODE_INT && n->type != SSMC_NODE_FLOAT) || !n->str || !n->len ||
        (n->style != SSMC_STYLE_JSON && n->style != SSMC_STYLE_PLAIN))
        return NULL;
    const char *p = n->str, *end = n->str + n->len;
    if (p < end && *p == '-')
        p++;
    if (p >= end || *p < '0' || *p > '9')
        return NULL;
    if (*p == '0')
        p++;
    else
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    if (p < end && *p == '.') {
        const char *digits = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        if (p == digits)
            return NULL;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        const char *digits = p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        if (p == digits)
            return NULL;
    }
    if (p != end)
        return NULL;
    *len = n->len;
    return n->str;
}

static bool scalar(jctx *j, const ssmc_node *n)
{
    char tmp[64];
    size_t len;
    switch (n->type) {
    case SSMC_NODE_NULL:
        buf_adds(j->out, "null");
        return true;
    case SSMC_NODE_BOOL:
        buf_adds(j->out, n->val.b ? "true" : "false");
        return true;
    case SSMC_NODE_INT:
        if (emit_number_text(n, &len)) {
            buf_add(j->out, n->str, len);
        } else {
            snprintf(tmp, sizeof tmp, "%" PRId64, n->val.i);
            buf_adds(j->out, tmp);
        }
        return true;
    case SSMC_NODE_FLOAT:
        if (emit_number_text(n, &len)) {
            buf_add(j->out, n->str, len);
            return true;
        }
        if (!emit_format_double(n->val.f, tmp)) {
            j->bad = n;
            return false;
        }
        buf_adds(j->out, tmp);
        return true;
    default:
        emit_json_string(j->out, n->str, n->len);
        return true;
    }
}

/* self: how this node orders its keys if it is a map; child: the level its
 * children get (the values of a map, the items of a list). At the top the
 * key decides: each parameter, each runtimeConfig plugin, each step. */
static bool value(jctx *j, const ssmc_node *n, emit_level self, emit_level child, int depth)
{
    if (n->type == SSMC_NODE_SEQ) {
        if (n->count == 0) {
            buf_adds(j->out, "[]");
            return true;
        }
        buf_addc(j->out, '[');
        for (size_t i = 0; i < n->count; i++) {
            if (i)
                buf_addc(j->out, ',');
            newline(j, depth + 1);
            if (!still_expected(j) || !value(j, n->items[i], child, LEVEL_OTHER, depth + 1))
                return false;
        }
        newline(j, depth);
        buf_addc(j->out, ']');
        return true;
    }
    if (n->type == SSMC_NODE_MAP) {
        if (n->count == 0) {
            buf_adds(j->out, "{}");
            return true;
        }
        const ssmc_pair **pairs = emit_ordered_pairs(n, self);
        buf_addc(j->out, '{');
        bool ok = true;
        for (size_t i = 0; i < n->count && ok; i++) {
            const ssmc_pair *p = pairs[i];
            if (!still_expected(j)) {
                ok = false;
                break;
            }
            if (i)
                buf_addc(j->out, ',');
            newline(j, depth + 1);
            emit_json_string(j->out, p->key->str, p->key->len);
            buf_adds(j->out, j->opt->compact ? ":" : ": ");
            emit_level s = child, c = LEVEL_OTHER;
            if (self == LEVEL_TOP) {
                s = LEVEL_OTHER;
                if (key_is(p->key, "schemaVersion") && ssmc_node_is_scalar(p->value)) {
                    /* The service wants a string; a YAML float 2.2 keeps its text. */
                    emit_json_string(j->out, p->value->str, p->value->len);
                    continue;
                }
                if (key_is(p->key, "parameters"))
                    c = LEVEL_PARAMETER;
                else if (key_is(p->key, "runtimeConfig"))
                    c = LEVEL_PLUGIN;
                else if (key_is(p->key, "mainSteps"))
                    c = LEVEL_STEP;
            }
            ok = value(j, p->value, s, c, depth + 1);
        }
        free(pairs);
        if (!ok)
            return false;
        newline(j, depth);
        buf_addc(j->out, '}');
        return true;
    }
    return scalar(j, n);
}

bool emit_json(buf *out, const ssmc_node *root, const emit_options *options,
               const ssmc_node **bad)
{
    emit_options defaults = {false, true};
    jctx j = {out, options ? options : &defaults, NULL, out->len};
    if (j.opt->expect && out->len) /* the comparison starts at the first byte written */
        return false;
    bool ok = value(&j, root, j.opt->canonical_order ? LEVEL_TOP : LEVEL_OTHER, LEVEL_OTHER, 0);
    if (bad)
        *bad = j.bad;
    if (ok)
        buf_addc(out, '\n');
    return ok && still_expected(&j) && (!j.opt->expect || out->len == j.opt->expect_len);
}
