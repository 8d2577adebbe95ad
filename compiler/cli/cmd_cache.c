/* cmd_cache.c — `ssmc cache clear`: empty the external checkers' result
 * cache (compiler/checker_cache.c). */
#include "checker_cache.h"
#include "cli_common.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_command command = {
    "cache",
    "ssmc cache clear",
    "Remove every remembered ShellCheck (and other external checker) result\n"
    "from the cache directory, $XDG_CACHE_HOME/ssmc (default ~/.cache/ssmc).\n"
    "Results are keyed by the checker's version, its options, the dialect and\n"
    "the script's bytes, so clearing is never needed for correctness; check\n"
    "--no-cache (or 'cache: false' in .ssmc.yaml) skips the cache for a run.\n",
    NULL,
    CLI_INPUTS_ANY,
};

int cmd_cache(int argc, char **argv)
{
    cli_run run;
    int rc = cli_begin(&run, &command, argc, argv);
    if (rc != CLI_CONTINUE) {
        cli_end(&run);
        return rc;
    }
    if (run.opts.path_count != 1 || strcmp(run.opts.paths[0], "clear") != 0) {
        rc = cli_usage_error(&run, "expects one action: clear");
    } else {
        char *error = NULL;
        int removed = checker_cache_clear(&error);
        if (removed < 0) {
            fprintf(stderr, "ssmc cache: %s\n", error);
            rc = EXIT_TROUBLE;
        } else {
            char *root = checker_cache_root();
            if (!run.opts.quiet)
                printf("removed %d cached result(s) from %s\n", removed, root);
            free(root);
            rc = EXIT_OK;
        }
        free(error);
    }
    cli_end(&run);
    return rc;
}
