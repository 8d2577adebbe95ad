/* cli_common.c — option parsing, configuration and exit codes shared by
 * every subcommand (see cli_common.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli_common.h"
#include "config_file.h"
#include "internal.h"
#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The common options. Their handling is a switch on the id. */
enum opt_id {
    OPT_FORMAT, OPT_PLATFORM, OPT_PARAM, OPT_PARAMS_FILE, OPT_STDIN_FILENAME, OPT_CONFIG,
    OPT_SHELLCHECK, OPT_PYFLAKES, OPT_NO_CACHE, OPT_STRICT, OPT_ENABLE, OPT_DISABLE, OPT_NO_COLOR, OPT_QUIET,
    OPT_SHOW_INFO, OPT_SNIPPET, OPT_NO_SNIPPET, OPT_DOCUMENT_TYPE, OPT_OUTPUT, OPT_TRUST_CONFIG, OPT_HELP
};

typedef struct common_option {
    enum opt_id id;
    const char *name;
    const char *short_name;
    const char *metavar;   /* NULL: a flag */
    const char *help;
} common_option;

static const common_option common_options[] = {
    {OPT_FORMAT, "--format", NULL, "FORMAT", "output format: text, json, sarif or github"},
    {OPT_PLATFORM, "--platform", NULL, "OS", "linux, windows, macos or all"},
    {OPT_PARAM, "--param", NULL, "NAME=VALUE", "a parameter value (repeatable)"},
    {OPT_PARAMS_FILE, "--params-file", NULL, "FILE", "parameter values from a JSON or YAML object"},
    {OPT_STDIN_FILENAME, "--stdin-filename", NULL, "NAME", "the name shown for - (stdin)"},
    {OPT_CONFIG, "--config", NULL, "FILE", "configuration file (default: .ssmc.yaml found upward)"},
    {OPT_SHELLCHECK, "--shellcheck", NULL, "auto|off|PATH", "whether and which ShellCheck to run"},
    {OPT_PYFLAKES, "--pyflakes", NULL, "auto|off|PATH", "whether and which pyflakes to run (aws:executeScript Python)"},
    {OPT_NO_CACHE, "--no-cache", NULL, NULL, "run external checkers afresh (no result cache)"},
    {OPT_STRICT, "--strict", NULL, NULL, "warnings fail too (exit 1)"},
    {OPT_ENABLE, "--enable", NULL, "RULE", "turn a rule on (repeatable)"},
    {OPT_DISABLE, "--disable", NULL, "RULE", "turn a rule off (repeatable)"},
    {OPT_NO_COLOR, "--no-color", NULL, NULL, "no colour (also: NO_COLOR set)"},
    {OPT_QUIET, "--quiet", "-q", NULL, "print errors only"},
    {OPT_SHOW_INFO, "--show-info", NULL, NULL, "show info findings in text output (hidden and counted by default)"},
    {OPT_SNIPPET, "--snippet", NULL, NULL, "show the source line under each finding"},
    {OPT_NO_SNIPPET, "--no-snippet", NULL, NULL, "never show source lines"},
    {OPT_DOCUMENT_TYPE, "--document-type", NULL, "TYPE", "treat inputs as this document type"},
    {OPT_OUTPUT, "--output", "-o", "FILE", "write the output to FILE"},
    {OPT_TRUST_CONFIG, "--trust-config", NULL, NULL,
     "use program paths from a repository's configuration file"},
    {OPT_HELP, "--help", "-h", NULL, "show this help"},
};
#define N_COMMON (sizeof common_options / sizeof *common_options)

int cli_refuse_directory(const cli_run *run, const char *path, const char *instead)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return CLI_CONTINUE;
    /* Taking one of the directory's documents would silently drop the rest. */
    if (instead)
        return cli_usage_error(run, "'%s' is a directory; %s takes one document (%s compiles "
                               "several; ssmc check takes directories)",
                               path, run->command->name, instead);
    return cli_usage_error(run, "'%s' is a directory; %s takes one document (ssmc check takes "
                           "directories)",
                           path, run->command->name);
}

int cli_usage_error(const cli_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    /* One pointer per message: one that already names where to look
     * ('ssmc rules', `ssmc plan`, see ...) gets no second "(see ...)". */
    bool points = strstr(msg, "see ") || strstr(msg, "'ssmc ") || strstr(msg, "`ssmc ");
    fprintf(stderr, "ssmc %s: %s", run->command->name, msg);
    if (!points)
        fprintf(stderr, " (see 'ssmc %s --help')", run->command->name);
    fputc('\n', stderr);
    free(msg);
    return EXIT_USAGE;
}

/* Does the command take this common option? */
static bool takes(const cli_command *command, const char *name)
{
    if (!command->common)
        return true;
    size_t n = strlen(name);
    for (const char *p = command->common; (p = strstr(p, name)) != NULL; p += n)
        if ((p == command->common || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

static void print_option(FILE *out, const char *name, const char *short_name,
                         const char *metavar, const char *help)
{
    char left[64];
    snprintf(left, sizeof left, "%s%s%s%s%s", short_name ? short_name : "",
             short_name ? ", " : "", name, metavar ? " " : "", metavar ? metavar : "");
    fprintf(out, "  %-28s %s\n", left, help ? help : "");
}

void cli_print_help(const cli_command *command, FILE *out)
{
    fprintf(out, "usage: %s\n\n%s", command->usage, command->description);
    if (command->extras && command->extras[0].name) {
        fputs("\nOptions of this command:\n", out);
        for (const cli_extra_option *x = command->extras; x->name; x++)
            print_option(out, x->name, x->short_name, x->metavar, x->help);
    }
    fputs("\nCommon options:\n", out);
    for (size_t i = 0; i < N_COMMON; i++) {
        const common_option *o = &common_options[i];
        if (takes(command, o->name))
            print_option(out, o->name, o->short_name, o->metavar, o->help);
    }
    fputs("\nExit status: 0 no errors, 1 errors found (or warnings with --strict),\n"
          "2 wrong command line, 3 the tool could not do its job.\n", out);
}

static void push(const char ***arr, size_t *count, const char *s)
{
    *arr = xrealloc(*arr, (*count + 1) * sizeof **arr);
    (*arr)[(*count)++] = s;
}

/* Every option name the command accepts, for did-you-mean. */
static const char **all_names(const cli_command *command, size_t *count)
{
    const char **names = NULL;
    *count = 0;
    for (size_t i = 0; i < N_COMMON; i++)
        if (takes(command, common_options[i].name))
            push(&names, count, common_options[i].name);
    if (command->extras)
        for (const cli_extra_option *x = command->extras; x->name; x++)
            push(&names, count, x->name);
    return names;
}

static int unknown_option(cli_run *run, const char *arg)
{
    size_t n;
    const char **names = all_names(run->command, &n);
    char *name = xstrdup(arg);
    char *eq = strchr(name, '=');
    if (eq)
        *eq = '\0';
    const char *guess = did_you_mean(name, names, n);
    int rc = guess ? cli_usage_error(run, "unknown option '%s'; did you mean '%s'?", name, guess)
                   : cli_usage_error(run, "unknown option '%s'", name);
    free(name);
    free(names);
    return rc;
}

/* arg names the option: --name, --name=VALUE, -s, or (an option taking a
 * value) -sVALUE, as in -oFILE or make's -j4. */
static bool matches(const char *arg, const char *name, const char *short_name, bool takes_value,
                    const char **inline_value)
{
    *inline_value = NULL;
    if (short_name && strcmp(arg, short_name) == 0)
        return true;
    if (short_name && takes_value && strncmp(arg, short_name, 2) == 0 && arg[1] != '-' &&
        arg[2] != '\0') {
        *inline_value = arg + 2;
        return true;
    }
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return false;
    if (arg[n] == '\0')
        return true;
    if (arg[n] == '=') {
        *inline_value = arg + n + 1;
        return true;
    }
    return false;
}

/* Checks a word against a fixed list; a miss is a usage error with a guess. */
static int one_of(cli_run *run, const char *option, const char *value,
                  const char *const *words, size_t count, int *index)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(value, words[i]) == 0) {
            *index = (int)i;
            return CLI_CONTINUE;
        }
    }
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < count; i++)
        buf_printf(&b, "%s%s", i ? (i + 1 == count ? " or " : ", ") : "", words[i]);
    const char *guess = did_you_mean(value, words, count);
    int rc = guess ? cli_usage_error(run, "invalid value '%s' for %s; did you mean '%s'?", value,
                                     option, guess)
                   : cli_usage_error(run, "invalid value '%s' for %s (expected %s)", value,
                                     option, b.data);
    buf_free(&b);
    return rc;
}

static int apply_common(cli_run *run, enum opt_id id, const char *value)
{
    cli_options *o = &run->opts;
    static const char *const formats[] = {"text", "json", "sarif", "github"};
    static const char *const platforms[] = {"linux", "windows", "macos", "all"};
    int index, rc;
    switch (id) {
    case OPT_FORMAT:
        if ((rc = one_of(run, "--format", value, formats, 4, &index)) != CLI_CONTINUE)
            return rc;
        o->format = (cli_format)index;
        break;
    case OPT_PLATFORM:
        if ((rc = one_of(run, "--platform", value, platforms, 4, &index)) != CLI_CONTINUE)
            return rc;
        o->platform = platforms[index];
        break;
    case OPT_PARAM: {
        const char *eq = strchr(value, '=');
        if (!eq || eq == value)
            return cli_usage_error(run, "--param expects NAME=VALUE, got '%s'", value);
        o->params = xrealloc(o->params, (o->param_count + 1) * sizeof *o->params);
        o->params[o->param_count].name = xstrndup(value, (size_t)(eq - value));
        o->params[o->param_count].value = xstrdup(eq + 1);
        o->param_count++;
        break;
    }
    case OPT_PARAMS_FILE: o->params_file = value; break;
    case OPT_STDIN_FILENAME:
        if (!*value)
            return cli_usage_error(run, "--stdin-filename needs a non-empty name");
        o->stdin_filename = value;
        break;
    case OPT_CONFIG: o->config_file = value; break;
    case OPT_SHELLCHECK:
        if (!*value)
            return cli_usage_error(run, "--shellcheck expects auto, off or a path");
        o->shellcheck = value;
        break;
    case OPT_PYFLAKES:
        if (!*value)
            return cli_usage_error(run, "--pyflakes expects auto, off or a path");
        o->pyflakes = value;
        break;
    case OPT_NO_CACHE: o->no_cache = true; break;
    case OPT_STRICT: o->strict = true; break;
    case OPT_ENABLE: push(&o->enable, &o->enable_count, value); break;
    case OPT_DISABLE: push(&o->disable, &o->disable_count, value); break;
    case OPT_NO_COLOR: o->no_color = true; break;
    case OPT_QUIET: o->quiet = true; break;
    case OPT_SHOW_INFO: o->show_info = true; break;
    case OPT_SNIPPET: o->snippet = 1; break;
    case OPT_NO_SNIPPET: o->snippet = 0; break;
    case OPT_DOCUMENT_TYPE: {
        doc_kind kind;
        if (!doc_kind_parse(value, &kind))
            return cli_usage_error(run,
                                   "--document-type: unknown type '%s'; use Command, Policy, "
                                   "Automation, Automation.ChangeTemplate, Session, Package or "
                                   "Association",
                                   value);
        o->document_type = value;
        break;
    }
    case OPT_OUTPUT:
        if (!*value)
            return cli_usage_error(run, "-o/--output needs a file name");
        o->output = value;
        break;
    case OPT_TRUST_CONFIG: o->trust_config = true; break;
    case OPT_HELP: break;
    }
    return CLI_CONTINUE;
}

/* Takes the value of an option: inline (--opt=value, -oFILE) or the next
 * argument. */
static int take_value(cli_run *run, const char *name, const char *inline_value, int argc,
                      char **argv, int *i, const char **value)
{
    if (inline_value) {
        *value = inline_value;
        return CLI_CONTINUE;
    }
    if (*i + 1 >= argc)
        return cli_usage_error(run, "option '%s' needs a value", name);
    *value = argv[++*i];
    return CLI_CONTINUE;
}

static int parse_args(cli_run *run, int argc, char **argv, bool *help)
{
    cli_options *o = &run->opts;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
            push(&o->paths, &o->path_count, arg);
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        const char *inline_value = NULL, *value = NULL;
        bool found = false;
        const char *refused = NULL;
        int rc;
        for (size_t k = 0; k < N_COMMON && !found; k++) {
            const common_option *c = &common_options[k];
            /* A command's own option of the same name wins (rules --format). */
            if (!takes(run->command, c->name)) {
                const char *iv;
                if (matches(arg, c->name, c->short_name, false, &iv))
                    refused = c->name;
                continue;
            }
            if (!matches(arg, c->name, c->short_name, c->metavar != NULL, &inline_value))
                continue;
            found = true;
            if (c->metavar) {
                if ((rc = take_value(run, c->name, inline_value, argc, argv, &i, &value)) !=
                    CLI_CONTINUE)
                    return rc;
            } else if (inline_value) {
                return cli_usage_error(run, "option '%s' takes no value", c->name);
            }
            if (c->id == OPT_HELP)
                *help = true;
            if ((rc = apply_common(run, c->id, value)) != CLI_CONTINUE)
                return rc;
        }
        if (found)
            continue;
        if (run->command->extras) {
            for (const cli_extra_option *x = run->command->extras; x->name && !found; x++) {
                if (!matches(arg, x->name, x->short_name, !x->flag, &inline_value))
                    continue;
                found = true;
                if (x->flag) {
                    if (inline_value)
                        return cli_usage_error(run, "option '%s' takes no value", x->name);
                    *x->flag = true;
                    continue;
                }
                if ((rc = take_value(run, x->name, inline_value, argc, argv, &i, &value)) !=
                    CLI_CONTINUE)
                    return rc;
                if (x->value)
                    *x->value = value;
                else if (x->handler && !x->handler(value, x->ctx))
                    return EXIT_USAGE;
            }
        }
        if (!found && refused)
            return cli_usage_error(run, "option '%s' does not apply to %s", refused,
                                   run->command->name);
        if (!found)
            return unknown_option(run, arg);
    }
    return CLI_CONTINUE;
}

/* --- configuration --------------------------------------------------- */

static const char **rule_words(size_t *count)
{
    size_t n = ssmc_rule_count();
    const char **names = xcalloc(2 * n, sizeof *names);
    for (size_t i = 0; i < n; i++) {
        names[i] = ssmc_rule_get((ssmc_rule)i)->id;
        names[n + i] = ssmc_rule_get((ssmc_rule)i)->name;
    }
    *count = 2 * n;
    return names;
}

static int lookup_rule_flag(cli_run *run, const char *flag, const char *word, ssmc_rule *rule)
{
    if (ssmc_rule_lookup(word, rule) && (size_t)*rule < SSMC_RULE_COUNT_BUILTIN) {
        if (strcmp(flag, "--disable") == 0 && ssmc_rule_always_on(*rule))
            return cli_usage_error(run,
                                   "rule %s (%s) cannot be disabled: a file that could not be "
                                   "read is always a failure",
                                   ssmc_rule_get(*rule)->id, ssmc_rule_get(*rule)->name);
        return CLI_CONTINUE;
    }
    size_t n;
    const char **names = rule_words(&n);
    const char *guess = did_you_mean(word, names, n);
    int rc = guess ? cli_usage_error(run, "unknown rule '%s' for %s; did you mean '%s'?", word,
                                     flag, guess)
                   : cli_usage_error(run, "unknown rule '%s' for %s; 'ssmc rules' lists them",
                                     word, flag);
    free(names);
    return rc;
}

/* Does PATH lie inside a git working tree (a directory above it holds .git)?
 * Such a file is the repository's, written by whoever can open a pull
 * request, not by the user running ssmc. */
static bool in_repository(const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return true; /* cannot tell: do not trust it */
    bool inside = false;
    for (char *slash = strrchr(real, '/'); slash && !inside; slash = strrchr(real, '/')) {
        *slash = '\0';
        char *git = xasprintf("%s/.git", real);
        inside = access(git, F_OK) == 0;
        free(git);
    }
    free(real);
    return inside;
}

/* The globs of a configuration file are relative to its directory, not to
 * wherever ssmc runs: its absolute path (NULL if it cannot be resolved). */
static char *config_directory(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (!slash) {
        free(dir);
        dir = xstrdup(".");
    } else {
        slash[slash == dir ? 1 : 0] = '\0';
    }
    char *abs = realpath(dir, NULL);
    free(dir);
    return abs;
}

static int load_config(cli_run *run)
{
    char *found = NULL;
    const char *path = run->opts.config_file;
    if (!path) {
        found = config_file_find(NULL);
        path = found;
    }
    if (path) {
        int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        const char *why = fd >= 0 ? config_file_untrusted(fd) : NULL;
        if (fd >= 0)
            close(fd);
        if (why) {
            uint32_t self = ssmc_sources_add(&run->sources, path, xstrdup(""), 0);
            ssmc_diag_add(&run->diags, SSMC_RULE_SSM9192, self, FILE_START_SPAN,
                          "configuration file ignored: %s (make it yours and not writable by "
                          "others: chmod go-w)", why);
            free(found);
            return CLI_CONTINUE;
        }
        uint32_t file = cli_read_file(run, path);
        if (file == UINT32_MAX) {
            free(found);
            return EXIT_TROUBLE;
        }
        ssmc_diags loaded = {.sources = &run->sources};
        ssmc_document *doc = ssmc_load(&run->sources, file, NULL, &loaded);
        config_file_extra extra = {0};
        config_file_apply(doc, &run->config, &extra, &loaded);
        /* YAML 1.1/1.2 ambiguity warnings are about SSM documents; in our own
         * file "off" means off either way. */
        ssmc_diags dropped = {.sources = &run->sources};
        for (size_t i = 0; i < loaded.count; i++) {
            ssmc_diags *to = loaded.items[i].rule == SSMC_RULE_SSM1019 ? &dropped : &run->diags;
            GROW(to->items, to->cap, to->count + 1);
            to->items[to->count++] = loaded.items[i];
        }
        free(loaded.items);
        ssmc_diags_free(&dropped);
        ssmc_document_free(doc);
        /* A program named by the repository's own configuration would run
         * whatever a pull request put there. */
        if (extra.shellcheck_path && strcmp(extra.shellcheck_path, "off") != 0 &&
            strcmp(extra.shellcheck_path, "auto") != 0 && !run->opts.trust_config &&
            (found || in_repository(path))) {
            ssmc_diag_add(&run->diags, SSMC_RULE_SSM9193, file, extra.shellcheck_path_span,
                          "shellcheck.path '%s' from a configuration file in the repository is "
                          "not used (ShellCheck is looked up on PATH instead); pass "
                          "--trust-config or --shellcheck PATH to run it",
                          extra.shellcheck_path);
            free(extra.shellcheck_path);
            extra.shellcheck_path = NULL;
        }
        run->exclude = extra.exclude;
        run->exclude_count = extra.exclude_count;
        run->include = extra.include;
        run->include_count = extra.include_count;
        run->config_dir = config_directory(path);
        run->shellcheck_owned = extra.shellcheck_path;
        run->shellcheck_options_owned = extra.shellcheck_options;
        if (run->shellcheck_owned)
            run->config.shellcheck = run->shellcheck_owned;
        if (run->shellcheck_options_owned)
            run->config.shellcheck_options = run->shellcheck_options_owned;
        if (extra.cache_off)
            run->config.no_cache = true;
        if (extra.show_info)
            run->opts.show_info = true;
    }
    free(found);
    return CLI_CONTINUE;
}

static int apply_rule_flags(cli_run *run)
{
    const cli_options *o = &run->opts;
    ssmc_rule rule;
    int rc;
    for (size_t i = 0; i < o->enable_count; i++) {
        /* ShellCheck's codes are rules like ours; enabling one forgets an
         * earlier setting (ShellCheck's own level applies again). */
        if (ssmc_external_rule_id(o->enable[i], NULL)) {
            if (!ssmc_config_set_external(&run->config, o->enable[i], SSMC_SEV_OFF, true))
                return cli_usage_error(run, "too many ShellCheck rules configured (at most %d)",
                                       SSMC_MAX_EXTERNAL_SETTINGS);
            continue;
        }
        if ((rc = lookup_rule_flag(run, "--enable", o->enable[i], &rule)) != CLI_CONTINUE)
            return rc;
        ssmc_severity def = ssmc_rule_get(rule)->severity;
        run->config.severity[rule] = def == SSMC_SEV_OFF ? SSMC_SEV_WARNING : def;
    }
    for (size_t i = 0; i < o->disable_count; i++) {
        if (ssmc_external_rule_id(o->disable[i], NULL)) {
            if (!ssmc_config_set_external(&run->config, o->disable[i], SSMC_SEV_OFF, false))
                return cli_usage_error(run, "too many ShellCheck rules configured (at most %d)",
                                       SSMC_MAX_EXTERNAL_SETTINGS);
            continue;
        }
        if ((rc = lookup_rule_flag(run, "--disable", o->disable[i], &rule)) != CLI_CONTINUE)
            return rc;
        run->config.severity[rule] = SSMC_SEV_OFF;
    }
    return CLI_CONTINUE;
}

int cli_begin(cli_run *run, const cli_command *command, int argc, char **argv)
{
    memset(run, 0, sizeof *run);
    run->diags.sources = &run->sources;
    run->command = command;
    run->opts.snippet = -1;
    run->opts.stdin_filename = "<stdin>";
    ssmc_config_init(&run->config);

    bool help = false;
    int rc = parse_args(run, argc, argv, &help);
    if (rc != CLI_CONTINUE)
        return rc;
    if (help) {
        cli_print_help(command, stdout);
        return EXIT_OK;
    }
    const cli_options *o = &run->opts;
    switch (command->arity) {
    case CLI_INPUTS_NONE:
        if (o->path_count)
            return cli_usage_error(run, "unexpected argument '%s'", o->paths[0]);
        break;
    case CLI_INPUTS_ONE:
        if (o->path_count != 1)
            return o->path_count ? cli_usage_error(run, "expects one file, got %zu", o->path_count)
                                 : cli_usage_error(run, "expects a file (or - for stdin)");
        if ((rc = cli_refuse_directory(run, o->paths[0], NULL)) != CLI_CONTINUE)
            return rc;
        break;
    case CLI_INPUTS_MANY:
        if (!o->path_count)
            return cli_usage_error(run, "expects at least one path (file, directory or -)");
        break;
    case CLI_INPUTS_ANY:
        break;
    }
    size_t stdin_count = 0;
    for (size_t i = 0; command->arity != CLI_INPUTS_ANY && i < o->path_count; i++)
        stdin_count += strcmp(o->paths[i], "-") == 0;
    if (stdin_count > 1)
        return cli_usage_error(run, "'-' (standard input) can be read once, not %zu times",
                               stdin_count);
    /* Flag errors are command-line errors (exit 2) and are found before any
     * file is read. */
    ssmc_config probe;
    memcpy(&probe, &run->config, sizeof probe);
    if ((rc = apply_rule_flags(run)) != CLI_CONTINUE)
        return rc;
    memcpy(&run->config, &probe, sizeof probe);
    if ((rc = load_config(run)) != CLI_CONTINUE)
        return rc;
    apply_rule_flags(run); /* flags win over the file */
    run->config.strict = o->strict;
    if (o->no_cache)
        run->config.no_cache = true;
    if (o->shellcheck)
        run->config.shellcheck = o->shellcheck;
    if (o->pyflakes)
        run->config.pyflakes = o->pyflakes;
    run->config.document_type = o->document_type;
    run->config.platform = o->platform;
    return CLI_CONTINUE;
}

static bool same_file(const struct stat *a, const char *name)
{
    struct stat b;
    return name && strcmp(name, "-") != 0 && stat(name, &b) == 0 && a->st_dev == b.st_dev &&
           a->st_ino == b.st_ino;
}

const char *cli_clobbers_input(const cli_run *run, const char *path)
{
    struct stat st;
    if (!path || strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL; /* a new file, a device or a pipe cannot be an input's bytes */
    for (size_t i = 0; i < run->sources.count; i++) {
        const ssmc_source *src = ssmc_sources_get(&run->sources, (uint32_t)i);
        if (same_file(&st, src->name))
            return src->name;
    }
    const cli_options *o = &run->opts;
    for (size_t i = 0; i < o->path_count; i++)
        if (same_file(&st, o->paths[i]))
            return o->paths[i];
    if (same_file(&st, o->params_file))
        return o->params_file;
    if (same_file(&st, o->config_file))
        return o->config_file;
    return NULL;
}

int cli_check_output(cli_run *run)
{
    const char *input = cli_clobbers_input(run, run->opts.output);
    if (input)
        return cli_usage_error(run, "-o %s would overwrite the input %s", run->opts.output,
                               input);
    return CLI_CONTINUE;
}

void cli_end(cli_run *run)
{
    cli_options *o = &run->opts;
    for (size_t i = 0; i < o->param_count; i++) {
        free(o->params[i].name);
        free(o->params[i].value);
    }
    free(o->params);
    free(o->enable);
    free(o->disable);
    free(o->paths);
    for (size_t i = 0; i < run->exclude_count; i++)
        free(run->exclude[i]);
    free(run->exclude);
    for (size_t i = 0; i < run->include_count; i++)
        free(run->include[i]);
    free(run->include);
    free(run->config_dir);
    for (size_t i = 0; i < run->skipped_count; i++)
        free(run->skipped[i]);
    free(run->skipped);
    for (size_t i = 0; i < run->generated_count; i++)
        free(run->generated[i]);
    free(run->generated);
    free(run->twin_of);
    free(run->shellcheck_owned);
    free(run->shellcheck_options_owned);
    free(run->inputs);
    free(run->file_kinds);
    free(run->input_walked);
    ssmc_diags_free(&run->diags);
    ssmc_sources_free(&run->sources);
    memset(run, 0, sizeof *run);
}

/* --- results ---------------------------------------------------------- */

const char *cli_rule_id(const ssmc_diag *diag)
{
    if (diag->rule == SSMC_RULE_EXTERNAL)
        return diag->external_rule ? diag->external_rule : "external";
    const ssmc_rule_info *info = ssmc_rule_get(diag->rule);
    return info ? info->id : "?";
}

bool cli_use_color(const cli_options *opts, FILE *out)
{
    if (opts->no_color)
        return false;
    const char *no = getenv("NO_COLOR");
    if (no && *no)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(out)) != 0;
}

int cli_exit_code(const cli_run *run)
{
    bool errors = false, warnings = false, trouble = run->trouble;
    for (size_t i = 0; i < run->diags.count; i++) {
        const ssmc_diag *d = &run->diags.items[i];
        /* Could not do the job: unreadable input, internal fault, or an
         * explicitly named ShellCheck that cannot run (issue 4: exit 3). */
        if (d->rule == SSMC_RULE_SSM1029 || d->rule == SSMC_RULE_SSM9001 ||
            d->rule == SSMC_RULE_SSM5022 || d->rule == SSMC_RULE_SSM6101 ||
            d->rule == SSMC_RULE_SSM6102 ||
            d->rule == SSMC_RULE_SSM8067)
            trouble = true;
        if (d->severity == SSMC_SEV_ERROR)
            errors = true;
        else if (d->severity == SSMC_SEV_WARNING)
            warnings = true;
    }
    if (trouble)
        return EXIT_TROUBLE;
    if (errors || (run->opts.strict && warnings))
        return EXIT_FINDINGS;
    return EXIT_OK;
}

int cli_report(cli_run *run, FILE *out)
{
    /* Loader-only subcommands never pass through ssmc_check_documents;
     * applying the configuration again is harmless. */
    ssmc_diags_apply_config(&run->diags, &run->config);
    ssmc_diags_sort(&run->diags, &run->sources);
    int rc = cli_exit_code(run);

    ssmc_diags shown = run->diags;
    ssmc_diag *kept = NULL;
    if (run->opts.quiet) {
        kept = xcalloc(run->diags.count ? run->diags.count : 1, sizeof *kept);
        size_t n = 0;
        for (size_t i = 0; i < run->diags.count; i++)
            if (run->diags.items[i].severity == SSMC_SEV_ERROR)
                kept[n++] = run->diags.items[i];
        shown.items = kept;
        shown.count = shown.cap = n;
    }
    switch (run->opts.format) {
    case CLI_FORMAT_TEXT: render_text(run, &shown, out); break;
    case CLI_FORMAT_JSON: render_json(run, &shown, out); break;
    case CLI_FORMAT_SARIF: render_sarif(run, &shown, out); break;
    case CLI_FORMAT_GITHUB: render_github(run, &shown, out); break;
    }
    free(kept);
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "ssmc %s: cannot write the output: %s\n", run->command->name,
                strerror(errno));
        return EXIT_TROUBLE;
    }
    return rc;
}
