/* fuzz_load.c — libFuzzer target for the loaders and every stage behind
 * them. The first byte picks the front end (odd: the JSON reader, even:
 * YAML through libyaml); the rest is the document. Any crash, hang, leak or
 * sanitizer report is a bug: the library must survive every input.
 *
 * Built with -DSSMC_FUZZ=ON and clang; see the README for long runs. */
#include "ssmc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool json = data[0] & 1;
    data++, size--;
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';

    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    uint32_t file = ssmc_sources_add(&sources, json ? "fuzz.json" : "fuzz.yaml", copy, size);
    ssmc_load_options options;
    ssmc_load_options_init(&options);
    options.format = json ? SSMC_FORMAT_JSON : SSMC_FORMAT_YAML;
    ssmc_document *doc = ssmc_load(&sources, file, &options, &diags);

    ssmc_config config;
    ssmc_config_init(&config);
    config.shellcheck = "off"; /* no processes from the fuzzer */
    ssmc_check_documents(&sources, &doc, 1, &config, &diags);
    ssmc_diags_sort(&diags, &sources);

    /* Every finding must point inside its source. */
    for (size_t i = 0; i < diags.count; i++) {
        const ssmc_diag *d = &diags.items[i];
        const ssmc_source *src = ssmc_sources_get(&sources, d->file);
        if (!src || d->span.start.offset > src->len || d->span.end.offset > src->len ||
            d->span.start.line > src->line_count || !d->message)
            abort();
    }

    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return 0;
}
