/* cmd_doc.c — `ssmc doc`: check one document and, when it has no errors,
 * render its Markdown reference page (compiler/doc_markdown.c) to stdout or
 * to -o FILE. Findings go to stderr, so that stdout carries only the page. */
#include "cli_common.h"
#include "doc_markdown.h"
#include "emit.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const cli_command command = {
    "doc",
    "ssmc doc [options] FILE [-o OUT]",
    "Check a Command document and render its Markdown reference page: the\n"
    "title (from the file name), the description, a table of the parameters\n"
    "(type, required or optional, default, constraints) and every step with\n"
    "its plugin, the platforms it runs on, precondition, timeout, inputs and\n"
    "script. Warnings are listed in a note on the page. A document with\n"
    "errors gets no page: its findings are printed and the exit status is 1.\n"
    "Findings are printed on stderr; the page goes to stdout or to -o OUT.\n",
    NULL,
    CLI_INPUTS_ONE,
    /* --param and --params-file: nothing here substitutes parameters */
    "--format --platform --stdin-filename --config --shellcheck --pyflakes --no-cache --strict "
    "--enable --disable --no-color --quiet --show-info --snippet --no-snippet --document-type "
    "--output --trust-config --help",
};

/* The page title: the file name without its directory and extension. */
static char *title_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    static const char *const extensions[] = {".yaml", ".yml", ".json"};
    for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++) {
        size_t n = strlen(extensions[i]);
        if (len > n && str_eq_nocase(base + len - n, extensions[i])) {
            len -= n;
            break;
        }
    }
    return len ? xstrndup(base, len) : xstrdup(path);
}

static int finish(cli_run *run, int rc)
{
    cli_end(run);
    return rc;
}

int cmd_doc(int argc, char **argv)
{
    cli_run run;
    int rc = cli_begin(&run, &command, argc, argv);
    if (rc != CLI_CONTINUE) {
        if (rc == EXIT_TROUBLE)
            cli_report(&run, stderr);
        return finish(&run, rc);
    }
    const char *path = run.opts.paths[0];
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return finish(&run, cli_usage_error(&run, "expects a file, '%s' is a directory", path));
    cli_read_inputs(&run);
    if ((rc = cli_check_output(&run)) != CLI_CONTINUE)
        return finish(&run, rc);
    if (run.input_count != 1)
        return finish(&run, cli_report(&run, stderr));

    ssmc_document *doc = ssmc_load(&run.sources, run.inputs[0], NULL, &run.diags);
    ssmc_check_documents(&run.sources, &doc, 1, &run.config, &run.diags);
    rc = cli_report(&run, stderr);
    if (rc != EXIT_OK) {
        ssmc_document_free(doc);
        return finish(&run, rc);
    }

    const ssmc_source *src = ssmc_sources_get(&run.sources, run.inputs[0]);
    char *title = title_of(src->name);
    buf page;
    buf_init(&page);
    doc_markdown_render(&run.sources, doc, title, &run.diags, &page);
    free(title);
    ssmc_document_free(doc);

    if (run.opts.output && strcmp(run.opts.output, "-") != 0) {
        char *error = NULL;
        if (!atomic_write_file(run.opts.output, page.data, page.len, &error)) {
            fprintf(stderr, "ssmc doc: %s\n", error);
            rc = EXIT_TROUBLE;
        }
        free(error);
    } else if (fwrite(page.data, 1, page.len, stdout) != page.len || fflush(stdout) != 0) {
        fprintf(stderr, "ssmc doc: cannot write the page: %s\n", strerror(errno));
        rc = EXIT_TROUBLE;
    }
    buf_free(&page);
    return finish(&run, rc);
}
