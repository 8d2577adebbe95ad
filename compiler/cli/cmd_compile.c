/* cmd_compile.c — `ssmc compile`: YAML or JSON in, normalized deployable JSON
 * (or YAML) out. The document goes through the same pipeline as `check`;
 * any error finding refuses the compile and nothing is written.
 *
 * Findings go to stderr while stdout carries the compiled document, and to
 * stdout when the output goes to files (-o, --out-dir) or nothing is
 * written (--check, refusal). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli_common.h"
#include "emit.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool compact, yaml_out;
static const char *out_dir, *check_file, *to_schema, *resource_id;

static const cli_extra_option extras[] = {
    {"--compact", NULL, NULL, "JSON without indentation or spaces", NULL, &compact, NULL, NULL},
    {"--out-dir", NULL, "DIR", "compile every FILE into DIR, keeping relative paths", &out_dir,
     NULL, NULL, NULL},
    {"--check", NULL, "COMPILED", "fail if COMPILED differs from what FILE compiles to",
     &check_file, NULL, NULL, NULL},
    {"--to-schema", NULL, "2.2", "migrate a schema 1.2 document to 2.2", &to_schema, NULL, NULL,
     NULL},
    {"--resource", NULL, "ID",
     "compile the document of one resource of a template or Terraform file (a logical ID, or "
     "an address such as aws_ssm_document.x)",
     &resource_id, NULL, NULL, NULL},
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
    "chooses how findings are shown. --resource ID compiles the document kept in\n"
    "resource ID of a CloudFormation/SAM template, a .tf file or a Terraform plan\n"
    "(values CloudFormation or Terraform fill in stay as ${...} placeholders).\n",
    extras,
    CLI_INPUTS_MANY,
    /* --param and --params-file: nothing here substitutes parameters */
    "--format --platform --stdin-filename --config --shellcheck --pyflakes --no-cache --strict "
    "--enable --disable --no-color --quiet --show-info --snippet --no-snippet --document-type "
    "--output --trust-config --help",
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

/* DIR/<input path, extension .json|.yaml>, the input path normalised
 * lexically first: "." and empty parts dropped, ".." taking back the part
 * before it and dropped at the start, so no input name reaches outside DIR
 * by its spelling (a symlink inside DIR is caught by inside_out_dir). */
static char *out_path(const char *dir, const char *input, bool yaml)
{
    buf rel;
    buf_init(&rel);
    buf_adds(&rel, "");
    for (const char *p = input; *p;) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            char *slash = strrchr(rel.data, '/');
            rel.len = slash ? (size_t)(slash - rel.data) : 0;
            rel.data[rel.len] = '\0';
        } else if (n && !(n == 1 && p[0] == '.')) {
            buf_printf(&rel, "%s%.*s", rel.len ? "/" : "", (int)n, p);
        }
        p += n + (end != NULL);
    }
    const char *r = rel.data;
    if (!*r)
        r = "_";
    const char *slash = strrchr(r, '/');
    const char *dot = strrchr(r, '.');
    size_t stem = dot && dot != r && (!slash || dot > slash + 1) ? (size_t)(dot - r) : strlen(r);
    char *path = xasprintf("%s/%.*s.%s", dir, (int)stem, r, yaml ? "yaml" : "json");
    buf_free(&rel);
    return path;
}

/* Does the directory DIR resolve inside ROOT, symlinks followed? Asked of
 * the deepest part of DIR that exists, so nothing is created outside. */
static bool inside_out_dir(const char *root, const char *dir)
{
    char *r = realpath(root, NULL), *d = NULL;
    char *part = xstrdup(dir);
    while (!(d = realpath(part, NULL)) && errno == ENOENT) {
        char *slash = strrchr(part, '/');
        if (!slash || slash == part)
            break;
        *slash = '\0';
    }
    free(part);
    size_t n = r ? strlen(r) : 0;
    bool inside = r && d && strncmp(r, d, n) == 0 &&
                  (d[n] == '\0' || d[n] == '/' || (n == 1 && r[0] == '/'));
    free(r);
    free(d);
    return inside;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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

/* --resource ID: the document of that resource, checked as `check` checks
 * it (with the document type the resource declares); findings about the
 * host's other resources are left out. Takes the document out of the host,
 * which must outlive it (its tree may be part of the host's). */
static int compile_resource(cli_run *run, ssmc_host **hostp, ssmc_document **doc)
{
    uint32_t file = run->inputs[0];
    const ssmc_source *src = ssmc_sources_get(&run->sources, file);
    ssmc_host_kind kind = ssmc_host_classify(src->name, src->data, src->len);
    if (!iac_is_host(kind))
        return cli_usage_error(run, "--resource: %s is not a CloudFormation template, a Terraform "
                               "file or a plan", src->name);
    ssmc_diags host_diags = {.sources = &run->sources};
    ssmc_host *host = ssmc_host_extract(&run->sources, file, kind, &run->config, &host_diags);
    *hostp = host;
    ssmc_embedded *e = NULL;
    buf names;
    buf_init(&names);
    for (size_t i = 0; i < host->count; i++) {
        if (host->items[i].kind != SSMC_EMBEDDED_DOCUMENT)
            continue;
        buf_printf(&names, "%s%s", names.len ? ", " : "", host->items[i].resource);
        if (strcmp(host->items[i].resource, resource_id) == 0)
            e = &host->items[i];
    }
    if (!e) {
        int rc = cli_usage_error(run, "--resource: %s has no SSM document resource '%s' (%s%s)",
                                 src->name, resource_id, names.len ? "it has: " : "it has none",
                                 names.len ? names.data : "");
        buf_free(&names);
        ssmc_diags_free(&host_diags);
        return rc;
    }
    buf_free(&names);
    size_t a = e->span.start, b = e->span.end;
    ssmc_diags mine = {.sources = &run->sources};
    if (e->document) {
        ssmc_config cfg = run->config;
        cfg.document_type = e->document_type;
        lint_run *lint = lint_begin(&cfg);
        check_document(&run->sources, e->document, &cfg, lint, &mine);
        check_end(&run->sources, &cfg, lint, &mine);
    } else {
        ssmc_diag_add(&run->diags, SSMC_RULE_SSM1124, file, e->span,
                      "resource '%s' holds no document ssmc can read (see the findings of "
                      "'ssmc check %s')", resource_id, src->name);
    }
    /* the resource's own findings: inside its span in the host, or in a
     * file it reads */
    for (size_t i = 0; i < host_diags.count + mine.count; i++) {
        ssmc_diag *d = i < host_diags.count ? &host_diags.items[i] : &mine.items[i - host_diags.count];
        bool keep = d->file != file || (d->span.start.offset >= a && d->span.start.offset < b);
        if (keep) {
            GROW(run->diags.items, run->diags.cap, run->diags.count + 1);
            run->diags.items[run->diags.count++] = *d;
        } else {
            diag_free_fields(d);
        }
    }
    free(host_diags.items);
    free(mine.items);
    ssmc_diags_apply_config(&run->diags, &run->config);
    /* a borrowed tree's document has no arena of its own: freeing it frees
     * only the struct, and the nodes stay with the host */
    *doc = e->document ? e->document : xcalloc(1, sizeof **doc); /* no root: nothing written */
    e->document = NULL;
    return CLI_CONTINUE;
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
    out_dir = check_file = to_schema = resource_id = NULL;
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
    if (!out_dir && (rc = cli_refuse_directory(&run, run.opts.paths[0], "--out-dir DIR")) !=
                        CLI_CONTINUE) {
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
    if ((rc = cli_check_output(&run)) != CLI_CONTINUE) {
        cli_end(&run);
        return rc;
    }
    size_t n = run.input_count;
    ssmc_document **docs = xcalloc(n ? n : 1, sizeof *docs);
    ssmc_host *host = NULL;
    if (resource_id) {
        if (out_dir || n != 1) {
            free(docs);
            rc = cli_usage_error(&run, "--resource takes one FILE (a template or Terraform file)");
            cli_end(&run);
            return rc;
        }
        if ((rc = compile_resource(&run, &host, &docs[0])) != CLI_CONTINUE) {
            ssmc_host_free(host);
            free(docs);
            cli_end(&run);
            return rc;
        }
    } else {
        for (size_t i = 0; i < n; i++)
            docs[i] = ssmc_load(&run.sources, run.inputs[i], NULL, &run.diags);
        ssmc_check_documents(&run.sources, docs, n, &run.config, &run.diags);
    }
    const ssmc_node **roots = xcalloc(n ? n : 1, sizeof *roots);
    for (size_t i = 0; i < n; i++) {
        roots[i] = docs[i]->root;
        if (to_schema && roots[i] && docs[i]->syntax_ok)
            roots[i] = migrate_to_22(docs[i], &run.diags);
    }
    bool ok = !run.trouble && ssmc_diags_count_at_least(&run.diags, SSMC_SEV_ERROR) == 0;
    /* --out-dir: one bad input does not hold back the good ones; each is
     * written when it has no error of its own (the exit status still says 1). */
    char **targets = xcalloc(n ? n : 1, sizeof *targets);
    if (out_dir) {
        /* Two inputs that would be written to one file (a.yaml and a.json):
         * refused before anything is written. Each target keeps its input's
         * index after the NUL, so the sorted list still names both. */
        for (size_t i = 0; i < n; i++) {
            char *t = out_path(out_dir, ssmc_sources_get(&run.sources, run.inputs[i])->name,
                               yaml_out);
            targets[i] = xasprintf("%s%c%zu", t, '\0', i);
            free(t);
        }
        char **sorted = xcalloc(n ? n : 1, sizeof *sorted);
        memcpy(sorted, targets, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, compare_names);
        for (size_t i = 1; i < n && rc == CLI_CONTINUE; i++) {
            if (strcmp(sorted[i - 1], sorted[i]) != 0)
                continue;
            size_t a = strtoul(sorted[i - 1] + strlen(sorted[i - 1]) + 1, NULL, 10);
            size_t b = strtoul(sorted[i] + strlen(sorted[i]) + 1, NULL, 10);
            rc = cli_usage_error(&run, "%s and %s would both be written to %s",
                                 ssmc_sources_get(&run.sources, run.inputs[a])->name,
                                 ssmc_sources_get(&run.sources, run.inputs[b])->name, sorted[i]);
        }
        for (size_t i = 0; i < n && rc == CLI_CONTINUE; i++) {
            const char *input = cli_clobbers_input(&run, targets[i]);
            if (input)
                rc = cli_usage_error(&run, "%s would overwrite the input %s", targets[i], input);
        }
        free(sorted);
        if (rc != CLI_CONTINUE) {
            for (size_t i = 0; i < n; i++) {
                free(targets[i]);
                ssmc_document_free(docs[i]);
            }
            free(targets);
            free(roots);
            free(docs);
            cli_end(&run);
            return rc;
        }
    }
    bool *good = xcalloc(n ? n : 1, sizeof *good);
    size_t good_count = 0;
    if (out_dir && !run.trouble) {
        for (size_t i = 0; i < n; i++)
            good[i] = docs[i]->syntax_ok;
        for (size_t k = 0; k < run.diags.count; k++) {
            const ssmc_diag *d = &run.diags.items[k];
            for (size_t i = 0; d->severity >= SSMC_SEV_ERROR && i < n; i++)
                if (d->file == run.inputs[i])
                    good[i] = false;
        }
    } else {
        for (size_t i = 0; i < n; i++)
            good[i] = ok;
    }

    buf *outs = xcalloc(n ? n : 1, sizeof *outs);
    for (size_t i = 0; i < n; i++) {
        buf_init(&outs[i]);
        if (good[i] && (!roots[i] || !compile_one(&run, roots[i], &outs[i])))
            good[i] = ok = false;
        good_count += good[i];
    }
    if (out_dir)
        ok = good_count > 0;
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
            if (!mkdirs(out_dir, &error)) {
                fprintf(stderr, "ssmc compile: %s\n", error);
                free(error);
                error = NULL;
                written_fail = true;
            }
            for (size_t i = 0; i < n && !written_fail; i++) {
                if (!good[i])
                    continue;
                const char *path = targets[i];
                char *dir = xstrdup(path);
                *strrchr(dir, '/') = '\0';
                bool inside = inside_out_dir(out_dir, dir);
                bool made = inside && mkdirs(dir, &error);
                if (!inside) {
                    error = xasprintf("%s is outside %s (a symlink on the way leads out); "
                                      "nothing written there", path, out_dir);
                    made = false;
                }
                if (!made || !atomic_write_file(path, outs[i].data, outs[i].len, &error)) {
                    fprintf(stderr, "ssmc compile: %s\n", error);
                    free(error);
                    error = NULL;
                    written_fail = true;
                }
                free(dir);
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
    free(good);
    for (size_t i = 0; out_dir && i < n; i++)
        free(targets[i]);
    free(targets);
    free(roots);
    free(docs);
    ssmc_host_free(host);
    cli_end(&run);
    return rc;
}
