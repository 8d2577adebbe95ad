/* hash_index.c — an open-addressing index over an array its user keeps,
 * and the fast non-cryptographic hashes it is used with (the lint memo,
 * the external checkers' distinct inputs). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void hash_index_init(hash_index *x, size_t slots)
{
    x->hash = xcalloc(slots, sizeof *x->hash);
    x->at = xcalloc(slots, sizeof *x->at);
    x->slots = slots;
}

void hash_index_free(hash_index *x)
{
    free(x->hash);
    free(x->at);
    memset(x, 0, sizeof *x);
}

/* Into the first free slot of h's probe sequence. */
static void put(hash_index *x, uint64_t h, uint32_t at)
{
    size_t s = h & (x->slots - 1);
    while (x->at[s])
        s = (s + 1) & (x->slots - 1);
    x->hash[s] = h;
    x->at[s] = at;
}

void hash_index_add(hash_index *x, uint64_t h, size_t n)
{
    if (n + 1 > x->slots / 2) {
        hash_index bigger;
        hash_index_init(&bigger, x->slots * 2);
        for (size_t s = 0; s < x->slots; s++)
            if (x->at[s])
                put(&bigger, x->hash[s], x->at[s]);
        hash_index_free(x);
        *x = bigger;
    }
    put(x, h, (uint32_t)(n + 1));
}

/* Eight bytes a step: it runs on every script of a run, most of which are
 * no copy of another. */
uint64_t hash_mix(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15u;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, p, len);
    h = (h ^ w ^ (uint64_t)len << 56) * 0x9E3779B97F4A7C15u;
    return h ^ h >> 29;
}

uint64_t hash_text_ends(const char *s, size_t len)
{
    uint64_t h = hash_mix(HASH_SEED, &len, sizeof len);
    size_t head = len < 64 ? len : 64;
    h = hash_mix(h, s, head);
    if (len > 64)
        h = hash_mix(h, s + len - 64, 64);
    return h;
}
