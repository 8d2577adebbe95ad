/* cmd_compile.c — `ssmc compile` (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_compile(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs("ssmc: 'compile' is not implemented yet\n", stderr);
    return EXIT_TROUBLE;
}
