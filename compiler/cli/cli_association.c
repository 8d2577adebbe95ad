/* cli_association.c — --doc-path and --inventory for association checks.
 * See cli_association.h. */
#include "cli_association.h"

#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool cli_assoc_add_doc_path(const char *value, void *ctx)
{
    cli_assoc *a = ctx;
    a->doc_paths = xrealloc(a->doc_paths, (a->doc_path_count + 1) * sizeof *a->doc_paths);
    a->doc_paths[a->doc_path_count++] = value;
    return true;
}

bool cli_assoc_load_inventory(cli_run *run, cli_assoc *a, const char *path)
{
    uint32_t file = cli_read_file(run, path);
    if (file == UINT32_MAX)
        return false;
    ssmc_diags scratch = {0};
    a->inventory_doc = ssmc_load(&run->sources, file, NULL, &scratch);
    bool broken = false;
    for (size_t i = 0; i < scratch.count; i++) {
        ssmc_diag *d = &scratch.items[i];
        if (d->rule == SSMC_RULE_SSM1030)
            continue;
        ssmc_diag *copy = ssmc_diag_add(&run->diags, d->rule, d->file, d->span, "%s", d->message);
        copy->severity = d->severity;
        broken = broken || d->severity == SSMC_SEV_ERROR;
    }
    ssmc_diags_free(&scratch);
    if (broken || !a->inventory_doc->root)
        return false;
    a->have_inventory = inventory_read(&a->inventory, a->inventory_doc->root, &run->diags);
    return a->have_inventory;
}

void cli_assoc_apply(cli_run *run, cli_assoc *a)
{
    run->config.doc_paths = a->doc_paths;
    run->config.doc_path_count = a->doc_path_count;
    if (a->inventory_path && cli_assoc_load_inventory(run, a, a->inventory_path))
        run->config.inventory = &a->inventory;
}

void cli_assoc_release(cli_assoc *a)
{
    inventory_free(&a->inventory);
    ssmc_document_free(a->inventory_doc);
    free(a->doc_paths);
    memset(a, 0, sizeof *a);
}
