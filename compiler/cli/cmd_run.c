/* cmd_run.c — `ssmc run`: check the document, build its plan for this
 * machine, execute it as the SSM Agent would and report the agent's
 * statuses, outputs and ExecutionSummary.
 *
 * Test-only environment (documented in --help's last lines):
 *   SSMC_RUN_TIMEOUT_SCALE=F   multiply every timeoutSeconds by F (the
 *                              agent's minimum is 5 s; tests use 0.1)
 *   SSMC_RUN_DETERMINISTIC=1   fixed times and run id in the reports */
#include "cli_common.h"
#include "cli_params.h"
#include "internal.h"
#include "plan.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *ssm_params;
static const char **doc_paths;
static size_t doc_path_count;
static const char *resume;
static bool dry_run, keep;
static run_simulation *simulations;
static size_t simulation_count;

static bool add_doc_path(const char *value, void *ctx)
{
    (void)ctx;
    doc_paths = xrealloc(doc_paths, (doc_path_count + 1) * sizeof *doc_paths);
    doc_paths[doc_path_count++] = value;
    return true;
}

static bool add_simulation(const char *value, void *ctx)
{
    (void)ctx;
    const char *eq = strchr(value, '=');
    run_status st = eq ? run_status_parse(eq + 1) : RUN_NONE;
    if (!eq || eq == value || (st != RUN_SUCCESS && st != RUN_FAILED)) {
        fprintf(stderr, "ssmc run: --simulate wants PLUGIN=Success or PLUGIN=Failed, not '%s'\n",
                value);
        return false;
    }
    simulations = xrealloc(simulations, (simulation_count + 1) * sizeof *simulations);
    simulations[simulation_count].plugin = xstrndup(value, (size_t)(eq - value));
    simulations[simulation_count].status = st;
    simulation_count++;
    return true;
}

static const cli_extra_option extras[] = {
    {"--dry-run", "-n", NULL, "show what would run (the plan), run nothing", NULL, &dry_run, NULL,
     NULL},
    {"--keep", NULL, NULL, "keep the orchestration directory (scripts, stdout, stderr)", NULL,
     &keep, NULL, NULL},
    {"--resume", NULL, "STATE",
     "continue a run stopped by a reboot request (exit 194): its state file or directory", &resume,
     NULL, NULL, NULL},
    {"--simulate", NULL, "PLUGIN=STATUS",
     "pretend that steps of PLUGIN end Success or Failed (repeatable)", NULL, NULL, add_simulation,
     NULL},
    {"--ssm-params", NULL, "FILE",
     "Parameter Store stand-in: a JSON/YAML mapping name -> value for {{ssm:name}}", &ssm_params,
     NULL, NULL, NULL},
    {"--doc-path", NULL, "DIR",
     "where aws:runDocument finds documents (repeatable; stdlib-docs is always searched)", NULL,
     NULL, add_doc_path, NULL},
    {0},
};

static const cli_command command = {
    "run",
    "ssmc run [options] FILE [--param NAME=VALUE]... [--params-file F] [--dry-run]\n"
    "         [--keep] [--resume STATE] [--simulate PLUGIN=Success|Failed]...",
    "Execute the document's plan on this machine the way the SSM Agent does, and\n"
    "report what the fleet would report: each step's status, code and output, the\n"
    "document status and the association ExecutionSummary. aws:runShellScript runs\n"
    "as `sh -c _script.sh` in a temporary orchestration directory (removed unless\n"
    "--keep); aws:runPowerShellScript through pwsh when it is on PATH;\n"
    "aws:runDocument children run inline; other plugins are Skipped unless\n"
    "--simulate says otherwise. Exit codes 0, 194 (reboot: the run stops, resume\n"
    "with --resume DIR), 168 and 169, onFailure/onSuccess/finallyStep and\n"
    "timeoutSeconds behave as on the agent; Ctrl-C cancels the running step.\n"
    "A document with errors is refused. --format json gives the agent's reply\n"
    "(documentStatus, runtimeStatus, runtimeStatusCounts, executionSummary).\n"
    "Exit status 0 only when the document status is Success.\n"
    "Tests only: SSMC_RUN_TIMEOUT_SCALE=F scales every timeout by F;\n"
    "SSMC_RUN_DETERMINISTIC=1 fixes the times and the run id in reports.\n",
    extras,
    CLI_INPUTS_ONE,
    /* --output: the run's report goes to stdout */
    "--format --platform --param --params-file --stdin-filename --config --shellcheck --pyflakes "
    "--no-cache --strict --enable --disable --no-color --quiet --show-info --snippet --no-snippet "
    "--document-type --trust-config --help",
};


static void reset_globals(void)
{
    for (size_t i = 0; i < simulation_count; i++)
        free(simulations[i].plugin);
    free(simulations);
    simulations = NULL;
    simulation_count = 0;
    free(doc_paths);
    doc_paths = NULL;
    doc_path_count = 0;
    ssm_params = NULL;
    resume = NULL;
    dry_run = keep = false;
}

static int execute(cli_run *run, json_t *plan)
{
    run_step *steps;
    size_t count;
    if (!run_steps_from_plan(plan, &steps, &count)) {
        fprintf(stderr, "ssmc run: internal error: the plan has no steps\n");
        return EXIT_TROUBLE;
    }
    run_options o;
    memset(&o, 0, sizeof o);
    o.document = ssmc_sources_get(&run->sources, run->inputs[0])->name;
    o.platform = run->opts.platform ? run->opts.platform : "linux";
    o.resume = resume;
    o.keep = keep;
    o.progress = !run->opts.quiet && isatty(2);
    o.color = o.progress && cli_use_color(&run->opts, stderr);
    o.progress_out = stderr;
    o.simulate = simulations;
    o.simulate_count = simulation_count;
    o.timeout_scale = 1.0;
    const char *scale = getenv("SSMC_RUN_TIMEOUT_SCALE");
    if (scale && *scale) {
        char *end;
        double f = strtod(scale, &end);
        if (*end == '\0' && f > 0 && f <= 1000)
            o.timeout_scale = f;
    }
    run_report rep;
    int rc;
    if (!run_document(steps, count, &o, &rep)) {
        fprintf(stderr, "ssmc run: %s\n", rep.error ? rep.error : "the run failed");
        rc = rep.usage ? EXIT_USAGE : EXIT_TROUBLE;
    } else {
        buf out;
        buf_init(&out);
        if (run->opts.format == CLI_FORMAT_JSON) {
            json_t *j = run_report_json(&rep);
            char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            buf_adds(&out, s);
            buf_addc(&out, '\n');
            free(s);
            json_decref(j);
        } else {
            run_report_text(&rep, &out);
        }
        fwrite(out.data, 1, out.len, stdout);
        buf_free(&out);
        if (fflush(stdout) != 0 || ferror(stdout))
            fprintf(stderr, "ssmc run: cannot write the report\n");
        if (rep.rebooted)
            fprintf(stderr,
                    "ssmc run: a step asked for a reboot (exit code 194); the run stopped as the "
                    "agent's does. After the reboot, continue with:\n  ssmc run --resume %s %s\n",
                    rep.orchestration, o.document);
        else if (rep.kept && !run->opts.quiet)
            fprintf(stderr, "ssmc run: orchestration directory kept: %s\n", rep.orchestration);
        if (rep.cancelled)
            fprintf(stderr, "ssmc run: cancelled (Ctrl-C)\n");
        rc = rep.document_status == RUN_SUCCESS ? EXIT_OK : EXIT_FINDINGS;
    }
    run_report_free(&rep);
    for (size_t i = 0; i < count; i++)
        run_step_free(&steps[i]);
    free(steps);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    reset_globals();
    cli_run run;
    int rc = cli_begin(&run, &command, argc, argv);
    if (rc != CLI_CONTINUE) {
        if (rc == EXIT_TROUBLE)
            cli_report(&run, stderr);
        cli_end(&run);
        reset_globals();
        return rc;
    }
    if (run.opts.format != CLI_FORMAT_TEXT && run.opts.format != CLI_FORMAT_JSON) {
        rc = cli_usage_error(&run, "--format must be text or json for run");
        cli_end(&run);
        reset_globals();
        return rc;
    }
    unsigned platforms = PLAN_LINUX;
    if (run.opts.platform) {
        const char *p = run.opts.platform;
        if (strcmp(p, "linux") == 0)
            platforms = PLAN_LINUX;
        else if (strcmp(p, "macos") == 0)
            platforms = PLAN_MACOS;
        else {
            rc = cli_usage_error(&run, "run executes on this machine: --platform linux or macos, "
                                       "not %s; `ssmc plan --platform %s` shows that platform's plan", p, p);
            cli_end(&run);
            reset_globals();
            return rc;
        }
    }
    cli_plan_inputs in;
    cli_plan_inputs_read(&run, ssm_params, doc_paths, doc_path_count, &in);
    /* A document with errors is refused: the findings are the report. */
    json_t *plan = cli_plan_inputs_plan(&run, &in, platforms, true);
    if (!plan) {
        rc = cli_report(&run, stdout);
        if (rc == EXIT_OK)
            rc = EXIT_FINDINGS;
        if (!run.opts.quiet)
            fprintf(stderr, "ssmc run: %s not run: fix the errors above\n",
                    run.input_count ? ssmc_sources_get(&run.sources, run.inputs[0])->name
                                    : "the document");
    } else {
        /* warnings and notes go to stderr as text, the report to stdout */
        cli_format format = run.opts.format;
        run.opts.format = CLI_FORMAT_TEXT;
        if (run.diags.count)
            cli_report(&run, stderr);
        run.opts.format = format;
        if (dry_run) {
            buf out;
            buf_init(&out);
            plan_render_text(plan, &out);
            fwrite(out.data, 1, out.len, stdout);
            buf_free(&out);
            rc = EXIT_OK;
        } else {
            rc = execute(&run, plan);
        }
        json_decref(plan);
    }
    cli_plan_inputs_free(&in);
    cli_end(&run);
    reset_globals();
    return rc;
}
