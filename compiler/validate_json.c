/* validate_json.c — values as the agent sees them in JSON text: a StringMap
 * or a MapList item is checked against allowedPattern and minChars/maxChars
 * as its JSON serialization (spec section 2.3; agent
 * framework/docparser/paramvalidator), and aws:downloadContent sourceInfo
 * or aws:runDocument documentParameters may be given as JSON text that the
 * agent decodes.
 *
 * The serialization copies Go's encoding/json Marshal, which the agent
 * uses: compact, map keys sorted bytewise, and <, >, & and U+2028/U+2029
 * escaped as \u00XX / \u20XX. */
#include "validate.h"

#include "refs.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64 /* deeper values are written as null: bounded recursion */

static void put_string(buf *b, const char *s, size_t len)
{
    buf_addc(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_adds(b, "\\\""); continue;
        case '\\': buf_adds(b, "\\\\"); continue;
        case '\n': buf_adds(b, "\\n"); continue;
        case '\r': buf_adds(b, "\\r"); continue;
        case '\t': buf_adds(b, "\\t"); continue;
        case '<': case '>': case '&': buf_printf(b, "\\u%04x", c); continue;
        default: break;
        }
        if (c < 0x20) {
            buf_printf(b, "\\u%04x", c);
        } else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
            buf_printf(b, "\\u%04x", (unsigned)(0x2000 + ((unsigned char)s[i + 2] - 0x80)));
            i += 2;
        } else {
            buf_addc(b, (char)c);
        }
    }
    buf_addc(b, '"');
}

static int cmp_pair_key(const void *pa, const void *pb)
{
    const ssmc_pair *a = *(const ssmc_pair *const *)pa, *b = *(const ssmc_pair *const *)pb;
    size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
    int c = memcmp(a->key->str, b->key->str, n);
    return c ? c : (a->key->len > b->key->len) - (a->key->len < b->key->len);
}

static void put_value(buf *b, const ssmc_node *n, size_t depth)
{
    if (!n || depth > JSON_MAX_DEPTH) {
        buf_adds(b, "null");
        return;
    }
    switch (n->type) {
    case SSMC_NODE_NULL: buf_adds(b, "null"); break;
    case SSMC_NODE_BOOL: buf_adds(b, n->val.b ? "true" : "false"); break;
    case SSMC_NODE_INT: buf_printf(b, "%lld", (long long)n->val.i); break;
    case SSMC_NODE_FLOAT: buf_printf(b, "%.17g", n->val.f); break;
    case SSMC_NODE_STRING: put_string(b, n->str, n->len); break;
    case SSMC_NODE_SEQ:
        buf_addc(b, '[');
        for (size_t i = 0; i < n->count; i++) {
            if (i)
                buf_addc(b, ',');
            put_value(b, n->items[i], depth + 1);
        }
        buf_addc(b, ']');
        break;
    case SSMC_NODE_MAP: {
        const ssmc_pair **sorted = xcalloc(n->count ? n->count : 1, sizeof *sorted);
        for (size_t i = 0; i < n->count; i++)
            sorted[i] = &n->pairs[i];
        qsort(sorted, n->count, sizeof *sorted, cmp_pair_key);
        buf_addc(b, '{');
        for (size_t i = 0; i < n->count; i++) {
            if (i)
                buf_addc(b, ',');
            put_string(b, sorted[i]->key->str, sorted[i]->key->len);
            buf_addc(b, ':');
            put_value(b, sorted[i]->value, depth + 1);
        }
        buf_addc(b, '}');
        free(sorted);
        break;
    }
    }
}

void validate_json_text(buf *b, const ssmc_node *n)
{
    put_value(b, n, 0);
}

/* --- JSON text in a string ---------------------------------------------- */

/* The bytes of `"key"` in text, searched from `from`; text's own offsets. */
static bool find_quoted(const char *text, size_t len, const char *key, size_t klen, size_t from,
                        size_t *at)
{
    for (size_t i = from; i + klen + 2 <= len; i++) {
        if (text[i] == '"' && memcmp(text + i + 1, key, klen) == 0 && text[i + klen + 1] == '"') {
            *at = i;
            return true;
        }
    }
    return false;
}

static ssmc_node *scalar_node(ssmc_arena *arena, const ssmc_node *host, ssmc_node_type type,
                              const char *s, size_t len, ssmc_loc span)
{
    ssmc_node *n = arena_alloc(arena, sizeof *n);
    n->type = type;
    n->style = SSMC_STYLE_JSON;
    n->file = host->file;
    n->span = span;
    n->str = arena_strndup(arena, s, len);
    n->len = len;
    return n;
}

/* A span for bytes [start, end) of host's text, or host's own span. */
static ssmc_loc place(const vctx *v, const ssmc_node *host, bool found, size_t start, size_t end)
{
    return found ? refs_locate(v->source, host, start, end) : host->span;
}

ssmc_node *validate_json_object(vctx *v, const ssmc_node *host)
{
    if (!host || host->type != SSMC_NODE_STRING || host->len == 0)
        return NULL;
    json_error_t err;
    json_t *root = json_loadb(host->str, host->len, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return NULL;
    if (!json_is_object(root)) {
        json_decref(root);
        return NULL;
    }
    ssmc_arena *arena = v->doc->arena;
    ssmc_node *map = arena_alloc(arena, sizeof *map);
    map->type = SSMC_NODE_MAP;
    map->style = SSMC_STYLE_JSON; /* marks a mapping read from text */
    map->flags = host->flags;
    map->file = host->file;
    map->span = host->span;
    map->tag = host->tag;
    map->str = NULL;
    size_t count = json_object_size(root);
    map->pairs = arena_alloc(arena, (count ? count : 1) * sizeof *map->pairs);
    map->count = 0;
    size_t from = 0;
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value) {
        size_t klen = strlen(key), at = 0;
        bool found = find_quoted(host->str, host->len, key, klen, from, &at);
        ssmc_node *k = scalar_node(arena, host, SSMC_NODE_STRING, key, klen,
                                   place(v, host, found, at, at + klen + 2));
        ssmc_node *val;
        size_t vfrom = found ? at + klen + 2 : from;
        if (json_is_string(value)) {
            const char *s = json_string_value(value);
            size_t slen = json_string_length(value), vat = 0;
            bool vfound = found && find_quoted(host->str, host->len, s, slen, vfrom, &vat);
            val = scalar_node(arena, host, SSMC_NODE_STRING, s, slen,
                              vfound ? place(v, host, true, vat, vat + slen + 2) : k->span);
        } else {
            /* Non-strings keep their JSON text and the key's place. */
            char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
            ssmc_node_type t = json_is_boolean(value) ? SSMC_NODE_BOOL
                             : json_is_integer(value) ? SSMC_NODE_INT
                             : json_is_real(value)    ? SSMC_NODE_FLOAT
                             : json_is_null(value)    ? SSMC_NODE_NULL
                                                      : SSMC_NODE_STRING;
            val = scalar_node(arena, host, t, text ? text : "", text ? strlen(text) : 0, k->span);
            if (t == SSMC_NODE_BOOL)
                val->val.b = json_is_true(value);
            else if (t == SSMC_NODE_INT)
                val->val.i = (int64_t)json_integer_value(value);
            else if (t == SSMC_NODE_FLOAT)
                val->val.f = json_real_value(value);
            else if (t == SSMC_NODE_STRING && (json_is_object(value) || json_is_array(value))) {
                /* An empty shell (it keeps its JSON text; its children
                 * share storage with a scalar's value). */
                val->type = json_is_object(value) ? SSMC_NODE_MAP : SSMC_NODE_SEQ;
                val->items = NULL;
            }
            free(text);
        }
        if (found)
            from = at + klen + 2;
        map->pairs[map->count].key = k;
        map->pairs[map->count].value = val;
        map->pairs[map->count].flags = 0;
        map->count++;
    }
    json_decref(root);
    return map;
}
