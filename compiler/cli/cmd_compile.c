/* cmd_compile.c — `ssmc compile`: YAML or JSON in, normalized deployable JSON
 * (or YAML) out. The document goes through the same pipeline as `check`;
 * any error finding refuses the compile and nothing is written.
 *
 * Findings go to stderr while stdout carries the compiled document, and to
 * stdout when the output goes to files (-o, --out-dir) or nothing is
 * written (--check, refusal). */
#include "cli_common.h"
#include "emit.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool compact, yaml_out;
static const char *out_dir, *check_file, *to_schema;

static const cli_extra_option extras[] = {
    {"--compact", NULL, NULL, "JSON without indentation or spaces", NULL, &compact, NULL, NULL},
    {"--out-dir", NULL, "DIR", "compile every FILE into DIR, keeping relative paths", &out_dir,
     NULL, NULL, NULL},
    {"--check", NULL, "COMPILED", "fail if COMPILED differs from what FILE compiles to",
     &check_file, NULL, NULL, NULL},
    {"--to-schema", NULL, "2.2", "migrate a schema 1.2 document to 2.2", &to_schema, NULL, NULL,
     NULL},
    {0},
};

static const cli_command command = {
    "compile",
    "ssmc compile [options] FILE [-o OUT]\n"
    "       ssmc compile [options] --out-dir DIR FILE...\n"
    "       ssmc compile [options] --check COMPILED FILE",
    "Compile a YAML or JSON SSM document to normalized deployable JSON: fixed key\n"
    "order, two-space indentation (or --compact), UTF-8, a trailing newline; anchors,\n"
    "aliases and merge keys expanded; comments dropped. Compiling the output again\n"
    "gives the same bytes. --format yaml writes normalized YAML instead (strings quoted\n"
    "wherever a YAML 1.1 reader would retype them). A document with errors is refused:\n"
    "exit 1 and nothing written. -o writes atomically. --format text|json|sarif|github\n"
    "chooses how findings are shown.\n",
    extras,
    CLI_INPUTS_MANY,
};


static bool mkdirs(const char *dir, char **error)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                *error = xasprintf("cannot create directory %s: %s", p, strerror(errno));
                free(p);
                return false;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return true;
}

/* DIR/<input path without leading / or ../, extension .json|.yaml>. */
static char *out_path(const char *dir, const char *input, bool yaml)
{
    const char *rel = input;
    for (;;) {
        if (rel[0] == '/')
            rel++;
        else if (strncmp(rel, "./", 2) == 0)
            rel += 2;
        else if (strncmp(rel, "../", 3) == 0)
            rel += 3;
        else
            break;
    }
    const char *slash = strrchr(rel, '/');
    const char *dot = strrchr(rel, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - rel) : strlen(rel);
    return xasprintf("%s/%.*s.%s", dir, (int)stem, rel, yaml ? "yaml" : "json");
}

static bool compile_one(cli_run *run, const ssmc_node *root, buf *out)
{
    const ssmc_node *bad = NULL;
    if (yaml_out) {
        char *error = NULL;
        bool ok = emit_yaml(out, root, &bad, &error);
        if (!ok && !bad) {
            fprintf(stderr, "ssmc compile: %s\n", error);
            run->trouble = true;
        }
        free(error);
        if (ok)
            return true;
    } else {
        emit_options o = {compact, true};
        if (emit_json(out, root, &o, &bad))
            return true;
    }
    if (bad)
        ssmc_diag_add(&run->diags, SSMC_RULE_SSM6001, bad->file, bad->span,
                      "'%s' (not a number or infinite) has no JSON form; quote it or write a "
                      "finite number", bad->str);
    return false;
}

/* --check: the first line where the committed file and the fresh output
 * differ. */
static void compare(cli_run *run, uint32_t committed, const char *src_name, const buf *fresh)
{
    const ssmc_source *c = ssmc_sources_get(&run->sources, committed);
    const char *a = c->data, *b = fresh->data ? fresh->data : "";
    size_t alen = c->len, blen = fresh->len;
    if (alen == blen && memcmp(a, b, alen) == 0)
        return;
    size_t i = 0, line_start = 0;
    uint32_t line = 1;
    while (i < alen && i < blen && a[i] == b[i]) {
        if (a[i] == '\n')
            line++, line_start = i + 1;
        i++;
    }
    const char *ea = memchr(a + line_start, '\n', alen - line_start);
    const char *eb = line_start <= blen ? memchr(b + line_start, '\n', blen - line_start) : NULL;
    int la = (int)((ea ? (size_t)(ea - a) : alen) - line_start);
    int lb = line_start <= blen ? (int)((eb ? (size_t)(eb - b) : blen) - line_start) : 0;
    ssmc_span span = span_from_offsets(c, line_start, line_start + (size_t)la);
    if (line_start >= alen)
        ssmc_diag_add(&run->diags, SSMC_RULE_SSM6002, committed, span,
                      "%s is not what %s compiles to: it ends at line %u where the compiled "
                      "output continues with '%.*s'; recompile with 'ssmc compile %s -o %s'",
                      c->name, src_name, line, lb, b + line_start, src_name, c->name);
    else if (line_start >= blen)
        ssmc_diag_add(&run->diags, SSMC_RULE_SSM6002, committed, span,
                      "%s is not what %s compiles to: line %u '%.*s' is past the end of the "
                      "compiled output; recompile with 'ssmc compile %s -o %s'",
                      c->name, src_name, line, la, a + line_start, src_name, c->name);
    else
        ssmc_diag_add(&run->diags, SSMC_RULE_SSM6002, committed, span,
                      "%s is not what %s compiles to: line %u is '%.*s' but should be '%.*s'; "
                      "recompile with 'ssmc compile %s -o %s'",
                      c->name, src_name, line, la, a + line_start, lb, b + line_start, src_name,
                      c->name);
}

int cmd_compile(int argc, char **argv)
{
    compact = yaml_out = false;
    out_dir = check_file = to_schema = NULL;
    int new_argc;
    /* --format yaml|json is the output here; other values are the findings'. */
    static const char *const outputs[] = {"yaml", "json", NULL};
    const char *output = cli_take_format(argc, argv, outputs, &new_argc);
    if (output)
        yaml_out = strcmp(output, "yaml") == 0;
    cli_run run;
    int rc = cli_begin(&run, &command, new_argc, argv);
    if (rc != CLI_CONTINUE) {
        if (rc == EXIT_TROUBLE)
            cli_report(&run, stderr);
        cli_end(&run);
        return rc;
    }
    if (to_schema && strcmp(to_schema, "2.2") != 0) {
        rc = cli_usage_error(&run, "--to-schema supports only 2.2, not '%s'", to_schema);
        cli_end(&run);
        return rc;
    }
    if (!out_dir && run.opts.path_count != 1) {
        rc = cli_usage_error(&run, "compile takes one FILE (use --out-dir DIR for several)");
        cli_end(&run);
        return rc;
    }
    if ((out_dir && (run.opts.output || check_file)) || (check_file && run.opts.output)) {
        rc = cli_usage_error(&run, "-o, --out-dir and --check cannot be combined");
        cli_end(&run);
        return rc;
    }
    bool to_stdout = !run.opts.output && !out_dir && !check_file;
    FILE *findings = to_stdout ? stderr : stdout;

    cli_read_inputs(&run);
    size_t n = run.input_count;
    ssmc_document **docs = xcalloc(n ? n : 1, sizeof *docs);
    for (size_t i = 0; i < n; i++)
        docs[i] = ssmc_load(&run.sources, run.inputs[i], NULL, &run.diags);
    ssmc_check_documents(&run.sources, docs, n, &run.config, &run.diags);
    const ssmc_node **roots = xcalloc(n ? n : 1, sizeof *roots);
    for (size_t i = 0; i < n; i++) {
        roots[i] = docs[i]->root;
        if (to_schema && roots[i] && docs[i]->syntax_ok)
            roots[i] = migrate_to_22(docs[i], &run.diags);
    }
    bool ok = !run.trouble && ssmc_diags_count_at_least(&run.diags, SSMC_SEV_ERROR) == 0;

    buf *outs = xcalloc(n ? n : 1, sizeof *outs);
    for (size_t i = 0; ok && i < n; i++) {
        buf_init(&outs[i]);
        if (!roots[i] || !compile_one(&run, roots[i], &outs[i]))
            ok = false;
    }
    bool written_fail = false;
    if (!ok)
        findings = stdout; /* nothing else goes there */
    if (ok) {
        char *error = NULL;
        if (check_file) {
            uint32_t committed = cli_read_file(&run, check_file);
            if (committed != UINT32_MAX)
                compare(&run, committed, ssmc_sources_get(&run.sources, run.inputs[0])->name,
                        &outs[0]);
        } else if (out_dir) {
            for (size_t i = 0; i < n && !written_fail; i++) {
                const char *name = ssmc_sources_get(&run.sources, run.inputs[i])->name;
                char *path = out_path(out_dir, name, yaml_out);
                char *dir = xstrdup(path);
                *strrchr(dir, '/') = '\0';
                if (!mkdirs(dir, &error) ||
                    !atomic_write_file(path, outs[i].data, outs[i].len, &error)) {
                    fprintf(stderr, "ssmc compile: %s\n", error);
                    free(error);
                    error = NULL;
                    written_fail = true;
                }
                free(dir);
                free(path);
            }
        } else if (run.opts.output) {
            if (!atomic_write_file(run.opts.output, outs[0].data, outs[0].len, &error)) {
                fprintf(stderr, "ssmc compile: %s\n", error);
                free(error);
                written_fail = true;
            }
        } else {
            if (outs[0].len)
                fwrite(outs[0].data, 1, outs[0].len, stdout);
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "ssmc compile: cannot write the output: %s\n", strerror(errno));
                written_fail = true;
            }
        }
    }
    rc = cli_report(&run, findings);
    if (written_fail)
        rc = EXIT_TROUBLE;
    for (size_t i = 0; i < n; i++) {
        buf_free(&outs[i]);
        ssmc_document_free(docs[i]);
    }
    free(outs);
    free(roots);
    free(docs);
    cli_end(&run);
    return rc;
}
