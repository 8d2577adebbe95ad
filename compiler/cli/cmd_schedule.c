/* cmd_schedule.c — `ssmc schedule`: when (and, with an inventory, where) a
 * schedule expression or an association fires.
 *
 *   ssmc schedule EXPR [--next N] [--from TIME] [--general]
 *   ssmc schedule --association FILE [--inventory FILE] [--next N] [--from TIME]
 *
 * A wrong expression is reported as findings on the expression itself (the
 * source named "<expression>", line 1) and exits 1. */
#include "association.h"
#include "cli_common.h"
#include "inventory.h"
#include "internal.h"
#include "schedule.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_NEXT 1000

static const char *opt_next, *opt_from, *opt_association, *opt_inventory;
static bool opt_general, opt_apply_only;

static const cli_extra_option extras[] = {
    {"--next", "-n", "N", "how many fire times to print (default 5, at most 1000)", &opt_next, NULL, NULL, NULL},
    {"--from", NULL, "TIME", "start at this UTC time, ISO 8601 (default now); cron times at or after it",
     &opt_from, NULL, NULL, NULL},
    {"--general", NULL, NULL, "apply only the general cron/rate rules, not State Manager's association limits",
     NULL, &opt_general, NULL, NULL},
    {"--apply-only-at-cron-interval", NULL, NULL,
     "the association sets ApplyOnlyAtCronInterval: no run at creation (cron only)", NULL,
     &opt_apply_only, NULL, NULL},
    {"--association", NULL, "FILE", "take the schedule (and targets) from an association file",
     &opt_association, NULL, NULL, NULL},
    {"--inventory", NULL, "FILE", "instances (JSON or YAML list): print the ones the association targets",
     &opt_inventory, NULL, NULL, NULL},
    {0},
};

static const cli_command command = {
    "schedule",
    "ssmc schedule [options] EXPR | --association FILE [--inventory FILE]",
    "Print the next fire times of a schedule expression (cron(...), rate(...),\n"
    "at(...)) in UTC, ISO 8601, one per line, as State Manager would fire them.\n"
    "Cron times are those at or after --from; a rate counts from --from, taken\n"
    "as the association's creation time. State Manager also runs an association\n"
    "once when it is created, before these times (said on stderr, \"firstRun\" in\n"
    "JSON), unless a cron association sets ApplyOnlyAtCronInterval\n"
    "(--apply-only-at-cron-interval, or read from --association); rate\n"
    "expressions do not support it. A wrong expression is reported with\n"
    "its position inside the expression and exits 1. With --association, the\n"
    "schedule comes from the file, and --inventory lists the targeted instances.\n",
    extras,
    CLI_INPUTS_ANY,
    /* No document, parameter values, platform or output file: the times go
     * to stdout. The rest serve the findings of --association. */
    "--format --config --shellcheck --pyflakes --no-cache --strict --enable --disable "
    "--no-color --quiet --show-info --snippet --no-snippet --trust-config --help",
};

static void reset_options(void)
{
    opt_next = opt_from = opt_association = opt_inventory = NULL;
    opt_general = opt_apply_only = false;
}

/* When State Manager runs a new association the first time (AWS CLI/API
 * reference, CreateAssociation ApplyOnlyAtCronInterval: "By default, when
 * you create a new association, the system runs it immediately after it
 * is created and then according to the schedule you specified. ... This
 * parameter isn't supported for rate expressions."). NULL when the
 * expression is not an association's (--general, at(...)). */
static const char *first_run(const schedule *s, bool apply_only)
{
    if (opt_general || (s->kind != SCHEDULE_CRON && s->kind != SCHEDULE_RATE))
        return NULL;
    return s->kind == SCHEDULE_CRON && apply_only ? "schedule" : "creation";
}

static void print_times(const cli_run *run, const char *expr, const int64_t *times, size_t n,
                        const char *const *instances, size_t instance_count, bool with_instances,
                        const char *first)
{
    if (run->opts.format == CLI_FORMAT_JSON) {
        json_t *o = json_object();
        json_object_set_new(o, "expression", json_string(expr));
        if (first)
            json_object_set_new(o, "firstRun", json_string(first));
        if (with_instances) {
            json_t *ids = json_array();
            for (size_t i = 0; i < instance_count; i++)
                json_array_append_new(ids, json_string(instances[i]));
            json_object_set_new(o, "instances", ids);
        }
        json_t *next = json_array();
        for (size_t i = 0; i < n; i++) {
            char t[32];
            schedule_format_time(times[i], t);
            json_array_append_new(next, json_string(t));
        }
        json_object_set_new(o, "next", next);
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
        if (s)
            puts(s);
        free(s);
        json_decref(o);
        return;
    }
    if (with_instances) {
        printf("instances: %zu\n", instance_count);
        for (size_t i = 0; i < instance_count; i++)
            printf("  %s\n", instances[i]);
        printf("next:\n");
    }
    for (size_t i = 0; i < n; i++) {
        char t[32];
        schedule_format_time(times[i], t);
        printf(with_instances ? "  %s\n" : "%s\n", t);
    }
}

/* The expression's fire times; 0 when printed, 1 when it fires no more. */
static int fire(cli_run *run, const schedule *s, const char *expr, long count, int64_t from,
                const char *const *instances, size_t instance_count, bool with_instances,
                bool apply_only)
{
    int64_t *times = xcalloc((size_t)count, sizeof *times);
    size_t n = schedule_fire_times(s, from, times, (size_t)count);
    const char *first = first_run(s, apply_only);
    print_times(run, expr, times, n, instances, instance_count, with_instances, first);
    free(times);
    if (first && run->opts.format != CLI_FORMAT_JSON) {
        char t[32];
        schedule_format_time(from, t);
        if (strcmp(first, "creation") == 0)
            fprintf(stderr, "ssmc schedule: State Manager runs the association first when it is "
                    "created (here %s, --from), then at these times%s\n", t,
                    s->kind == SCHEDULE_RATE ? "; ApplyOnlyAtCronInterval, which would skip that "
                                               "run, is not supported for rate expressions"
                                             : "; ApplyOnlyAtCronInterval: true skips that run");
        else
            fprintf(stderr, "ssmc schedule: with ApplyOnlyAtCronInterval the association does "
                    "not run when it is created, only at these times\n");
    }
    if (n < (size_t)count) {
        char t[32];
        schedule_format_time(from, t);
        if (n == 0)
            fprintf(stderr, "ssmc schedule: %s does not fire at or after %s%s\n", expr, t,
                    s->kind == SCHEDULE_AT ? "" : " (years run to 2199)");
        else
            fprintf(stderr, "ssmc schedule: %s fires only %zu time%s at or after %s\n", expr, n,
                    n == 1 ? "" : "s", t);
    }
    return n == 0 ? EXIT_FINDINGS : EXIT_OK;
}

static int run_association(cli_run *run, long count, int64_t from)
{
    uint32_t file = cli_read_file(run, opt_association);
    if (file == UINT32_MAX)
        return cli_report(run, stdout);
    run->files_seen = 1;
    ssmc_document *doc = ssmc_load(&run->sources, file, NULL, &run->diags);
    ssmc_document *inv_doc = NULL;
    association_info info;
    memset(&info, 0, sizeof info);
    if (doc->syntax_ok && doc->root)
        association_check_tree(&run->sources, doc->root, &run->config, &run->diags, &info);
    inventory inv;
    memset(&inv, 0, sizeof inv);
    if (opt_inventory) {
        /* An inventory is a list: a data file, not a document. */
        inv_doc = cli_load_data_file(run, opt_inventory);
        if (inv_doc && inv_doc->root && cli_exit_code(run) == EXIT_OK)
            inventory_read(&inv, inv_doc->root, &run->diags);
    }
    int rc;
    if (cli_exit_code(run) != EXIT_OK) {
        rc = cli_report(run, stdout);
    } else {
        if (run->diags.count)
            cli_report(run, stderr);
        const char **ids = NULL;
        size_t nids = 0;
        if (opt_inventory)
            nids = inventory_match(&inv, doc->root, &ids);
        if (info.schedule.kind == SCHEDULE_INVALID) {
            print_times(run, "", NULL, 0, ids, nids, opt_inventory != NULL, NULL);
            fprintf(stderr, "ssmc schedule: %s has no ScheduleExpression: it runs once when created "
                    "and when its targets change\n", opt_association);
            rc = EXIT_OK;
        } else {
            rc = fire(run, &info.schedule, info.expression, count, from, ids, nids, opt_inventory != NULL,
                      info.apply_only_at_cron_interval || opt_apply_only);
        }
        free(ids);
    }
    association_info_free(&info);
    inventory_free(&inv);
    ssmc_document_free(inv_doc);
    ssmc_document_free(doc);
    return rc;
}

int cmd_schedule(int argc, char **argv)
{
    reset_options();
    cli_run run;
    int rc = cli_begin(&run, &command, argc, argv);
    if (rc != CLI_CONTINUE) {
        cli_end(&run);
        return rc;
    }
    long count = 5;
    if (opt_next) {
        char *end;
        count = strtol(opt_next, &end, 10);
        if (*opt_next == '\0' || *end || count < 1 || count > MAX_NEXT) {
            rc = cli_usage_error(&run, "--next takes a number from 1 to %d, not '%s'", MAX_NEXT, opt_next);
            cli_end(&run);
            return rc;
        }
    }
    int64_t from = (int64_t)time(NULL);
    if (opt_from && !schedule_parse_time(opt_from, &from)) {
        rc = cli_usage_error(&run, "--from takes a UTC time like 2026-11-26T16:30:00Z, not '%s'", opt_from);
        cli_end(&run);
        return rc;
    }
    if (opt_apply_only && opt_general) {
        rc = cli_usage_error(&run, "--apply-only-at-cron-interval is an association setting; "
                                   "--general leaves associations out");
        cli_end(&run);
        return rc;
    }
    if (opt_association) {
        if (run.opts.path_count) {
            rc = cli_usage_error(&run, "give either an expression or --association FILE, not both");
        } else {
            rc = run_association(&run, count, from);
        }
        cli_end(&run);
        return rc;
    }
    if (opt_inventory || run.opts.path_count != 1) {
        rc = opt_inventory ? cli_usage_error(&run, "--inventory needs --association FILE")
             : run.opts.path_count ? cli_usage_error(&run, "expects one expression (quote it), got %zu",
                                                     run.opts.path_count)
                                   : cli_usage_error(&run, "expects an expression, e.g. 'cron(0 2 ? * SUN *)'");
        cli_end(&run);
        return rc;
    }
    const char *expr = run.opts.paths[0];
    size_t len = strlen(expr);
    uint32_t file = ssmc_sources_add(&run.sources, "<expression>", xstrndup(expr, len), len);
    run.files_seen = 1;
    schedule_where where = schedule_where_source(&run.sources, file);
    schedule s;
    bool ok = schedule_parse(expr, len, opt_general ? SCHEDULE_GENERAL : SCHEDULE_ASSOCIATION, &where,
                             &run.diags, &s);
    if (!ok || cli_exit_code(&run) != EXIT_OK) {
        rc = cli_report(&run, stdout);
        if (rc == EXIT_OK)
            rc = EXIT_FINDINGS;
    } else if (opt_apply_only && s.kind != SCHEDULE_CRON) {
        rc = cli_usage_error(&run, "ApplyOnlyAtCronInterval isn't supported for %s expressions "
                                   "(CreateAssociation); drop --apply-only-at-cron-interval",
                             s.kind == SCHEDULE_RATE ? "rate" : "at");
    } else {
        rc = fire(&run, &s, expr, count, from, NULL, 0, false, opt_apply_only);
    }
    cli_end(&run);
    return rc;
}
