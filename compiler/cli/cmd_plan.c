/* cmd_plan.c — `ssmc plan` (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_plan(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs("ssmc: 'plan' is not implemented yet\n", stderr);
    return EXIT_TROUBLE;
}
