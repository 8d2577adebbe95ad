/* arena.c — bump allocation for one document's tree, freed in one call. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} chunk;

struct ssmc_arena {
    chunk *head;
    size_t total;
};

ssmc_arena *arena_new(void) { return xcalloc(1, sizeof(ssmc_arena)); }

void arena_free(ssmc_arena *arena)
{
    if (!arena)
        return;
    for (chunk *c = arena->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(arena);
}

void *arena_alloc(ssmc_arena *arena, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    chunk *c = arena->head;
    if (!c || c->size - c->used < size) {
        /* Chunks grow with the arena so that a large document needs few of
         * them, and a huge single allocation gets a chunk of its own. */
        size_t want = arena->total < (1u << 16) ? (1u << 16) : arena->total;
        if (want > (64u << 20))
            want = 64u << 20;
        if (want < size)
            want = size;
        c = xmalloc(sizeof(chunk) + want);
        c->size = want;
        c->used = 0;
        c->next = arena->head;
        arena->head = c;
        arena->total += want;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(ssmc_arena *arena, const char *s, size_t len)
{
    char *p = arena_alloc(arena, len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(ssmc_arena *arena, const char *s) { return arena_strndup(arena, s, strlen(s)); }

size_t arena_bytes(const ssmc_arena *arena) { return arena->total; }
