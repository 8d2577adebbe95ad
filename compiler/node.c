/* node.c — the tree shared by every stage: look-ups and loader helpers. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every document holds one node per value, so the size is part of the
 * memory budget (README "Performance"); a new field should find room in
 * the union rather than grow it. */
#if SIZE_MAX == UINT64_MAX
_Static_assert(sizeof(ssmc_node) == 48, "ssmc_node grew");
#endif

const char *ssmc_node_type_name(ssmc_node_type type)
{
    switch (type) {
    case SSMC_NODE_NULL: return "null";
    case SSMC_NODE_BOOL: return "boolean";
    case SSMC_NODE_INT: return "integer";
    case SSMC_NODE_FLOAT: return "number";
    case SSMC_NODE_STRING: return "string";
    case SSMC_NODE_SEQ: return "list";
    case SSMC_NODE_MAP: return "mapping";
    }
    return "?";
}

const char *ssmc_node_type_phrase(ssmc_node_type type)
{
    switch (type) {
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

const char *ssmc_article(const char *word)
{
    return word && word[0] && strchr("aeiouAEIOU", word[0]) ? "an" : "a";
}

bool ssmc_node_is_scalar(const ssmc_node *node)
{
    return node && node->type != SSMC_NODE_SEQ && node->type != SSMC_NODE_MAP;
}

ssmc_pair *ssmc_map_get_pair(const ssmc_node *map, const char *key)
{
    if (!map || map->type != SSMC_NODE_MAP)
        return NULL;
    /* Validation runs over a tree that has left the cache, so the order of
     * the tests counts: len and str share a cache line of the key node
     * (type sits in another), and the first byte is compared before the
     * call to memcmp. A collection key has len 0 and str "". */
    size_t klen = strlen(key);
    for (size_t i = 0; i < map->count; i++) {
        const ssmc_node *k = map->pairs[i].key;
        if (k && k->len == klen && (klen == 0 || k->str[0] == key[0]) &&
            memcmp(k->str, key, klen) == 0 && ssmc_node_is_scalar(k))
            return &map->pairs[i];
    }
    return NULL;
}

ssmc_node *ssmc_map_get(const ssmc_node *map, const char *key)
{
    ssmc_pair *p = ssmc_map_get_pair(map, key);
    return p ? p->value : NULL;
}

ssmc_node *loader_new_node(loader *ld, ssmc_node_type type, ssmc_style style, ssmc_loc span)
{
    ssmc_node *n = arena_alloc(ld->doc->arena, sizeof *n);
    n->type = type;
    n->style = style;
    n->file = ld->file;
    n->span = span;
    n->str = "";
    ld->nodes++;
    return n;
}

/* Duplicate detection sorts keys by text, so a mapping of a million keys
 * costs n log n, not n squared. */
typedef struct key_ref {
    const ssmc_node *key;
    size_t index;
} key_ref;

static int cmp_key_ref(const void *pa, const void *pb)
{
    const key_ref *a = pa, *b = pb;
    size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
    int c = n ? memcmp(a->key->str, b->key->str, n) : 0;
    if (c)
        return c;
    if (a->key->len != b->key->len)
        return a->key->len < b->key->len ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static bool same_key(const ssmc_node *a, const ssmc_node *b)
{
    return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

/* A mapping this small is checked pair by pair first: that costs less
 * than the sort's allocation and calls, and a duplicate is rare. */
#define SMALL_MAP 12

static bool small_map_has_duplicate(const ssmc_node *map)
{
    for (size_t i = 1; i < map->count; i++) {
        const ssmc_pair *a = &map->pairs[i];
        if ((a->flags & SSMC_NODE_MERGED) || !ssmc_node_is_scalar(a->key))
            continue;
        for (size_t j = 0; j < i; j++) {
            const ssmc_pair *b = &map->pairs[j];
            if (!(b->flags & SSMC_NODE_MERGED) && ssmc_node_is_scalar(b->key) && same_key(a->key, b->key))
                return true;
        }
    }
    return false;
}

void loader_check_duplicate_keys(loader *ld, ssmc_node *map)
{
    if (map->count < 2)
        return;
    if (map->count <= SMALL_MAP && !small_map_has_duplicate(map))
        return; /* most mappings: no allocation, no sort */
    size_t n = 0;
    key_ref *refs = xmalloc(map->count * sizeof *refs);
    for (size_t i = 0; i < map->count; i++)
        if (!(map->pairs[i].flags & SSMC_NODE_MERGED) && ssmc_node_is_scalar(map->pairs[i].key))
            refs[n].key = map->pairs[i].key, refs[n].index = i, n++;
    qsort(refs, n, sizeof *refs, cmp_key_ref);
    /* Which pairs a reader drops: all of a key but its last, since Go's
     * encoding/json (the agent), go-yaml's Unmarshal and SnakeYAML keep the
     * last value. Dropping them here lets the checks run over the value the
     * document really has instead of stopping at the mistake. */
    bool *drop = NULL;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && same_key(refs[i].key, refs[j].key)) {
            const ssmc_node *dup = refs[j].key;
            ssmc_diag *d = ssmc_diag_add(ld->diags, SSMC_RULE_SSM1012, ld->file, dup->span,
                                         "duplicate key '%s'; %s may hold each key once "
                                         "(remove or rename one of them)", dup->str,
                                         ld->doc->format == SSMC_FORMAT_JSON ? "an object"
                                                                             : "a mapping");
            ssmc_diag_add_related(d, ld->file, refs[i].key->span,
                                  "'%s' first defined here (readers keep the last value)",
                                  dup->str);
            if (!drop)
                drop = xcalloc(map->count, sizeof *drop);
            drop[refs[j - 1].index] = true;
            j++;
        }
        i = j;
    }
    free(refs);
    if (!drop)
        return;
    size_t w = 0;
    for (size_t i = 0; i < map->count; i++)
        if (!drop[i])
            map->pairs[w++] = map->pairs[i];
    map->count = w;
    free(drop);
}
