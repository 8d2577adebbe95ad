/* cmd_plan.c — `ssmc plan`: the execution plan of one document for one
 * platform (or all three) and one set of parameter values.
 *
 * Findings go to stderr while stdout carries the plan, and to stdout when
 * the plan goes to a file (-o) or is not produced. */
#include "cli_association.h"
#include "cli_common.h"
#include "cli_params.h"
#include "emit.h"
#include "internal.h"
#include "plan.h"

#include <stdlib.h>
#include <string.h>

typedef enum plan_format { PLAN_JSON, PLAN_TEXT, PLAN_DOT } plan_format;

static plan_format format;
static const char *ssm_params;
static const char **doc_paths;
static size_t doc_path_count;

static bool add_doc_path(const char *value, void *ctx)
{
    (void)ctx;
    doc_paths = xrealloc(doc_paths, (doc_path_count + 1) * sizeof *doc_paths);
    doc_paths[doc_path_count++] = value;
    return true;
}

static const cli_extra_option extras[] = {
    {"--ssm-params", NULL, "FILE",
     "Parameter Store stand-in: a JSON/YAML mapping name -> value for {{ssm:name}}", &ssm_params,
     NULL, NULL, NULL},
    {"--doc-path", NULL, "DIR",
     "where aws:runDocument finds documents (repeatable; stdlib-docs is always searched)", NULL,
     NULL, add_doc_path, NULL},
    {0},
};

static const cli_command command = {
    "plan",
    "ssmc plan [options] FILE [--platform linux|windows|macos|all] [--param NAME=VALUE]...\n"
    "          [--params-file F] [--ssm-params F] [--doc-path DIR]... [-o OUT]\n"
    "          [--format json|text|dot]",
    "Show what the SSM Agent would do with the document: every parameter's value,\n"
    "then each step in order with the agent's decision (run, skipped, failed), its\n"
    "inputs after {{ }} substitution, the exact script and command line, timeout,\n"
    "working directory, environment, and control flow (onFailure, onSuccess,\n"
    "finallyStep, exit codes 168/169/194/3010). aws:runDocument steps are expanded\n"
    "from local documents. The platform defaults to linux.\n"
    "A StringList value is given as a JSON list (--param Cmds='[\"a\",\"b\"]') or by\n"
    "repeating --param Cmds=ITEM; StringMap and MapList values as JSON text.\n"
    "--format json (default), text (for people) or dot (Graphviz); sarif and github\n"
    "choose how findings are shown.\n",
    extras,
    CLI_INPUTS_ONE,
};



int cmd_plan(int argc, char **argv)
{
    if (plan_association_requested(argc, argv))
        return plan_association_main(argc, argv);    /* plan_association.c */
    format = PLAN_JSON;
    ssm_params = NULL;
    free(doc_paths);
    doc_paths = NULL;
    doc_path_count = 0;
    int new_argc;
    static const char *const outputs[] = {"json", "text", "dot", NULL};
    const char *output = cli_take_format(argc, argv, outputs, &new_argc);
    if (output)
        format = strcmp(output, "json") == 0   ? PLAN_JSON
                 : strcmp(output, "text") == 0 ? PLAN_TEXT
                                               : PLAN_DOT;
    cli_run run;
    int rc = cli_begin(&run, &command, new_argc, argv);
    if (rc != CLI_CONTINUE) {
        if (rc == EXIT_TROUBLE)
            cli_report(&run, stderr);
        cli_end(&run);
        return rc;
    }
    FILE *findings = run.opts.output ? stdout : stderr;
    unsigned platforms = PLAN_LINUX;
    if (run.opts.platform) {
        const char *p = run.opts.platform;
        platforms = strcmp(p, "all") == 0       ? PLAN_ALL
                    : strcmp(p, "windows") == 0 ? PLAN_WINDOWS
                    : strcmp(p, "macos") == 0   ? PLAN_MACOS
                                                : PLAN_LINUX;
    }
    cli_plan_inputs in;
    cli_plan_inputs_read(&run, ssm_params, doc_paths, doc_path_count, &in);

    bool write_fail = false;
    json_t *plan = NULL;
    if ((rc = cli_check_output(&run)) != CLI_CONTINUE)
        goto done;
    plan = cli_plan_inputs_plan(&run, &in, platforms, false);
    if (!plan && !run.opts.output)
        findings = stdout;
    if (plan) {
        buf out;
        buf_init(&out);
        if (format == PLAN_TEXT)
            plan_render_text(plan, &out);
        else if (format == PLAN_DOT)
            plan_render_dot(plan, &out);
        else
            plan_render_json(plan, &out);
        if (run.opts.output) {
            char *error = NULL;
            if (!atomic_write_file(run.opts.output, out.data, out.len, &error)) {
                fprintf(stderr, "ssmc plan: %s\n", error);
                free(error);
                write_fail = true;
            }
        } else {
            fwrite(out.data, 1, out.len, stdout);
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "ssmc plan: cannot write the output\n");
                write_fail = true;
            }
        }
        buf_free(&out);
        json_decref(plan);
    }
    /* Findings the plan adds for its own sake are shown; the check's
     * warnings matter too (they are the same as `ssmc check`). */
    rc = cli_report(&run, findings);
    if (write_fail)
        rc = EXIT_TROUBLE;
done:
    cli_plan_inputs_free(&in);
    free(doc_paths);
    doc_paths = NULL;
    cli_end(&run);
    return rc;
}
