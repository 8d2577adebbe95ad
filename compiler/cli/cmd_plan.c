/* cmd_plan.c — `ssmc plan`: the execution plan of one document for one
 * platform (or all three) and one set of parameter values.
 *
 * Findings go to stderr while stdout carries the plan, and to stdout when
 * the plan goes to a file (-o) or is not produced. */
#include "cli_association.h"
#include "cli_common.h"
#include "cli_params.h"
#include "doc_lookup.h"
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
    cli_read_inputs(&run);
    ssmc_document *doc = NULL, *params_doc = NULL, *ssm_doc = NULL;
    if (run.input_count == 1) {
        doc = ssmc_load(&run.sources, run.inputs[0], NULL, &run.diags);
        ssmc_check_documents(&run.sources, &doc, 1, &run.config, &run.diags);
    }
    given_values given = {0};
    cli_collect_params(&run, &given);
    if (run.opts.params_file) {
        params_doc = cli_load_data_file(&run, run.opts.params_file);
        if (params_doc && params_doc->root)
            given_values_add_file(&given, params_doc->root, &run.diags);
    }
    if (ssm_params) {
        ssm_doc = cli_load_data_file(&run, ssm_params);
        if (ssm_doc && ssm_doc->root && ssm_doc->root->type != SSMC_NODE_MAP)
            ssmc_diag_add(&run.diags, SSMC_RULE_SSM6016, ssm_doc->file, ssm_doc->root->span,
                          "--ssm-params must be a mapping of Parameter Store names to "
                          "values, not %s", ssmc_node_type_phrase(ssm_doc->root->type));
    }
    /* Search order: --doc-path as given, then the stdlib documents. */
    size_t npaths;
    const char **paths = doc_lookup_search_path(doc_paths, doc_path_count, &npaths);

    bool write_fail = false;
    json_t *plan = NULL;
    if ((rc = cli_check_output(&run)) != CLI_CONTINUE)
        goto done;
    bool ok = doc && doc->root && !run.trouble &&
              ssmc_diags_count_at_least(&run.diags, SSMC_SEV_ERROR) == 0;
    if (ok) {
        plan_options o;
        memset(&o, 0, sizeof o);
        o.platforms = platforms;
        o.sources = &run.sources;
        o.given = &given;
        o.ssm_values = ssm_doc && ssm_doc->root && ssm_doc->root->type == SSMC_NODE_MAP
                           ? ssm_doc->root
                           : NULL;
        o.doc_paths = paths;
        o.doc_path_count = npaths;
        o.config = &run.config;
        plan = plan_build(doc, &o, &run.diags);
        /* The agent would refuse the document: no plan is shown. */
        if (plan && ssmc_diags_count_at_least(&run.diags, SSMC_SEV_ERROR)) {
            json_decref(plan);
            plan = NULL;
        }
    }
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
    given_values_free(&given);
    ssmc_document_free(doc);
    ssmc_document_free(params_doc);
    ssmc_document_free(ssm_doc);
    free(paths);
    free(doc_paths);
    doc_paths = NULL;
    cli_end(&run);
    return rc;
}
