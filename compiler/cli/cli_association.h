/* cli_association.h — the association options shared by subcommands:
 * --doc-path DIR (repeatable) and --inventory FILE for `ssmc check`, and
 * `ssmc plan --association FILE --inventory FILE` (plan_association.c). */
#ifndef SSMC_CLI_ASSOCIATION_H
#define SSMC_CLI_ASSOCIATION_H

#include "cli_common.h"
#include "inventory.h"

typedef struct cli_assoc {
    const char **doc_paths;      /* --doc-path values (array owned) */
    size_t doc_path_count;
    const char *inventory_path;  /* --inventory */
    ssmc_document *inventory_doc;
    inventory inventory;
    bool have_inventory;
    bool offline_ok;             /* --offline-ok: an unknown document is info, not warning */
} cli_assoc;

/* A cli_extra_option handler for --doc-path; ctx is the cli_assoc. */
bool cli_assoc_add_doc_path(const char *value, void *ctx);

/* Reads an inventory file into a->inventory (SSM7040 findings, SSM1029 when
 * unreadable). The loader's "a document must be a mapping" does not apply
 * to an inventory, which is usually a list. Returns true when usable. */
bool cli_assoc_load_inventory(cli_run *run, cli_assoc *a, const char *path);

/* Puts --doc-path and --inventory into run->config for the association
 * checks (call after cli_read_inputs). */
void cli_assoc_apply(cli_run *run, cli_assoc *a);
/* --offline-ok alone: SSM7030 (document not found anywhere) lowered to info. */
void cli_assoc_apply_offline(cli_run *run, const cli_assoc *a);

void cli_assoc_release(cli_assoc *a);

/* `ssmc plan --association FILE --inventory FILE`: is it asked for, and
 * the subcommand itself (argv as cmd_plan got it). */
bool plan_association_requested(int argc, char **argv);
int plan_association_main(int argc, char **argv);

#endif
