/* cmd_rules.c — `ssmc rules`: the registry, listed or one rule explained. */
#include "cli_common.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const cli_command command = {
    "rules",
    "ssmc rules [RULE-ID|NAME]",
    "Without an argument, list every rule: id, name, default severity and\n"
    "summary. With a rule id (SSM1012) or name (duplicate-key), explain it.\n"
    "Rules marked 'always on' mean the file could not be read; no configuration,\n"
    "flag or comment turns them off or lowers them.\n",
    NULL,
    CLI_INPUTS_ANY,
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

int cmd_rules(int argc, char **argv)
{
    cli_run run;
    int rc = cli_begin(&run, &command, argc, argv);
    if (rc != CLI_CONTINUE) {
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
            explain(ssmc_rule_get(rule));
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
