/* cmd_check.c — `ssmc check`: load every input, run every stage on all of
 * them at once (so external linters run once per call), render. */
#include "cli_association.h"
#include "cli_common.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Associations: where the documents they name are, and which instances
 * they target (cli_association.c). */
static cli_assoc assoc;

static const cli_extra_option extras[] = {
    {"--doc-path", NULL, "DIR",
     "where the documents that associations name are found (repeatable; stdlib-docs is always searched)",
     NULL, NULL, cli_assoc_add_doc_path, &assoc},
    {"--inventory", NULL, "FILE", "instances (JSON or YAML list): report which ones each association targets",
     &assoc.inventory_path, NULL, NULL, NULL},
    {0},
};

static const cli_command command = {
    "check",
    "ssmc check [options] PATH...",
    "Validate and lint SSM documents. PATH is a file, a directory (searched\n"
    "recursively for .json, .yaml and .yml files) or - for stdin (name it with\n"
    "--stdin-filename). Findings are printed sorted by file, line and column.\n",
    extras,
    CLI_INPUTS_MANY,
};

int cmd_check(int argc, char **argv)
{
    cli_run run;
    int rc = cli_begin(&run, &command, argc, argv);
    if (rc != CLI_CONTINUE) {
        if (rc == EXIT_TROUBLE)
            cli_report(&run, stdout);
        cli_assoc_release(&assoc);
        cli_end(&run);
        return rc;
    }
    cli_read_inputs(&run);
    cli_assoc_apply(&run, &assoc);
    ssmc_document **docs = xcalloc(run.input_count ? run.input_count : 1, sizeof *docs);
    for (size_t i = 0; i < run.input_count; i++)
        docs[i] = ssmc_load(&run.sources, run.inputs[i], NULL, &run.diags);
    ssmc_check_documents(&run.sources, docs, run.input_count, &run.config, &run.diags);
    for (size_t i = 0; i < run.input_count; i++)
        ssmc_document_free(docs[i]);
    free(docs);
    /* -o FILE: the report goes to FILE instead of stdout. */
    FILE *out = stdout;
    if (run.opts.output && strcmp(run.opts.output, "-") != 0) {
        out = fopen(run.opts.output, "w");
        if (!out) {
            fprintf(stderr, "ssmc check: cannot write '%s': %s\n", run.opts.output,
                    strerror(errno));
            cli_assoc_release(&assoc);
            cli_end(&run);
            return EXIT_TROUBLE;
        }
    }
    rc = cli_report(&run, out);
    if (out != stdout && fclose(out) != 0 && rc != EXIT_TROUBLE) {
        fprintf(stderr, "ssmc check: cannot write '%s': %s\n", run.opts.output, strerror(errno));
        rc = EXIT_TROUBLE;
    }
    cli_assoc_release(&assoc);
    cli_end(&run);
    return rc;
}
