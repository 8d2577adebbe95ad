/* emit_yaml.c — normalized YAML through libyaml's emitter (`ssmc compile
 * --format yaml`). Same key order as the JSON output. A string is written
 * plain only when every reader — YAML 1.1 (PyYAML, go-yaml v2, the
 * console?) and YAML 1.2 core — reads it back as the same string; otherwise
 * it is quoted. Numbers are written in forms both versions read as numbers
 * (a float always has a '.' and a signed exponent). */
#include "emit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static bool is_one_of(const char *s, size_t len, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == len && memcmp(s, *words, len) == 0)
            return true;
    return false;
}

bool emit_yaml_needs_quotes(const char *s, size_t len)
{
    static const char *const special[] = {
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off",
        "Off", "OFF", "<<", "=", NULL};
    if (len == 0 || is_one_of(s, len, special))
        return true;
    if (memchr(s, '\0', len))
        return true;
    /* Leading or trailing blanks are lost by a plain scalar. */
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
        return true;
    /* Anything that starts like a number may be one in some version:
     * 010 (1.1 octal), 0x1F, 1_000, 1:30 (1.1 base 60), .5, +1, -.inf,
     * .nan. Quoting all of them is simpler than telling them apart and
     * costs nothing in meaning. */
    unsigned char c = (unsigned char)s[0];
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
        return true;
    return false;
}

typedef struct yctx {
    yaml_emitter_t em;
    const ssmc_node *bad;
    bool failed;
} yctx;

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    buf_add((buf *)data, buffer, size);
    return 1;
}

static bool emit_event(yctx *y, yaml_event_t *ev)
{
    if (y->failed) {
        yaml_event_delete(ev);
        return false;
    }
    if (!yaml_emitter_emit(&y->em, ev)) {
        y->failed = true;
        return false;
    }
    return true;
}

static bool scalar_text(yctx *y, const char *text, size_t len, bool plain_ok,
                        yaml_scalar_style_t style)
{
    yaml_event_t ev;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)len, plain_ok,
                                      !plain_ok, style))
        return y->failed = true, false;
    return emit_event(y, &ev);
}

static bool string(yctx *y, const char *s, size_t len)
{
    if (len > INT32_MAX)
        return y->failed = true, false;
    if (memchr(s, '\n', len) && !memchr(s, '\0', len))
        /* Scripts read best as literal blocks; libyaml falls back to a
         * quoted style by itself when a literal block cannot hold them. */
        return scalar_text(y, s, len, false, YAML_LITERAL_SCALAR_STYLE);
    if (emit_yaml_needs_quotes(s, len))
        return scalar_text(y, s, len, false, YAML_SINGLE_QUOTED_SCALAR_STYLE);
    return scalar_text(y, s, len, true, YAML_ANY_SCALAR_STYLE);
}

static bool node(yctx *y, const ssmc_node *n, emit_level self, emit_level child)
{
    yaml_event_t ev;
    char tmp[64];
    switch (n->type) {
    case SSMC_NODE_NULL:
        return scalar_text(y, "null", 4, true, YAML_PLAIN_SCALAR_STYLE);
    case SSMC_NODE_BOOL:
        return n->val.b ? scalar_text(y, "true", 4, true, YAML_PLAIN_SCALAR_STYLE)
                        : scalar_text(y, "false", 5, true, YAML_PLAIN_SCALAR_STYLE);
    case SSMC_NODE_INT:
        snprintf(tmp, sizeof tmp, "%" PRId64, n->val.i);
        return scalar_text(y, tmp, strlen(tmp), true, YAML_PLAIN_SCALAR_STYLE);
    case SSMC_NODE_FLOAT:
        if (!emit_format_double(n->val.f, tmp)) {
            y->bad = n;
            return y->failed = true, false;
        }
        return scalar_text(y, tmp, strlen(tmp), true, YAML_PLAIN_SCALAR_STYLE);
    case SSMC_NODE_STRING:
        return string(y, n->str, n->len);
    case SSMC_NODE_SEQ:
        if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                  n->count ? YAML_BLOCK_SEQUENCE_STYLE
                                                           : YAML_FLOW_SEQUENCE_STYLE) ||
            !emit_event(y, &ev))
            return y->failed = true, false;
        for (size_t i = 0; i < n->count; i++)
            if (!node(y, n->items[i], child, LEVEL_OTHER))
                return false;
        yaml_sequence_end_event_initialize(&ev);
        return emit_event(y, &ev);
    case SSMC_NODE_MAP: {
        if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                                 n->count ? YAML_BLOCK_MAPPING_STYLE
                                                          : YAML_FLOW_MAPPING_STYLE) ||
            !emit_event(y, &ev))
            return y->failed = true, false;
        const ssmc_pair **pairs = emit_ordered_pairs(n, self);
        bool ok = true;
        for (size_t i = 0; i < n->count && ok; i++) {
            const ssmc_pair *p = pairs[i];
            ok = string(y, p->key->str, p->key->len);
            emit_level s = child, c = LEVEL_OTHER;
            if (ok && self == LEVEL_TOP) {
                s = LEVEL_OTHER;
                const char *k = p->key->str;
                if (strcmp(k, "schemaVersion") == 0 && ssmc_node_is_scalar(p->value)) {
                    ok = scalar_text(y, p->value->str, p->value->len, false,
                                     YAML_SINGLE_QUOTED_SCALAR_STYLE);
                    continue;
                }
                if (strcmp(k, "parameters") == 0)
                    c = LEVEL_PARAMETER;
                else if (strcmp(k, "runtimeConfig") == 0)
                    c = LEVEL_PLUGIN;
                else if (strcmp(k, "mainSteps") == 0)
                    c = LEVEL_STEP;
            }
            if (ok)
                ok = node(y, p->value, s, c);
        }
        free(pairs);
        if (!ok)
            return false;
        yaml_mapping_end_event_initialize(&ev);
        return emit_event(y, &ev);
    }
    }
    return false;
}

bool emit_yaml(buf *out, const ssmc_node *root, const ssmc_node **bad, char **error)
{
    yctx y;
    memset(&y, 0, sizeof y);
    *error = NULL;
    if (bad)
        *bad = NULL;
    if (!yaml_emitter_initialize(&y.em)) {
        *error = xstrdup("could not start the YAML emitter");
        return false;
    }
    yaml_emitter_set_output(&y.em, write_handler, out);
    yaml_emitter_set_unicode(&y.em, 1);
    yaml_emitter_set_indent(&y.em, 2);
    yaml_emitter_set_width(&y.em, -1);
    yaml_emitter_set_break(&y.em, YAML_LN_BREAK);
    yaml_event_t ev;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit_event(&y, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    emit_event(&y, &ev);
    if (!y.failed)
        node(&y, root, LEVEL_TOP, LEVEL_OTHER);
    yaml_document_end_event_initialize(&ev, 1);
    emit_event(&y, &ev);
    yaml_stream_end_event_initialize(&ev);
    emit_event(&y, &ev);
    if (y.failed) {
        if (y.bad)
            *error = xstrdup("a value has no YAML/JSON form (NaN or infinity)");
        else
            *error = xasprintf("YAML emitter: %s",
                               y.em.problem ? y.em.problem : "unknown error");
        if (bad)
            *bad = y.bad;
    }
    yaml_emitter_delete(&y.em);
    return !y.failed;
}
