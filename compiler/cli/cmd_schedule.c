/* cmd_schedule.c — `ssmc schedule` (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_schedule(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs("ssmc: 'schedule' is not implemented yet\n", stderr);
    return EXIT_TROUBLE;
}
