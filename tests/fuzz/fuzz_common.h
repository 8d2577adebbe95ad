/* fuzz_common.h — what every fuzz target checks after running the library
 * on an input: the invariants that hold for ANY input, so that a violation
 * is a bug and not a matter of opinion.
 *
 *  - every finding and every related note points inside its source, with a
 *    line and column that agree with its byte offset (ssmc_source_pos), and
 *    has a message;
 *  - every node of a loaded tree has a span inside its source, start <= end,
 *    scalars have a NUL-terminated text, collections their items.
 *
 * A violation calls abort(), which libFuzzer (and the replay driver, under
 * the sanitizers) reports with a stack trace. Header-only: each target is
 * one translation unit. */
#ifndef SSMC_FUZZ_COMMON_H
#define SSMC_FUZZ_COMMON_H

#include "ssmc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd, NUL-terminated copy with room for one more byte, as
 * ssmc_sources_add takes it. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy)
        abort();
    if (size)
        memcpy(copy, data, size);
    copy[size] = '\0';
    return copy;
}

#define FUZZ_ASSERT(cond)                                                                  \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* An exclusive end just past a line break may be written on the line of
 * the break, one column after it, as editors show a selection that ends
 * with the break (a \r\n pair is one break, so one column). */
/* The input as source "fuzz.json" or "fuzz.yaml" (option bit 0), and load
 * options whose format is that (or, with bit 1, guessed from the bytes).
 * Returns the source's index. */
static inline uint32_t fuzz_add_input(ssmc_sources *sources, uint8_t opt, const uint8_t *data,
                                      size_t size, ssmc_load_options *options)
{
    bool json = opt & 1;
    uint32_t file = ssmc_sources_add(sources, json ? "fuzz.json" : "fuzz.yaml",
                                     fuzz_copy(data, size), size);
    ssmc_load_options_init(options);
    options->format = (opt & 2) ? SSMC_FORMAT_UNKNOWN : json ? SSMC_FORMAT_JSON : SSMC_FORMAT_YAML;
    return file;
}

static inline bool fuzz_end_after_break(const ssmc_source *src, ssmc_pos pos)
{
    if (pos.offset == 0)
        return false;
    size_t b = pos.offset - 1;
    char c = src->data[b];
    if (c != '\n' && c != '\r')
        return false;
    ssmc_pos before = ssmc_source_pos(src, b);
    if (before.line == pos.line && before.col + 1 == pos.col)
        return true;
    if (c == '\n' && b > 0 && src->data[b - 1] == '\r') {
        before = ssmc_source_pos(src, b - 1);
        return before.line == pos.line && before.col + 1 == pos.col;
    }
    return false;
}

static inline void fuzz_check_pos(const ssmc_source *src, ssmc_pos pos, bool is_end)
{
    if (pos.line == 0)
        return; /* "no position" */
    FUZZ_ASSERT(pos.offset <= src->len);
    FUZZ_ASSERT(pos.line <= src->line_count);
    FUZZ_ASSERT(pos.col >= 1);
    ssmc_pos at = ssmc_source_pos(src, pos.offset);
    if (is_end && (at.line != pos.line || at.col != pos.col) && fuzz_end_after_break(src, pos))
        return;
    if (at.line != pos.line || at.col != pos.col)
        fprintf(stderr, "%s at %u:%u (byte %u), which is %u:%u\n", is_end ? "end" : "start",
                pos.line, pos.col, pos.offset, at.line, at.col);
    FUZZ_ASSERT(at.line == pos.line);
    FUZZ_ASSERT(at.col == pos.col);
}

static inline void fuzz_check_span(const ssmc_sources *sources, uint32_t file, ssmc_span span)
{
    const ssmc_source *src = ssmc_sources_get(sources, file);
    FUZZ_ASSERT(src != NULL);
    fuzz_check_pos(src, span.start, false);
    fuzz_check_pos(src, span.end, true);
    if (span.start.line && span.end.line)
        FUZZ_ASSERT(span.start.offset <= span.end.offset);
}

static inline void fuzz_check_diags(const ssmc_sources *sources, const ssmc_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++) {
        const ssmc_diag *d = &diags->items[i];
        FUZZ_ASSERT(d->message != NULL);
        FUZZ_ASSERT((unsigned)d->rule <= (unsigned)SSMC_RULE_EXTERNAL);
        FUZZ_ASSERT(d->severity >= SSMC_SEV_INFO && d->severity <= SSMC_SEV_ERROR);
        fuzz_check_span(sources, d->file, d->span);
        for (size_t j = 0; j < d->related_count; j++) {
            FUZZ_ASSERT(d->related[j].message != NULL);
            fuzz_check_span(sources, d->related[j].file, d->related[j].span);
        }
    }
}

/* A node's offsets lie in its source, in order; their lines and columns
 * are what the source table computes (fuzz_check_span). */
static inline void fuzz_check_loc(const ssmc_sources *sources, uint32_t file, ssmc_loc loc)
{
    const ssmc_source *src = ssmc_sources_get(sources, file);
    FUZZ_ASSERT(src != NULL);
    FUZZ_ASSERT(ssmc_loc_known(loc));
    FUZZ_ASSERT(loc.start <= loc.end);
    FUZZ_ASSERT(loc.end <= src->len);
    fuzz_check_span(sources, file, ssmc_loc_span(src, loc));
}

static inline void fuzz_check_node(const ssmc_sources *sources, const ssmc_node *n, size_t depth)
{
    FUZZ_ASSERT(n != NULL);
    FUZZ_ASSERT(depth <= 1024);
    fuzz_check_loc(sources, n->file, n->span);
    switch (n->type) {
    case SSMC_NODE_SEQ:
        FUZZ_ASSERT(n->count == 0 || n->items != NULL);
        for (size_t i = 0; i < n->count; i++)
            fuzz_check_node(sources, n->items[i], depth + 1);
        break;
    case SSMC_NODE_MAP:
        FUZZ_ASSERT(n->count == 0 || n->pairs != NULL);
        for (size_t i = 0; i < n->count; i++) {
            fuzz_check_node(sources, n->pairs[i].key, depth + 1);
            fuzz_check_node(sources, n->pairs[i].value, depth + 1);
        }
        break;
    default:
        FUZZ_ASSERT(n->str != NULL);
        FUZZ_ASSERT(n->str[n->len] == '\0');
        break;
    }
}

#endif
