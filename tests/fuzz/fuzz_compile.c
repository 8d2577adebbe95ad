/* fuzz_compile.c — libFuzzer target for the compile round trip, the
 * promise `ssmc compile --help` makes: compiling the output again gives the
 * same bytes.
 *
 *   load (YAML or JSON) -> emit_json (the library's emitter, canonical key
 *   order, as `ssmc compile` writes) -> reload that output with our JSON
 *   reader -> emit_json again: identical bytes;
 *   and emit_yaml (`--format yaml`) -> reload with the YAML loader ->
 *   emit_json: the same bytes as the first JSON output.
 *
 * The first byte chooses options: bit 0 the front end (1: JSON, 0: YAML),
 * bit 1 sniffing instead, bit 2 --compact, bit 3 --to-schema 2.2 (the
 * migrated tree is what is emitted), bit 4 the check runs first and the
 * round trip is only asserted when it finds no error (what `ssmc compile`
 * refuses never reaches the emitter; without the bit every tree that loads
 * without syntax errors must round-trip). The rest is the document. */
#include "fuzz_common.h"

#include "emit.h"
#include "internal.h"

/* Loads text as a new source and returns its JSON output, or NULL when the
 * reload failed (asserted against by the caller). */
static ssmc_document *reload(ssmc_sources *sources, const char *name, const buf *text,
                             ssmc_format format, ssmc_diags *diags)
{
    uint32_t file = ssmc_sources_add(sources, name, fuzz_copy((const uint8_t *)text->data,
                                                              text->len), text->len);
    ssmc_load_options options;
    ssmc_load_options_init(&options);
    options.format = format;
    /* Anchors are expanded in the output, so it may hold more nodes than
     * the input did; the limits guard the input, not our own output. */
    options.limits.max_nodes = SIZE_MAX;
    options.limits.max_file_bytes = SIZE_MAX;
    options.limits.max_alias_weight = SIZE_MAX;
    size_t before = diags->count;
    ssmc_document *doc = ssmc_load(sources, file, &options, diags);
    FUZZ_ASSERT(doc != NULL);
    if (!doc->syntax_ok || !doc->root) {
        const ssmc_source *src = ssmc_sources_get(sources, file);
        fprintf(stderr, "%s does not load again:\n%.*s\n", name, (int)src->len, src->data);
        for (size_t i = before; i < diags->count; i++)
            fprintf(stderr, "  %u:%u %s\n", diags->items[i].span.start.line,
                    diags->items[i].span.start.col, diags->items[i].message);
    }
    FUZZ_ASSERT(doc->syntax_ok);
    FUZZ_ASSERT(doc->root != NULL);
    fuzz_check_node(sources, doc->root, 0);
    return doc;
}

static void same_bytes(const char *what, const buf *a, const buf *b)
{
    if (a->len == b->len && memcmp(a->data, b->data, a->len) == 0)
        return;
    fprintf(stderr, "%s differs:\n--- first\n%.*s\n--- again\n%.*s\n", what, (int)a->len,
            a->data, (int)b->len, b->data);
    FUZZ_ASSERT(!"round trip gives the same bytes");
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
    bool go = doc->syntax_ok && doc->root;
    if (go && (opt & 0x10)) {
        ssmc_config config;
        ssmc_config_init(&config);
        config.shellcheck = "off";
        ssmc_check_documents(&sources, &doc, 1, &config, &diags);
        go = ssmc_diags_count_at_least(&diags, SSMC_SEV_ERROR) == 0;
    }
    const ssmc_node *root = go ? doc->root : NULL;
    if (root && (opt & 8))
        root = migrate_to_22(doc, &diags); /* NULL (with a finding) unless schema 1.2 */

    emit_options eo = {(opt & 4) != 0, true};
    buf first, again, yaml, from_yaml;
    buf_init(&first);
    buf_init(&again);
    buf_init(&yaml);
    buf_init(&from_yaml);
    const ssmc_node *bad = NULL;
    if (root && emit_json(&first, root, &eo, &bad)) {
        FUZZ_ASSERT(first.len > 0 && first.data[first.len - 1] == '\n');
        ssmc_diags more = {0};
        ssmc_document *back = reload(&sources, "out.json", &first, SSMC_FORMAT_JSON, &more);
        FUZZ_ASSERT(emit_json(&again, back->root, &eo, &bad));
        same_bytes("JSON -> JSON", &first, &again);
        ssmc_document_free(back);

        char *error = NULL;
        bool ok = emit_yaml(&yaml, root, &bad, &error);
        if (!ok)
            fprintf(stderr, "emit_yaml: %s\n", error ? error : "(no message)");
        /* Every value with a JSON form has a YAML form too. */
        FUZZ_ASSERT(ok);
        free(error);
        back = reload(&sources, "out.yaml", &yaml, SSMC_FORMAT_YAML, &more);
        FUZZ_ASSERT(emit_json(&from_yaml, back->root, &eo, &bad));
        same_bytes("YAML -> JSON", &first, &from_yaml);
        ssmc_document_free(back);
        fuzz_check_diags(&sources, &more);
        ssmc_diags_free(&more);
    }
    fuzz_check_diags(&sources, &diags);

    buf_free(&first);
    buf_free(&again);
    buf_free(&yaml);
    buf_free(&from_yaml);
    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return 0;
}
