/* cmd_lsp.c — `ssmc lsp`: the language server on stdin and stdout
 * (compiler/lsp/). Its own small option parser: the server reads no input
 * files and finds each document's .ssmc.yaml itself, so the common options
 * of cli_begin do not apply. */
#include "cli_common.h"
#include "lsp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: ssmc lsp [--stdio] [--shellcheck=auto|off|PATH] [--pyflakes=auto|off|PATH]\n"
    "                [--debounce MS] [--external-delay MS]\n\n"
    "Run the ssmc language server (LSP 3.17) on stdin and stdout. Editors start\n"
    "it themselves; see README.md for Neovim, VS Code and Helix.\n\n"
    "Options:\n"
    "  --stdio              talk over stdin and stdout (the only transport; accepted\n"
    "                       because some clients always pass it)\n"
    "  --shellcheck=VALUE   ShellCheck for the on-save checks: auto, off or a path\n"
    "                       (default: .ssmc.yaml's shellcheck.path, else auto)\n"
    "  --pyflakes=VALUE     pyflakes (aws:executeScript Python) for the on-save\n"
    "                       checks: auto, off or a path (default: auto)\n"
    "  --debounce MS        pause after an edit before checking (default 150)\n"
    "  --external-delay MS  pause after an edit before ShellCheck and pyflakes run;\n"
    "                       -1 runs them on save only (default 2000)\n"
    "  -h, --help           show this help\n\n"
    "The client's initializationOptions and workspace/didChangeConfiguration\n"
    "settings {\"ssmc\": {\"shellcheck\", \"pyflakes\", \"debounceMs\", \"externalDelayMs\",\n"
    "\"enable\", \"disable\"}} override these.\n";

static bool parse_ms(const char *s, bool allow_negative, int *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v > 600000 || v < (allow_negative ? -1 : 0))
        return false;
    *out = (int)v;
    return true;
}

/* The value of "--name VALUE" or "--name=VALUE" at argv[*i], or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *matched)
{
    size_t n = strlen(name);
    *matched = false;
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=') {
        *matched = true;
        return argv[*i] + n + 1;
    }
    if (argv[*i][n] != '\0')
        return NULL;
    *matched = true;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

int cmd_lsp(int argc, char **argv)
{
    lsp_settings settings;
    memset(&settings, 0, sizeof settings);
    settings.debounce_ms = 150;
    settings.external_delay_ms = 2000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool matched;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(help, stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--stdio") == 0)
            continue;
        if ((v = option_value(argc, argv, &i, "--shellcheck", &matched)) || matched) {
            if (!v || !*v) {
                fprintf(stderr, "ssmc lsp: --shellcheck wants auto, off or a path\n");
                return EXIT_USAGE;
            }
            settings.shellcheck = v;
        } else if ((v = option_value(argc, argv, &i, "--pyflakes", &matched)) || matched) {
            if (!v || !*v) {
                fprintf(stderr, "ssmc lsp: --pyflakes wants auto, off or a path\n");
                return EXIT_USAGE;
            }
            settings.pyflakes = v;
        } else if ((v = option_value(argc, argv, &i, "--debounce", &matched)) || matched) {
            if (!v || !parse_ms(v, false, &settings.debounce_ms)) {
                fprintf(stderr, "ssmc lsp: --debounce wants milliseconds from 0 to 600000\n");
                return EXIT_USAGE;
            }
        } else if ((v = option_value(argc, argv, &i, "--external-delay", &matched)) || matched) {
            if (!v || !parse_ms(v, true, &settings.external_delay_ms)) {
                fprintf(stderr,
                        "ssmc lsp: --external-delay wants milliseconds from -1 to 600000\n");
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "ssmc lsp: unknown option '%s' (see 'ssmc lsp --help')\n", a);
            return EXIT_USAGE;
        }
    }
    return lsp_serve(STDIN_FILENO, STDOUT_FILENO, &settings);
}
