/* fuzz_load.c — libFuzzer target for the loaders. The first byte chooses
 * options (cmark style): bit 0 the front end (1: the JSON reader, 0: YAML
 * through libyaml), bit 1 sniffing instead (the format is guessed from the
 * bytes, as for a file without an extension), bits 2-3 tighter limits (so
 * the limit paths are reached by small inputs). The rest is the document.
 *
 * Checks (fuzz_common.h): findings and every node of the tree point inside
 * the source at positions that agree with their byte offsets. Any crash,
 * hang, leak or sanitizer report is a bug: the library must survive every
 * input.
 *
 * Built with -DSSMC_FUZZ=ON and clang; see the README for long runs. */
#include "fuzz_common.h"

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
    switch ((opt >> 2) & 3) {
    case 1:
        options.limits.max_depth = 4;
        options.limits.max_nodes = 64;
        break;
    case 2:
        options.limits.max_alias_weight = 32;
        options.limits.max_scalar_bytes = 16;
        break;
    case 3:
        options.limits.max_file_bytes = 64;
        break;
    default:
        break;
    }
    ssmc_document *doc = ssmc_load(&sources, file, &options, &diags);
    FUZZ_ASSERT(doc != NULL);
    if (doc->root)
        fuzz_check_node(&sources, doc->root, 0);
    if (doc->syntax_ok)
        FUZZ_ASSERT(ssmc_diags_count_at_least(&diags, SSMC_SEV_ERROR) == 0);
    fuzz_check_diags(&sources, &diags);
    ssmc_diags_sort(&diags, &sources);

    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return 0;
}
