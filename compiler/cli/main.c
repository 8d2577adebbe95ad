/* main.c — the ssmc command line: dispatch to the subcommands of cli.h. */
#include "cli_common.h"
#include "internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>
#include <string.h>
#include <unistd.h>

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const subcommand subcommands[] = {
    {"check", cmd_check, "validate and lint documents (files, directories, -)"},
    {"compile", cmd_compile, "YAML or JSON in, normalized deployable JSON out"},
    {"plan", cmd_plan, "execution plan for one platform and one set of parameters"},
    {"run", cmd_run, "execute a document's plan on this machine, as the agent would"},
    {"schedule", cmd_schedule, "explain an association schedule expression"},
    {"doc", cmd_doc, "Markdown reference page of a document"},
    {"lsp", cmd_lsp, "language server (LSP) for editors, on stdin and stdout"},
    {"rules", cmd_rules, "list every rule, or explain one"},
    {"cache", cmd_cache, "clear the cache of ShellCheck results"},
    {"version", cmd_version, "print the version"},
    {"help", cmd_help, "help on ssmc or on a subcommand"},
};
#define N_SUBCOMMANDS (sizeof subcommands / sizeof *subcommands)

static void usage(FILE *out)
{
    fputs("usage: ssmc SUBCOMMAND [options] [ARGS]\n\n"
          "ssmc validates, lints, compiles and plans AWS Systems Manager (SSM) documents.\n\n"
          "Subcommands:\n",
          out);
    for (size_t i = 0; i < N_SUBCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
    fputs("\nRun 'ssmc SUBCOMMAND --help' for the options of one subcommand.\n"
          "Exit status: 0 no errors, 1 errors found, 2 wrong command line, 3 trouble.\n",
          out);
}

static void print_checker(const char *label, const char *const *names)
{
    char *found = NULL;
    for (size_t i = 0; names[i] && !found; i++)
        found = look_path(names[i]);
    printf("%-10s %s%s\n", label, found ? "found: " : "not found on PATH",
           found ? found : "");
    free(found);
}

static int cmd_version(int argc, char **argv)
{
    (void)argv;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        puts("usage: ssmc version\n\nPrint the version of ssmc, of the libraries it runs with\n"
             "(libyaml, jansson, PCRE2) and whether the external checkers\n"
             "(ShellCheck, pyflakes) are found on PATH.");
        return EXIT_OK;
    }
    if (argc > 1) {
        fprintf(stderr, "ssmc version: unexpected argument '%s' (see 'ssmc version --help')\n",
                argv[1]);
        return EXIT_USAGE;
    }
    /* The libraries as loaded at run time, which a bug report needs more
     * than the versions built against. */
    char pcre[64] = "?";
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    printf("ssmc %s\n", SSMC_VERSION);
    printf("%-10s %s\n", "libyaml", yaml_get_version_string());
    printf("%-10s %s\n", "jansson", jansson_version_str());
    printf("%-10s %s\n", "PCRE2", pcre);
    static const char *const shellcheck[] = {"shellcheck", NULL};
    static const char *const pyflakes[] = {"pyflakes3", "pyflakes", NULL};
    print_checker("ShellCheck", shellcheck);
    print_checker("pyflakes", pyflakes);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_TROUBLE;
}

static const subcommand *find(const char *name)
{
    for (size_t i = 0; i < N_SUBCOMMANDS; i++)
        if (strcmp(subcommands[i].name, name) == 0)
            return &subcommands[i];
    return NULL;
}

static int unknown_subcommand(const char *name)
{
    const char *names[N_SUBCOMMANDS];
    for (size_t i = 0; i < N_SUBCOMMANDS; i++)
        names[i] = subcommands[i].name;
    const char *guess = did_you_mean(name, names, N_SUBCOMMANDS);
    if (guess)
        fprintf(stderr, "ssmc: unknown subcommand '%s'; did you mean '%s'? (see 'ssmc --help')\n",
                name, guess);
    else
        fprintf(stderr, "ssmc: unknown subcommand '%s' (see 'ssmc --help')\n", name);
    return EXIT_USAGE;
}

/* `ssmc help [SUBCOMMAND]` is `ssmc SUBCOMMAND --help`. */
static int cmd_help(int argc, char **argv)
{
    /* `ssmc help --help` (or -h) is help on help: the overview. */
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    const subcommand *sub = find(argv[1]);
    if (!sub)
        return unknown_subcommand(argv[1]);
    char *args[] = {argv[1], "--help", NULL};
    return sub->run(2, args);
}

/* stderr is unbuffered by default: findings rendered there cost a write
 * per character or field (865,420 writes for one 10 MB document). It is
 * line buffered on a terminal and fully buffered otherwise; whoever starts
 * a child process flushes first (fflush(NULL)), and it is flushed before
 * stdout at the end, so it keeps its place before what stdout still holds,
 * as when it was unbuffered. */
static char stderr_buffer[1 << 16];

static int finish(int rc)
{
    fflush(stderr);
    fflush(stdout);
    return rc;
}

int main(int argc, char **argv)
{
    setvbuf(stderr, stderr_buffer, isatty(STDERR_FILENO) ? _IOLBF : _IOFBF, sizeof stderr_buffer);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0)
        name = "version";
    const subcommand *sub = find(name);
    if (!sub)
        return finish(unknown_subcommand(name));
    return finish(sub->run(argc - 1, argv + 1));
}
