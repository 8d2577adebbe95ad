/*
 * cli_common.h — what every subcommand of the ssmc command line shares:
 * option parsing, configuration, input collection, rendering of findings
 * and the exit code of DESIGN.md.
 *
 * A subcommand is written like this (error handling is all inside):
 *
 *     static const cli_command command = {
 *         "compile", "ssmc compile [options] FILE [-o OUT]",
 *         "Compile a YAML or JSON document to normalized deployable JSON.\n",
 *         extras,                  // its own options, or NULL
 *         CLI_INPUTS_ONE,          // how many paths it takes
 *     };
 *     int cmd_compile(int argc, char **argv)
 *     {
 *         cli_run run;
 *         int rc = cli_begin(&run, &command, argc, argv);   // parse + config
 *         if (rc != CLI_CONTINUE)
 *             return rc;                                   // --help (0) or bad usage (2)
 *         cli_read_inputs(&run);                           // files -> run.sources
 *         for (size_t i = 0; i < run.input_count; i++)
 *             docs[i] = ssmc_load(&run.sources, run.inputs[i], NULL, &run.diags);
 *         ...
 *         rc = cli_report(&run, stderr);  // sort, render, exit code 0/1/3
 *         cli_end(&run);
 *         return rc;
 *     }
 *
 * Common options (DESIGN.md): --format, --platform, --param NAME=VALUE
 * (repeatable), --params-file, --stdin-filename, --config, --shellcheck,
 * --strict, --enable RULE, --disable RULE, --no-color, -q, --snippet,
 * --document-type, -o FILE, --help. Each accepts "--opt value" and
 * "--opt=value". "--" ends the options; a lone "-" is a path (stdin).
 */
#ifndef SSMC_CLI_COMMON_H
#define SSMC_CLI_COMMON_H

#include "cli.h"
#include "ssmc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Returned by cli_begin when the subcommand should go on. */
#define CLI_CONTINUE (-1)

/* Where the SARIF output says the tool is documented. */
#define SSMC_INFORMATION_URI "https://github.com/ssmc-authors/ssmc"

typedef enum cli_format {
    CLI_FORMAT_TEXT = 0,
    CLI_FORMAT_JSON,
    CLI_FORMAT_SARIF,
    CLI_FORMAT_GITHUB
} cli_format;

/* A subcommand's own option. Exactly one of value, flag, handler is set.
 * name is the long form with dashes ("--check"); short is "-c" or NULL. */
typedef struct cli_extra_option {
    const char *name;
    const char *short_name;
    const char *metavar;             /* "FILE"; NULL for a flag without value */
    const char *help;                /* one line for --help */
    const char **value;              /* takes a value: stored here (last wins) */
    bool *flag;                      /* a flag: set to true */
    /* Takes a value, called for every occurrence (repeatable options).
     * Return false to reject the value (after printing why to stderr):
     * the command line is then wrong (exit 2). */
    bool (*handler)(const char *value, void *ctx);
    void *ctx;
} cli_extra_option;

typedef enum cli_input_arity {
    CLI_INPUTS_NONE = 0,   /* no paths (rules takes its own positional in extras: see positional) */
    CLI_INPUTS_ONE,        /* exactly one path */
    CLI_INPUTS_MANY,       /* one or more */
    CLI_INPUTS_ANY         /* zero or more (positional words, not read as files) */
} cli_input_arity;

typedef struct cli_command {
    const char *name;                /* "check" */
    const char *usage;               /* "ssmc check [options] PATH..." */
    const char *description;         /* a paragraph for --help, ending in \n */
    const cli_extra_option *extras;  /* terminated by {0}, or NULL */
    cli_input_arity arity;
    /* The common options this command takes, space-separated ("--format
     * --help"), or NULL for all of them. Any other common option is a usage
     * error rather than silently ignored, and --help lists only these. */
    const char *common;
} cli_command;

typedef struct cli_param {
    char *name;
    char *value;
} cli_param;

/* The parsed command line. Strings point into argv unless noted. */
typedef struct cli_options {
    cli_format format;               /* default text */
    const char *platform;            /* linux|windows|macos|all, or NULL if not given */
    cli_param *params;               /* --param, in order given (owned) */
    size_t param_count;
    const char *params_file;
    const char *stdin_filename;      /* default "<stdin>" */
    const char *config_file;         /* --config, or NULL: .ssmc.yaml searched upward */
    const char *shellcheck;          /* auto|off|PATH, or NULL if not given */
    const char *pyflakes;            /* auto|off|PATH, or NULL if not given */
    bool no_cache;                   /* --no-cache */
    bool strict;
    bool no_color;
    bool quiet;
    bool show_info;                  /* --show-info (or show-info: true in the config) */
    int snippet;                     /* 1 --snippet, 0 --no-snippet, -1 auto (stdout a terminal) */
    const char *document_type;
    const char *output;              /* -o FILE, or NULL */
    bool trust_config;               /* --trust-config: program paths from any config file */
    const char **enable, **disable;  /* rule ids or names as given (owned arrays) */
    size_t enable_count, disable_count;
    const char **paths;              /* positional arguments (owned array) */
    size_t path_count;
} cli_options;

/* Everything one invocation owns. */
typedef struct cli_run {
    const cli_command *command;
    cli_options opts;
    ssmc_config config;              /* from the config file, then the flags */
    char **exclude;                  /* globs from the config file's exclude: (owned) */
    size_t exclude_count;
    char **include;                  /* ... and include: (owned) */
    size_t include_count;
    char *config_dir;                /* absolute directory of the config file, or NULL (owned) */
    char *shellcheck_owned;          /* storage behind config.shellcheck* (owned) */
    char *shellcheck_options_owned;
    ssmc_sources sources;            /* inputs, config file, params file, ... */
    ssmc_diags diags;
    uint32_t *inputs;                /* source indices of the readable inputs, in order */
    size_t input_count;
    /* Per source index: 1 + its ssmc_host_kind when the directory walk
     * classified it already, else 0 (classifying reads the whole file: once
     * is enough). */
    unsigned char *file_kinds;
    size_t file_kind_count;
    size_t files_seen;               /* inputs including unreadable ones, for the summary */
    bool classify_files;             /* check --classify: named files are classified (and
                                      * skipped) as a directory walk does */
    char **skipped;                  /* files a directory walk found but skipped: not
                                      * SSM documents, templates or Terraform (owned) */
    size_t skipped_count, skipped_cap;
    /* Walked foo.json files that are byte for byte what `ssmc compile`
     * writes for a walked foo.yaml (or .yml) of the same run: generated
     * output, whose findings would repeat its source's. Pairs of owned
     * strings: the JSON file, then its source. */
    char **generated;
    size_t generated_count;
    /* Per input: the walked foo.yaml (or .yml) input that a walked foo.json
     * input may be the compiled form of, or SIZE_MAX; NULL when there is
     * no such pair (owned). */
    size_t *twin_of;
    /* check: inputs are listed by cli_read_inputs but read one at a time by
     * cli_input_read (unread ones are ssmc_sources_add_unread entries);
     * input_walked[i] says input i is classified (and maybe skipped) as a
     * directory walk does. */
    bool lazy_inputs;
    bool *input_walked;
    bool trouble;                    /* the tool could not do its job: exit 3 */
} cli_run;

/* Parses argv (argv[0] is the subcommand name), prints --help, finds and
 * applies the configuration file and the rule flags. Returns CLI_CONTINUE,
 * or the exit status to return now: 0 after --help, 2 for a wrong command
 * line (one line on stderr, with a did-you-mean), 3 for an unreadable
 * --config. Findings about the config file are kept in run->diags. The run
 * must be released with cli_end in every case. */
int cli_begin(cli_run *run, const cli_command *command, int argc, char **argv);

/* Reads every path of opts.paths into run->sources: files, directories
 * (recursively, .json, .yaml, .yml and .tf files, sorted, config include and
 * exclude globs applied, symlink loops skipped), "-" = stdin named
 * --stdin-filename. A file found in a directory that is none of the
 * ssmc_host_kind formats is not read in but listed in run->skipped; a file
 * named on the command line is always read. Readable
 * inputs are appended to run->inputs; an unreadable one becomes an SSM1029
 * finding and sets run->trouble. Returns false if anything was unreadable. */
bool cli_read_inputs(cli_run *run);
/* check (lazy inputs): pairs each walked foo.json input with a walked
 * foo.yaml (or .yml) of the run (run->twin_of), reading no file. */
void cli_pair_twins(cli_run *run);
/* Whether input i, read as source file, is a walked foo.json that is byte
 * for byte what `ssmc compile` writes for its paired foo.yaml: generated
 * output, not checked (the pre-commit pairing: each finding printed once;
 * the caller lists it in run->generated). When the answer is no and the
 * JSON was loaded to find out, without a finding, *loaded is that
 * document, for the check to go on with (the caller frees it); else NULL. */
bool cli_input_generated(cli_run *run, size_t i, uint32_t file, ssmc_document **loaded);

/* With run->lazy_inputs: reads input i (a position in run->inputs) into its
 * source entry. Returns the source index to check, or UINT32_MAX when there
 * is nothing to check: unreadable or over the size limit (a finding in
 * diags, run->trouble for unreadable), or not an SSM document, template or
 * Terraform file (a walked file: *skipped is set, the caller lists it). */
uint32_t cli_input_read(cli_run *run, size_t i, ssmc_diags *diags, bool *skipped);

/* Reads one file (or "-" for stdin) into run->sources without adding it to
 * run->inputs (for --params-file and the like). Returns the source index,
 * or UINT32_MAX after an SSM1029 finding (run->trouble set). */
uint32_t cli_read_file(cli_run *run, const char *path);
/* Reads and loads a data file (parameter values, Parameter Store stand-in,
 * inventory): YAML or JSON with any top-level value. Syntax findings go to
 * run->diags. Returns NULL when the file could not be read. */
ssmc_document *cli_load_data_file(cli_run *run, const char *path);

/* Some subcommands give --format values of their own (compile: yaml|json,
 * plan: json|text|dot) besides the findings' formats. Removes every
 * `--format V` / `--format=V` whose V is one of `values` (NULL-terminated)
 * from argv before the common parser sees it, and returns the last such V,
 * or NULL when none was given. Everything after `--` is left alone. */
const char *cli_take_format(int argc, char **argv, const char *const *values, int *new_argc);

/* Sorts run->diags, renders them in opts.format to out (the summary line
 * of the text format goes to stderr) and returns the exit status:
 * 3 if run->trouble or an SSM1029/SSM9001 finding, 1 if an error (or a
 * warning with --strict), else 0. */
int cli_report(cli_run *run, FILE *out);

/* The exit status cli_report would return, without rendering. */
int cli_exit_code(const cli_run *run);

/* CLI_CONTINUE unless path is a directory, which a command taking one
 * document refuses as a usage error (exit 2) naming `instead` (an option
 * that takes several, or NULL). */
int cli_refuse_directory(const cli_run *run, const char *path, const char *instead);

/* A one-line usage error: "ssmc CMD: MESSAGE" on stderr; returns 2. */
int cli_usage_error(const cli_run *run, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Never destroy an input (issue 18): the name of an input, the params file
 * or the config file that PATH is the same file as (after symlinks), or
 * NULL. cli_check_output applies it to -o: a usage error (2) or
 * CLI_CONTINUE. Call after the inputs are read. */
const char *cli_clobbers_input(const cli_run *run, const char *path);
int cli_check_output(cli_run *run);

void cli_end(cli_run *run);

/* Prints the --help text of a command to out. */
void cli_print_help(const cli_command *command, FILE *out);

/* Is colour wanted on this stream (a terminal, no NO_COLOR, no --no-color)? */
bool cli_use_color(const cli_options *opts, FILE *out);

/* The rule id a finding shows: "SSM1012", or the external tool's "SC2086". */
const char *cli_rule_id(const ssmc_diag *diag);

/* --- renderers (render_*.c), called by cli_report ---------------------- */
void render_text(const cli_run *run, const ssmc_diags *diags, FILE *out);
void render_json(const cli_run *run, const ssmc_diags *diags, FILE *out);
void render_sarif(const cli_run *run, const ssmc_diags *diags, FILE *out);
void render_github(const cli_run *run, const ssmc_diags *diags, FILE *out);
/* GitHub workflow-command escaping: property values escape % \r \n : , and
 * messages escape % \r \n. Returns a malloc'd string. */
char *render_github_escape(const char *s, bool property);

#endif /* SSMC_CLI_COMMON_H */
