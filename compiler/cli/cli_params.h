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

/* What `plan` and `run` both take: the one input document, loaded and
 * checked; the --param and --params-file values; the --ssm-params
 * stand-in (it must be a mapping: SSM6016 otherwise); the search path for
 * called documents (dirs as given, then the stdlib documents). */
typedef struct cli_plan_inputs {
    ssmc_document *doc;
    ssmc_document *params_doc;
    ssmc_document *ssm_doc;
    given_values given;
    const char **paths;
    size_t path_count;
} cli_plan_inputs;

void cli_plan_inputs_read(cli_run *run, const char *ssm_params, const char *const *dirs,
                          size_t dir_count, cli_plan_inputs *in);
/* The plan of in->doc for platforms; NULL when the document or the plan
 * has an error (the agent would refuse it: the findings are the report). */
json_t *cli_plan_inputs_plan(cli_run *run, cli_plan_inputs *in, unsigned platforms,
                             bool runtime_flow);
void cli_plan_inputs_free(cli_plan_inputs *in);

#endif
