/* arena.c — bump allocation for one document's tree, freed in one call. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    bool zeroed;  /* from calloc: every byte is already zero */
    _Alignas(16) unsigned char data[];
} chunk;

/* Chunks this large come from calloc, which gets them from mmap as pages the
 * kernel has already zeroed: arena_alloc then skips its memset, and pages
 * never touched are never resident. Smaller chunks are malloc'd and cleared
 * allocation by allocation, so a small document touches only what it uses. */
#define CALLOC_CHUNK (1u << 20)
#define FIRST_CHUNK (16u << 10)

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

/* size bytes at the given alignment (a power of two, at most 16), not
 * cleared. */
static void *take(ssmc_arena *arena, size_t size, size_t align)
{
    chunk *c = arena->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->size || c->size - at < size) {
        /* Chunks grow with the arena (each as large as all before it) so
         * that a large document needs few of them, and a huge single
         * allocation gets a chunk of its own. The first is small: `check`
         * holds every document of a run at once, and most are a few KB. */
        size_t want = arena->total < FIRST_CHUNK ? FIRST_CHUNK : arena->total;
        if (want > (64u << 20))
            want = 64u << 20;
        if (want < size)
            want = size;
        bool big = want >= CALLOC_CHUNK;
        c = big ? xcalloc(1, sizeof(chunk) + want) : xmalloc(sizeof(chunk) + want);
        c->zeroed = big;
        c->size = want;
        c->used = 0;
        c->next = arena->head;
        arena->head = c;
        arena->total += want;
        at = 0;
    }
    c->used = at + size;
    return c->data + at;
}

void *arena_alloc(ssmc_arena *arena, size_t size)
{
    void *p = take(arena, size, 16);
    if (!arena->head->zeroed)
        memset(p, 0, size);
    return p;
}

/* Strings are packed byte against byte and not cleared first: most are a
 * key or a short value, which 16-byte rounding would double, and a
 * document's scalars are most of its arena. */
char *arena_strndup(ssmc_arena *arena, const char *s, size_t len)
{
    char *p = take(arena, len + 1, 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(ssmc_arena *arena, const char *s) { return arena_strndup(arena, s, strlen(s)); }

size_t arena_bytes(const ssmc_arena *arena) { return arena->total; }
