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
    size_t errors_before = ssmc_diags_count_at_least(&run->diags, SSMC_SEV_ERROR);
    a->inventory_doc = cli_load_data_file(run, path);
    if (!a->inventory_doc || !a->inventory_doc->root ||
        ssmc_diags_count_at_least(&run->diags, SSMC_SEV_ERROR) != errors_before)
        return false;
    a->have_inventory = inventory_read(&a->inventory, a->inventory_doc->root, &run->diags);
    return a->have_inventory;
}

void cli_assoc_apply_offline(cli_run *run, const cli_assoc *a)
{
    /* Lowers, never raises: a configuration that turned the rule off stays off. */
    if (a->offline_ok && run->config.severity[SSMC_RULE_SSM7030] > SSMC_SEV_INFO)
        run->config.severity[SSMC_RULE_SSM7030] = SSMC_SEV_INFO;
}

void cli_assoc_apply(cli_run *run, cli_assoc *a)
{
    run->config.doc_paths = a->doc_paths;
    run->config.doc_path_count = a->doc_path_count;
    cli_assoc_apply_offline(run, a);
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
