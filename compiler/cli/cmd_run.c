/* cmd_run.c — `ssmc run` (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_run(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs("ssmc: 'run' is not implemented yet\n", stderr);
    return EXIT_TROUBLE;
}
