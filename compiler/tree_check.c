/* tree_check.c — a debug checker of the invariants every loader promises
 * (after cmark's cmark_node_check). Tests and the corpus sweep run it on
 * every tree they load; it is never on the path of a normal run. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct checker {
    const ssmc_source *src;
    const ssmc_document *doc;
    char *why;
    size_t why_len;
    bool failed;
    /* Nodes already checked: shared (aliased) subtrees are checked once. */
    const ssmc_node **seen;
    size_t seen_count, seen_cap;
} checker;

static void fail(checker *c, const ssmc_node *n, const char *fmt, ...) SSMC_PRINTF(3, 4);
static void fail(checker *c, const ssmc_node *n, const char *fmt, ...)
{
    if (c->failed)
        return;
    c->failed = true;
    if (!c->why || !c->why_len)
        return;
    int k = 0;
    if (n) {
        ssmc_span at = ssmc_loc_span(c->src, n->span);
        k = snprintf(c->why, c->why_len, "%s node at %u:%u-%u:%u: ", ssmc_node_type_name(n->type),
                     at.start.line, at.start.col, at.end.line, at.end.col);
    }
    if (k < 0 || (size_t)k >= c->why_len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why + k, c->why_len - (size_t)k, fmt, ap);
    va_end(ap);
}

static uint64_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    return x;
}

/* Returns true the first time a node is seen. */
static bool first_visit(checker *c, const ssmc_node *n)
{
    if (2 * (c->seen_count + 1) > c->seen_cap) {
        size_t cap = c->seen_cap ? 2 * c->seen_cap : 256;
        const ssmc_node **old = c->seen;
        size_t old_cap = c->seen_cap;
        c->seen = xcalloc(cap, sizeof *c->seen);
        c->seen_cap = cap;
        for (size_t i = 0; i < old_cap; i++) {
            if (!old[i])
                continue;
            size_t j = hash_ptr(old[i]) & (cap - 1);
            while (c->seen[j])
                j = (j + 1) & (cap - 1);
            c->seen[j] = old[i];
        }
        free(old);
    }
    size_t mask = c->seen_cap - 1;
    for (size_t j = hash_ptr(n) & mask;; j = (j + 1) & mask) {
        if (c->seen[j] == n)
            return false;
        if (!c->seen[j]) {
            c->seen[j] = n;
            c->seen_count++;
            return true;
        }
    }
}

/* Lines and columns are computed from the offsets, so only the offsets
 * can be wrong. */
static void check_span(checker *c, const ssmc_node *n)
{
    ssmc_loc s = n->span;
    if (!ssmc_loc_known(s)) {
        fail(c, n, "span has no position");
        return;
    }
    if (s.end < s.start)
        fail(c, n, "span ends (offset %u) before it starts (offset %u)", s.end, s.start);
    if (s.end > c->src->len)
        fail(c, n, "span ends at offset %u, past the source (%zu bytes)", s.end, c->src->len);
}

static bool inside(const ssmc_node *outer, ssmc_loc in)
{
    return in.start >= outer->span.start && in.end <= outer->span.end;
}

static void check_node(checker *c, const ssmc_node *n, size_t depth);

/* A child that is not shared must lie inside its parent, after its
 * previous sibling. */
static void check_child(checker *c, const ssmc_node *parent, const ssmc_node *child,
                        bool shared, size_t *last_end, size_t depth)
{
    if (!child) {
        fail(c, parent, "a child is NULL");
        return;
    }
    if (!shared && !(child->flags & SSMC_NODE_ALIASED)) {
        if (!inside(parent, child->span)) {
            ssmc_span at = ssmc_loc_span(c->src, parent->span);
            fail(c, child, "lies outside its parent %s at %u:%u-%u:%u",
                 ssmc_node_type_name(parent->type), at.start.line, at.start.col, at.end.line,
                 at.end.col);
        }
        if (child->span.start < *last_end)
            fail(c, child, "starts before its previous sibling ends (offset %zu)", *last_end);
        *last_end = child->span.end;
    }
    check_node(c, child, depth + 1);
}

static void check_node(checker *c, const ssmc_node *n, size_t depth)
{
    if (c->failed || !first_visit(c, n))
        return;
    if (depth > 100000) {
        fail(c, n, "nesting deeper than 100000");
        return;
    }
    if (n->file != c->doc->file)
        fail(c, n, "belongs to file %u, not %u", n->file, c->doc->file);
    check_span(c, n);
    size_t last_end = n->span.start;
    switch (n->type) {
    case SSMC_NODE_NULL:
    case SSMC_NODE_BOOL:
    case SSMC_NODE_INT:
    case SSMC_NODE_FLOAT:
    case SSMC_NODE_STRING:
        if (!n->str)
            fail(c, n, "scalar without text");
        else if (n->str[n->len] != '\0')
            fail(c, n, "scalar text is not NUL-terminated at its length %zu", (size_t)n->len);
        if (n->count)
            fail(c, n, "scalar with %zu children", (size_t)n->count);
        if (n->style == SSMC_STYLE_BLOCK || n->style == SSMC_STYLE_FLOW)
            fail(c, n, "scalar with a collection style");
        break;
    case SSMC_NODE_SEQ:
        if (n->count && !n->items)
            fail(c, n, "list of %zu items without an item array", (size_t)n->count);
        for (size_t i = 0; i < n->count && !c->failed; i++) {
            check_child(c, n, n->items[i], false, &last_end, depth);
        }
        break;
    case SSMC_NODE_MAP:
        if (n->count && !n->pairs)
            fail(c, n, "mapping of %zu pairs without a pair array", (size_t)n->count);
        for (size_t i = 0; i < n->count && !c->failed; i++) {
            const ssmc_pair *p = &n->pairs[i];
            bool merged = (p->flags & SSMC_NODE_MERGED) != 0;
            if (!p->key || !p->value) {
                fail(c, n, "pair %zu has a NULL %s", i, p->key ? "value" : "key");
                break;
            }
            check_child(c, n, p->key, merged, &last_end, depth);
            check_child(c, n, p->value, merged, &last_end, depth);
        }
        break;
    default:
        fail(c, n, "unknown node type %d", (int)n->type);
    }
}

bool tree_check(const ssmc_sources *sources, const ssmc_document *doc, char *why, size_t why_len)
{
    checker c;
    memset(&c, 0, sizeof c);
    c.doc = doc;
    c.why = why;
    c.why_len = why_len;
    if (why && why_len)
        why[0] = '\0';
    c.src = ssmc_sources_get(sources, doc->file);
    if (!c.src) {
        fail(&c, NULL, "document of unknown file %u", doc->file);
        return false;
    }
    if (doc->syntax_ok && !doc->root)
        fail(&c, NULL, "syntax_ok without a tree");
    if (doc->root)
        check_node(&c, doc->root, 0);
    free(c.seen);
    return !c.failed;
}
