/* fuzz_scriptmap.c — libFuzzer target for the script position map
 * (lint/scalar_map.c, lint/script.c): the map that puts every script
 * finding (ours and ShellCheck's) on its line and column.
 *
 *  - every scalar of the tree, re-decoded from the source by
 *    script_map_scalar: when it succeeds, the decoded text equals node->str
 *    byte for byte, there is one map entry per byte, and every entry lies
 *    inside the scalar's span; when it fails, nothing is appended;
 *  - the assembled scripts (script_collect): one map entry per byte, each
 *    inside the document, script_span() valid for every byte; and for a
 *    document without syntax errors, no item fell back to "the whole
 *    scalar" (script_map_fallbacks stays zero);
 *
 * The first byte chooses the loader: bit 0 JSON (else YAML), bit 1
 * sniffing. The rest is the document. */
#include "fuzz_common.h"

#include "lint.h"

static void check_entry(const ssmc_node *n, uint32_t start, uint32_t end)
{
    if (start > end || start < n->span.start || end > n->span.end)
        fprintf(stderr, "map entry [%u, %u) outside the scalar's span [%u, %u)\n", start, end,
                n->span.start, n->span.end);
    FUZZ_ASSERT(start <= end);
    FUZZ_ASSERT(start >= n->span.start);
    FUZZ_ASSERT(end <= n->span.end);
}

static void check_scalar(const ssmc_source *src, const ssmc_node *n)
{
    buf text;
    buf_init(&text);
    script_map map = {0};
    buf_adds(&text, "x"); /* the map appends after what is there */
    map.start = malloc(sizeof *map.start);
    map.end = malloc(sizeof *map.end);
    FUZZ_ASSERT(map.start && map.end);
    map.start[0] = map.end[0] = 0;
    map.count = map.cap = 1;
    if (script_map_scalar(src, n, &text, &map)) {
        if (text.len != n->len + 1 || memcmp(text.data + 1, n->str, n->len) != 0)
            fprintf(stderr, "decoded %zu bytes '%.*s', the loader %zu bytes '%.*s'\n",
                    text.len - 1, (int)text.len - 1, text.data + 1, (size_t)n->len, (int)n->len, n->str);
        FUZZ_ASSERT(text.len == n->len + 1);
        FUZZ_ASSERT(memcmp(text.data + 1, n->str, n->len) == 0);
        FUZZ_ASSERT(map.count == text.len);
        for (size_t i = 1; i < map.count; i++)
            check_entry(n, map.start[i], map.end[i]);
    } else {
        FUZZ_ASSERT(text.len == 1);
        FUZZ_ASSERT(map.count == 1);
    }
    free(map.start);
    free(map.end);
    buf_free(&text);
}

/* Every scalar once (aliases share nodes: the depth bound is the loader's). */
static void walk(const ssmc_source *src, const ssmc_node *n, size_t depth, size_t *budget)
{
    if (!n || depth > 1024 || *budget == 0)
        return;
    (*budget)--;
    switch (n->type) {
    case SSMC_NODE_SEQ:
        for (size_t i = 0; i < n->count; i++)
            walk(src, n->items[i], depth + 1, budget);
        break;
    case SSMC_NODE_MAP:
        for (size_t i = 0; i < n->count; i++) {
            walk(src, n->pairs[i].key, depth + 1, budget);
            walk(src, n->pairs[i].value, depth + 1, budget);
        }
        break;
    default:
        if (n->str)
            check_scalar(src, n);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++, size--;

    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    ssmc_load_options options;
    uint32_t file = fuzz_add_input(&sources, opt, data, size, &options);
    ssmc_document *doc = ssmc_load(&sources, file, &options, &diags);
    FUZZ_ASSERT(doc != NULL);
    const ssmc_source *src = ssmc_sources_get(&sources, file);

    if (doc->root && doc->syntax_ok) {
        /* Alias expansion can make the tree far larger than the input:
         * a bounded number of nodes is enough for the map's properties. */
        size_t budget = 100000;
        walk(src, doc->root, 0, &budget);
    }

    script_map_fallbacks = 0;
    lint_script *scripts = NULL;
    size_t count = 0, cap = 0;
    script_collect(&sources, doc, &scripts, &count, &cap);
    for (size_t i = 0; i < count; i++) {
        const lint_script *sc = &scripts[i];
        FUZZ_ASSERT(sc->map.count == sc->text.len);
        for (size_t b = 0; b < sc->map.count; b++) {
            size_t start, end;
            script_runs_at(&sc->map, b, &start, &end);
            FUZZ_ASSERT(start <= end);
            FUZZ_ASSERT(end <= src->len);
        }
        for (size_t b = 0; b < sc->text.len && b < 4096; b++)
            fuzz_check_span(&sources, file, script_span(sc, b, b + 1));
        if (sc->text.len)
            fuzz_check_span(&sources, file, script_span(sc, 0, sc->text.len));
    }
    if (doc->syntax_ok && script_map_fallbacks != 0)
        fprintf(stderr, "%zu runCommand item(s) fell back to the whole scalar\n",
                script_map_fallbacks);
    if (doc->syntax_ok)
        FUZZ_ASSERT(script_map_fallbacks == 0);

    /* The same scripts kept as ShellCheck keeps them (items detached, map
     * unbuilt), asked for spans only after the tree is gone: the same
     * spans, and no pointer into the freed tree (the sanitizers see one). */
    lint_script *kept = NULL;
    size_t nkept = 0;
    cap = 0;
    script_collect_detached(&sources, doc, &kept, &nkept, &cap);
    fuzz_check_diags(&sources, &diags);
    ssmc_document_free(doc);
    FUZZ_ASSERT(nkept == count);
    for (size_t i = 0; i < count; i++) {
        lint_script *sc = &kept[i];
        for (size_t b = 0; b < sc->text.len && b < 4096; b += 1 + b / 64) {
            ssmc_span x = script_span(sc, b, b + 1), y = script_span(&scripts[i], b, b + 1);
            FUZZ_ASSERT(x.start.offset == y.start.offset && x.end.offset == y.end.offset &&
                        x.start.line == y.start.line && x.start.col == y.start.col);
        }
        script_free(sc);
        script_free(&scripts[i]);
    }
    free(kept);
    free(scripts);

    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return 0;
}
