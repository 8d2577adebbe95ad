/* fuzz_host.c — libFuzzer target for documents kept in other files
 * (compiler/iac/): a CloudFormation template, a Terraform file (the
 * hand-written scanner) or a Terraform plan is read, every document in it
 * is checked with the type the host declares, and the findings moved to
 * host positions must satisfy the invariants of fuzz_common.h.
 *
 * The first byte chooses the host: bits 0-1: 0 a YAML template, 1 a JSON
 * template, 2 a .tf file, 3 a plan. The rest is the file. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++, size--;
    static const char *const names[4] = {"fuzz.yaml", "fuzz.json", "fuzz.tf", "plan.json"};
    static const ssmc_host_kind kinds[4] = {SSMC_HOST_CLOUDFORMATION, SSMC_HOST_CLOUDFORMATION,
                                            SSMC_HOST_TERRAFORM, SSMC_HOST_TERRAFORM_PLAN};
    ssmc_config config;
    ssmc_config_init(&config);
    config.shellcheck = "off";
    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    uint32_t file = ssmc_sources_add(&sources, names[opt & 3], fuzz_copy(data, size), size);
    ssmc_host *host = ssmc_host_extract(&sources, file, kinds[opt & 3], &config, &diags);
    for (size_t i = 0; i < host->count; i++) {
        ssmc_embedded *e = &host->items[i];
        if (!e->document || e->kind != SSMC_EMBEDDED_DOCUMENT)
            continue;
        ssmc_config cfg = config;
        cfg.document_type = e->document_type;
        ssmc_check_documents(&sources, &e->document, 1, &cfg, &diags);
    }
    ssmc_diags_to_host(&sources, &diags);
    fuzz_check_diags(&sources, &diags);
    ssmc_diags_sort(&diags, &sources);
    ssmc_host_free(host);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return 0;
}
