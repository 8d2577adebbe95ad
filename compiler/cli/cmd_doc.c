/* cmd_doc.c — `ssmc doc` (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_doc(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs("ssmc: 'doc' is not implemented yet\n", stderr);
    return EXIT_TROUBLE;
}
