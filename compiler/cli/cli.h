/* cli.h — the subcommands of the ssmc command line. Each subcommand lives in
 * its own file (cmd_<name>.c), parses its own arguments (argv[0] is the
 * subcommand name) and returns the process exit status of DESIGN.md:
 * 0 ok, 1 findings/failed, 2 bad command line, 3 could not do its job. */
#ifndef SSMC_CLI_H
#define SSMC_CLI_H

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_TROUBLE = 3 };

int cmd_check(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_schedule(int argc, char **argv);
int cmd_doc(int argc, char **argv);
int cmd_lsp(int argc, char **argv);
int cmd_cache(int argc, char **argv);

#endif
