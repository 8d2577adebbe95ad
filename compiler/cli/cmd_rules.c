/* cmd_rules.c — `ssmc rules`: the registry, listed or one rule explained. */
#include "cli_common.h"
#include "internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *format_arg;

static const cli_extra_option extras[] = {
    {"--format", NULL, "FORMAT", "text (default) or json: the registry as one JSON object",
     &format_arg, NULL, NULL, NULL},
    {0},
};

static const cli_command command = {
    "rules",
    "ssmc rules [RULE-ID|NAME]",
    "Without an argument, list every rule: id, name, default severity and\n"
    "summary. With a rule id (SSM1012) or name (duplicate-key), explain it.\n"
    "Rules marked 'always on' mean the file could not be read; no configuration,\n"
    "flag or comment turns them off or lowers them.\n",
    extras,
    CLI_INPUTS_ANY,
    "--help",
};

static void explain(const ssmc_rule_info *info)
{
    ssmc_rule rule;
    bool always = ssmc_rule_lookup(info->id, &rule) && ssmc_rule_always_on(rule);
    printf("%s %s (%s%s)\n\n%s\n\n%s", info->id, info->name, ssmc_severity_name(info->severity),
           always ? ", always on: cannot be disabled or lowered" : "", info->summary, info->doc);
    size_t n = strlen(info->doc);
    if (n && info->doc[n - 1] != '\n')
        putchar('\n');
}

/* {"version": 1, "rules": [{id, name, severity, summary, doc}]} (DESIGN.md). */
static json_t *rule_json(const ssmc_rule_info *info)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(info->id));
    json_object_set_new(o, "name", json_string(info->name));
    json_object_set_new(o, "severity", json_string(ssmc_severity_name(info->severity)));
    json_object_set_new(o, "summary", json_string(info->summary));
    json_object_set_new(o, "doc", json_string(info->doc));
    return o;
}

static int print_json(json_t *root)
{
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(root);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_TROUBLE;
}

/* ShellCheck's codes are rule ids too (--disable SC2086); ShellCheck
 * documents each on its wiki. */
static void explain_external(const char *id)
{
    char canon[16];
    ssmc_external_rule_id(id, canon);
    printf("%s (ShellCheck)\n\nA finding of ShellCheck on a script step, reported at its place in "
           "the document.\nIts errors and warnings are ssmc warnings, its infos and style notes "
           "infos.\nDisable it with --disable %s, rules: {%s: off} in .ssmc.yaml, or\n"
           "# shellcheck disable=%s in the script.\nExplained at "
           "https://www.shellcheck.net/wiki/%s\n",
           canon, canon, canon, canon, canon);
}

int cmd_rules(int argc, char **argv)
{
    cli_run run;
    format_arg = NULL;
    int rc = cli_begin(&run, &command, argc, argv);
    if (rc != CLI_CONTINUE) {
        cli_end(&run);
        return rc;
    }
    bool json = false;
    if (format_arg && strcmp(format_arg, "json") == 0) {
        json = true;
    } else if (format_arg && strcmp(format_arg, "text") != 0) {
        rc = cli_usage_error(&run, "invalid value '%s' for --format (expected text or json)",
                             format_arg);
        cli_end(&run);
        return rc;
    }
    size_t n = ssmc_rule_count();
    if (run.opts.path_count > 1) {
        rc = cli_usage_error(&run, "expects at most one rule id or name");
    } else if (run.opts.path_count == 1) {
        const char *word = run.opts.paths[0];
        ssmc_rule rule;
        if (ssmc_rule_lookup(word, &rule)) {
            if (json) {
                json_t *root = json_object();
                json_object_set_new(root, "version", json_integer(1));
                json_t *list = json_array();
                json_array_append_new(list, rule_json(ssmc_rule_get(rule)));
                json_object_set_new(root, "rules", list);
                rc = print_json(root);
            } else {
                explain(ssmc_rule_get(rule));
                rc = EXIT_OK;
            }
        } else if (!json && ssmc_external_rule_id(word, NULL)) {
            explain_external(word);
            rc = EXIT_OK;
        } else {
            const char **names = xcalloc(2 * n, sizeof *names);
            for (size_t i = 0; i < n; i++) {
                names[i] = ssmc_rule_get((ssmc_rule)i)->id;
                names[n + i] = ssmc_rule_get((ssmc_rule)i)->name;
            }
            const char *guess = did_you_mean(word, names, 2 * n);
            rc = guess ? cli_usage_error(&run, "unknown rule '%s'; did you mean '%s'?", word, guess)
                       : cli_usage_error(&run, "unknown rule '%s'", word);
            free(names);
        }
    } else if (json) {
        json_t *root = json_object();
        json_object_set_new(root, "version", json_integer(1));
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, rule_json(ssmc_rule_get((ssmc_rule)i)));
        json_object_set_new(root, "rules", list);
        rc = print_json(root);
    } else {
        for (size_t i = 0; i < n; i++) {
            const ssmc_rule_info *info = ssmc_rule_get((ssmc_rule)i);
            printf("%-8s %-28s %-8s %s%s\n", info->id, info->name,
                   ssmc_severity_name(info->severity), info->summary,
                   ssmc_rule_always_on((ssmc_rule)i) ? " (always on)" : "");
        }
        rc = EXIT_OK;
    }
    if (fflush(stdout) != 0)
        rc = EXIT_TROUBLE;
    cli_end(&run);
    return rc;
}
