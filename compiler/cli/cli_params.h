/* cli_params.h — --param values for the subcommands that take them (plan,
 * run). */
#ifndef SSMC_CLI_PARAMS_H
#define SSMC_CLI_PARAMS_H

#include "cli_common.h"
#include "plan.h"

/* Adds every --param NAME=VALUE of the command line to given, each with a
 * position in a "<command line>" source so that findings about a value can
 * point at it. */
void cli_collect_params(cli_run *run, given_values *given);

#endif
