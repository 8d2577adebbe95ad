/* fuzz_check.c — libFuzzer target for the whole check pipeline: load, then
 * ssmc_check_documents (kinds, schema, parameters, steps, associations,
 * schedules, the script lint) with ShellCheck off, as `ssmc check` runs it.
 *
 * The first byte chooses options (cmark style):
 *   bits 0-1  format: 0 by sniffing, 1 YAML, 2 JSON, 3 by sniffing
 *   bit 2     --strict
 *   bits 3-5  forced document type: none, or one of the kinds below
 *   bit 6     several files: the rest is split at NUL bytes (which no
 *             document may contain) into up to 4 documents checked in one
 *             run, as `ssmc check a.yaml b.yaml` does
 *   bit 7     every rule at error severity (no rule is skipped as "off")
 * The rest is the document(s). */
#include "fuzz_common.h"

static const char *const kinds[8] = {
    NULL, "Command", "Automation", "Session", "Package", "Association", "Policy", "Bogus",
};

enum { MAX_DOCS = 4 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++, size--;

    ssmc_load_options options;
    ssmc_load_options_init(&options);
    static const ssmc_format formats[4] = {SSMC_FORMAT_UNKNOWN, SSMC_FORMAT_YAML,
                                           SSMC_FORMAT_JSON, SSMC_FORMAT_UNKNOWN};
    options.format = formats[opt & 3];

    ssmc_config config;
    ssmc_config_init(&config);
    config.shellcheck = "off"; /* no processes from the fuzzer */
    config.strict = (opt >> 2) & 1;
    config.document_type = kinds[(opt >> 3) & 7];
    if (opt & 0x80)
        for (size_t r = 0; r < SSMC_RULE_COUNT_BUILTIN; r++)
            config.severity[r] = SSMC_SEV_ERROR;

    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    ssmc_document *docs[MAX_DOCS];
    size_t count = 0;
    size_t start = 0;
    while (count < MAX_DOCS) {
        size_t end = size;
        if ((opt & 0x40) && count + 1 < MAX_DOCS) {
            const uint8_t *nul = memchr(data + start, '\0', size - start);
            if (nul)
                end = (size_t)(nul - data);
        }
        char name[32];
        snprintf(name, sizeof name, "doc%zu", count);
        uint32_t file = ssmc_sources_add(&sources, name, fuzz_copy(data + start, end - start),
                                         end - start);
        docs[count++] = ssmc_load(&sources, file, &options, &diags);
        if (end >= size)
            break;
        start = end + 1;
    }
    ssmc_check_documents(&sources, docs, count, &config, &diags);
    fuzz_check_diags(&sources, &diags);
    ssmc_diags_sort(&diags, &sources);

    for (size_t i = 0; i < count; i++)
        ssmc_document_free(docs[i]);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return 0;
}
