/* cmd_check.c — `ssmc check`: load every input, run every stage on all of
 * them at once (so external linters run once per call), render. */
#include "cli_common.h"
#include "emit.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const cli_command command = {
    "check",
    "ssmc check [options] PATH...",
    "Validate and lint SSM documents. PATH is a file, a directory (searched\n"
    "recursively for .json, .yaml and .yml files) or - for stdin (name it with\n"
    "--stdin-filename). Findings are printed sorted by file, line and column.\n",
    NULL,
    CLI_INPUTS_MANY,
};

int cmd_check(int argc, char **argv)
{
    cli_run run;
    int rc = cli_begin(&run, &command, argc, argv);
    if (rc != CLI_CONTINUE) {
        if (rc == EXIT_TROUBLE)
            cli_report(&run, stdout);
        cli_end(&run);
        return rc;
    }
    cli_read_inputs(&run);
    ssmc_document **docs = xcalloc(run.input_count ? run.input_count : 1, sizeof *docs);
    for (size_t i = 0; i < run.input_count; i++)
        docs[i] = ssmc_load(&run.sources, run.inputs[i], NULL, &run.diags);
    ssmc_check_documents(&run.sources, docs, run.input_count, &run.config, &run.diags);
    for (size_t i = 0; i < run.input_count; i++)
        ssmc_document_free(docs[i]);
    free(docs);
    /* -o FILE: the report goes to FILE instead of stdout, written whole to
     * a temporary file and renamed over FILE, so that a failure half-way
     * (a full disk) leaves the previous report as it was. */
    if (run.opts.output && strcmp(run.opts.output, "-") != 0) {
        char *report = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&report, &len);
        if (!out)
            ssmc_out_of_memory();
        rc = cli_report(&run, out);
        if (fclose(out) != 0)
            ssmc_out_of_memory();
        char *error = NULL;
        if (rc != EXIT_TROUBLE && !atomic_write_file(run.opts.output, report, len, &error)) {
            fprintf(stderr, "ssmc check: %s\n", error);
            rc = EXIT_TROUBLE;
        }
        free(error);
        free(report);
    } else {
        rc = cli_report(&run, stdout);
    }
    cli_end(&run);
    return rc;
}
