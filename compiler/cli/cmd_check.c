/* cmd_check.c — `ssmc check`: load every input, run every stage on all of
 * them at once (so external linters run once per call), render.
 *
 * -j N (--jobs N) checks the inputs in N worker processes. Design:
 *
 * - Processes, not threads. The parent only lists the inputs (names, so
 *   file indices are the same everywhere), then forks N children; each
 *   child takes the next unchecked input from a counter the workers share
 *   (an atomic in a shared mapping), reads, classifies, loads and checks it
 *   with the loop -j1 uses (check_input), and at the end writes its
 *   findings (and which walked files it skipped),
 *   serialized, to a pipe. Taking inputs one at a time keeps the workers
 *   busy to the end: cost per byte differs by 10x between documents (JSON
 *   or YAML, scripts or none), so contiguous slices of equal bytes left one
 *   worker running alone for most of the run. The library keeps process-wide state
 *   that is not thread-safe (statics in diagnostics sorting, ShellCheck's
 *   child-process plumbing, caches in the lint stage), and stages spawn
 *   external programs; with fork none of it has to be audited or locked,
 *   a crash in one worker cannot corrupt another, and each child frees its
 *   trees simply by exiting. The parent reads no input: it neither
 *   spends the time the workers would share (reading and classifying were
 *   a third of a -j1 run) nor holds the bytes; it reads a file again only
 *   for a snippet or --fix.
 * - Deterministic output. Every finding belongs to one file, and a file is
 *   checked by one worker, so the findings of each file are produced in the
 *   same relative order as with -j1; ssmc_diags_sort is a stable total sort,
 *   so the rendered report is byte-for-byte the one -j1 prints (tested by
 *   tests/bench/jobs_same.sh on a directory of mixed documents).
 * - Nothing lost. A worker that dies, is killed or sends a truncated
 *   stream makes the run fail with exit 3.
 * - ShellCheck then runs once per worker (over that worker's scripts) rather
 *   than once per call: N processes in parallel instead of one.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#define _POSIX_C_SOURCE 200809L
#include "cli_association.h"
#include "cli_common.h"
#include "cli_fix.h"
#include "emit.h"
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* More workers than this would only add fork and pipe overhead. */
#define MAX_JOBS 256

static const char *jobs_arg;
static bool fix_flag;
static bool verbose, classify;

/* Associations: where the documents they name are, and which instances
 * they target (cli_association.c). */
static cli_assoc assoc;

static const cli_extra_option extras[] = {
    {"--doc-path", NULL, "DIR",
     "where the documents that associations name are found (repeatable; stdlib-docs is always searched)",
     NULL, NULL, cli_assoc_add_doc_path, &assoc},
    {"--inventory", NULL, "FILE", "instances (JSON or YAML list): report which ones each association targets",
     &assoc.inventory_path, NULL, NULL, NULL},
    {"--offline-ok", NULL, NULL,
     "a document an association names that is neither checked nor in the catalogue is an info, not a warning",
     NULL, &assoc.offline_ok, NULL, NULL},
    {"--jobs", "-j", "N", "check the inputs in N parallel worker processes (default 1)",
     &jobs_arg, NULL, NULL, NULL},
    {"--fix", NULL, NULL, "apply the fixes findings carry to the files, then report what remains",
     NULL, &fix_flag, NULL, NULL},
    {"--classify", NULL, NULL,
     "treat the files named on the command line as a directory walk does: skip (and count) "
     "those that are not SSM documents, templates or Terraform (for pre-commit hooks)",
     NULL, &classify, NULL, NULL},
    {"--verbose", "-v", NULL, "list the files a directory walk skipped (not SSM documents)",
     NULL, &verbose, NULL, NULL},
    {0},
};

static const cli_command command = {
    "check",
    "ssmc check [options] PATH...",
    "Validate and lint SSM documents. PATH is a file, a directory (searched\n"
    "recursively for .json, .yaml, .yml and .tf files) or - for stdin (name it\n"
    "with --stdin-filename). A directory walk checks SSM documents, association\n"
    "files, CloudFormation/SAM templates, Terraform files and plans, and skips\n"
    "(and counts) everything else; a file named on the command line is always\n"
    "checked. Findings are printed sorted by file, line and column; the output\n"
    "does not depend on -j.\n"
    "--fix rewrites each file with the fixes its findings carry (atomically,\n"
    "nothing else in the file changes) and reports what remains; --format diff\n"
    "prints those fixes as a unified diff instead and writes nothing.\n",
    extras,
    CLI_INPUTS_MANY,
    /* No parameter values: check validates every value a document can take. */
    "--format --platform --stdin-filename --config --shellcheck --pyflakes --no-cache --strict --enable "
    "--disable --no-color --quiet --show-info --snippet --no-snippet --document-type --output "
    "--trust-config --help",
};

/* One input: a template or Terraform file through iac, a document through
 * the pipeline; its tree is freed at once. loaded: the document, when it
 * was loaded already (cli_input_generated), or NULL. */
static void check_one(cli_run *run, uint32_t file, lint_run *lint, ssmc_diags *diags,
                      ssmc_document *loaded)
{
    const ssmc_source *src = ssmc_sources_get(&run->sources, file);
    /* Templates and Terraform hold the documents to check; --document-type
     * says the file is one document of that type, whatever it looks like. */
    unsigned char known = file < run->file_kind_count ? run->file_kinds[file] : 0;
    ssmc_host_kind kind = run->config.document_type ? SSMC_HOST_DOCUMENT
                          : known                   ? (ssmc_host_kind)(known - 1)
                                                    : ssmc_host_classify(src->name, src->data, src->len);
    if (iac_is_host(kind)) {
        ssmc_document_free(loaded);
        iac_check_host(&run->sources, file, kind, &run->config, lint, diags);
        return;
    }
    ssmc_document *doc = loaded ? loaded : ssmc_load(&run->sources, file, NULL, diags);
    check_document(&run->sources, doc, &run->config, lint, diags);
    ssmc_document_free(doc);
}

static void check_files(cli_run *run, const uint32_t *files, size_t count, ssmc_diags *diags)
{
    lint_run *lint = lint_begin(&run->config);
    for (size_t i = 0; i < count; i++)
        check_one(run, files[i], lint, diags, NULL);
    check_end(&run->sources, &run->config, lint, diags);
}

/* --fix needs every input's bytes to the end; otherwise an input is
 * released once checked. */
static bool keep_sources;

/* What became of an input: checked, or skipped as a walk skips a file
 * that is no SSM document, template or Terraform file, or skipped as the
 * compiled form of its paired YAML (cli_input_generated). The values
 * travel from -j workers to the parent. */
enum { INPUT_CHECKED = 0, INPUT_NOT_DOCUMENT, INPUT_GENERATED };

/* Input i of the run (a position in run->inputs): read, checked, and its
 * bytes released at once unless a stage still needs them at the end of the
 * run: scripts kept for ShellCheck or pyflakes (their findings are mapped
 * into the source then), suppression comments (applied to those findings).
 * So, with the external checkers off, one input is in memory at a time;
 * -j1 and every -j worker go through here. Returns INPUT_CHECKED, or why
 * the input (a walked file) is not checked. */
static int check_input(cli_run *run, size_t i, lint_run *lint, ssmc_diags *diags)
{
    bool skipped;
    uint32_t file = cli_input_read(run, i, diags, &skipped);
    if (file == UINT32_MAX)
        return skipped ? INPUT_NOT_DOCUMENT : INPUT_CHECKED;
    ssmc_document *loaded;
    if (cli_input_generated(run, i, file, &loaded)) {
        if (!keep_sources)
            ssmc_source_release(run->sources.items[file]);
        return INPUT_GENERATED;
    }
    size_t kept = lint_kept(lint), sources = run->sources.count, first = diags->count;
    check_one(run, file, lint, diags, loaded);
    ssmc_source *src = run->sources.items[file];
    /* Findings in documents embedded in this input move to its positions
     * now, while its bytes are here. */
    if (run->sources.count > sources)
        diags_to_host_from(&run->sources, diags, first);
    if (!keep_sources && lint_kept(lint) == kept && !strstr(src->data, "ssmc-"))
        ssmc_source_release(src);
    return INPUT_CHECKED;
}

/* Lists the walked inputs that were not checked, in input order, and takes
 * them out of the summary's file count; skipped[i] is what check_input
 * returned for input i. */
static void note_skipped(cli_run *run, const unsigned char *skipped)
{
    for (size_t i = 0; i < run->input_count; i++) {
        const char *name = ssmc_sources_get(&run->sources, run->inputs[i])->name;
        if (skipped[i] == INPUT_NOT_DOCUMENT) {
            GROW(run->skipped, run->skipped_cap, run->skipped_count + 1);
            run->skipped[run->skipped_count++] = xstrdup(name);
        } else if (skipped[i] == INPUT_GENERATED) {
            run->generated =
                xrealloc(run->generated, (run->generated_count + 2) * sizeof *run->generated);
            run->generated[run->generated_count++] = xstrdup(name);
            run->generated[run->generated_count++] = xstrdup(
                ssmc_sources_get(&run->sources, run->inputs[run->twin_of[i]])->name);
        } else {
            continue;
        }
        run->files_seen--;
    }
}

static void check_inputs(cli_run *run)
{
    unsigned char *skipped = xcalloc(run->input_count ? run->input_count : 1, sizeof *skipped);
    lint_run *lint = lint_begin(&run->config);
    for (size_t i = 0; i < run->input_count; i++)
        skipped[i] = (unsigned char)check_input(run, i, lint, &run->diags);
    check_end(&run->sources, &run->config, lint, &run->diags);
    note_skipped(run, skipped);
    free(skipped);
}

/* --- findings over a pipe -------------------------------------------------
 * A flat little-endian-agnostic (same host, same binary) record stream:
 * integers in native layout, strings as a length (UINT32_MAX for NULL)
 * followed by the bytes. The stream ends with a sentinel record so that a
 * worker that died half-way is told apart from one that finished. */
#define STREAM_END 0xE0Fu
/* A source a worker read that the parent does not have (a file that a
 * Terraform file() names): index, name, bytes; it comes before the findings
 * that refer to it. */
#define STREAM_SOURCE 0xE0Eu
/* An input the worker read and skipped: its index in run->inputs, then
 * why (INPUT_NOT_DOCUMENT or INPUT_GENERATED). */
#define STREAM_SKIPPED 0xE0Du
/* The worker could not read an input (exit 3 for the run). */
#define STREAM_TROUBLE 0xE0Cu

/* What a worker did with input i: TAKEN_NOT, or 1 + what check_input
 * returned. */
enum { TAKEN_NOT = 0, TAKEN_CHECKED = 1 + INPUT_CHECKED };

/* How many sources the parent had when it forked the workers. */
static size_t forked_sources;

static void put_u32(buf *b, uint32_t v) { buf_add(b, &v, sizeof v); }
static void put_u64(buf *b, uint64_t v) { buf_add(b, &v, sizeof v); }

static void put_str(buf *b, const char *s)
{
    if (!s) {
        put_u32(b, UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    buf_add(b, s, n);
}

static void put_span(buf *b, ssmc_span s)
{
    put_u32(b, s.start.line);
    put_u32(b, s.start.col);
    put_u64(b, s.start.offset);
    put_u32(b, s.end.line);
    put_u32(b, s.end.col);
    put_u64(b, s.end.offset);
}

static void put_diags(buf *b, const ssmc_sources *sources, const ssmc_diags *diags,
                      const unsigned char *taken, size_t input_count, bool trouble)
{
    for (size_t i = 0; i < input_count; i++)
        if (taken[i] > TAKEN_CHECKED) {
            put_u32(b, STREAM_SKIPPED);
            put_u64(b, i);
            put_u32(b, taken[i] - 1u);
        }
    if (trouble)
        put_u32(b, STREAM_TROUBLE);
    for (size_t i = forked_sources; i < sources->count; i++) {
        const ssmc_source *src = sources->items[i];
        if (src->embedded) /* its findings were moved to its host */
            continue;
        put_u32(b, STREAM_SOURCE);
        put_u32(b, (uint32_t)i);
        put_str(b, src->name);
        put_u64(b, src->len);
        buf_add(b, src->data, src->len);
    }
    for (size_t i = 0; i < diags->count; i++) {
        const ssmc_diag *d = &diags->items[i];
        put_u32(b, (uint32_t)d->rule);
        put_str(b, d->external_rule);
        put_u32(b, (uint32_t)d->severity);
        put_u32(b, d->file);
        put_span(b, d->span);
        put_str(b, d->message);
        put_str(b, d->hint);
        put_u64(b, d->related_count);
        for (size_t j = 0; j < d->related_count; j++) {
            put_u32(b, d->related[j].file);
            put_span(b, d->related[j].span);
            put_str(b, d->related[j].message);
        }
        put_u64(b, d->fix_count);
        for (size_t j = 0; j < d->fix_count; j++) {
            put_u32(b, d->fixes[j].file);
            put_span(b, d->fixes[j].span);
            put_str(b, d->fixes[j].text);
        }
    }
    put_u32(b, STREAM_END);
}

typedef struct reader {
    const char *p, *end;
    bool bad;
} reader;

static bool take(reader *r, void *out, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        memset(out, 0, n);
        return false;
    }
    memcpy(out, r->p, n);
    r->p += n;
    return true;
}

static uint32_t get_u32(reader *r)
{
    uint32_t v;
    take(r, &v, sizeof v);
    return v;
}

static uint64_t get_u64(reader *r)
{
    uint64_t v;
    take(r, &v, sizeof v);
    return v;
}

static char *get_str(reader *r)
{
    uint32_t n = get_u32(r);
    if (r->bad || n == UINT32_MAX)
        return NULL;
    if ((size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    char *s = xstrndup(r->p, n);
    r->p += n;
    return s;
}

static ssmc_span get_span(reader *r)
{
    ssmc_span s;
    s.start.line = get_u32(r);
    s.start.col = get_u32(r);
    s.start.offset = (size_t)get_u64(r);
    s.end.line = get_u32(r);
    s.end.col = get_u32(r);
    s.end.offset = (size_t)get_u64(r);
    return s;
}

/* A worker's source index in the parent's table: the same below
 * forked_sources, else the one its STREAM_SOURCE record was added as. */
typedef struct source_remap {
    uint32_t *to;          /* per worker index - forked_sources, or UINT32_MAX */
    size_t count;
} source_remap;

static bool remap_file(const source_remap *m, size_t file_count, uint32_t *file)
{
    if (*file < forked_sources)
        return *file < file_count;
    size_t k = *file - forked_sources;
    if (k >= m->count || m->to[k] == UINT32_MAX)
        return false;
    *file = m->to[k];
    return true;
}

/* Appends the findings of one worker's stream; false if it is malformed or
 * truncated (the findings read so far are kept). */
static bool get_diags_mapped(const buf *in, ssmc_sources *sources, ssmc_diags *diags,
                             source_remap *m, unsigned char *skipped, size_t input_count,
                             bool *trouble)
{
    reader r = {in->data, in->data + in->len, false};
    for (;;) {
        uint32_t rule = get_u32(&r);
        if (r.bad)
            return false;
        if (rule == STREAM_END)
            return r.p == r.end;
        if (rule == STREAM_TROUBLE) {
            *trouble = true;
            continue;
        }
        if (rule == STREAM_SKIPPED) {
            uint64_t i = get_u64(&r);
            uint32_t why = get_u32(&r);
            if (r.bad || i >= input_count ||
                (why != INPUT_NOT_DOCUMENT && why != INPUT_GENERATED))
                return false;
            skipped[i] = (unsigned char)why;
            continue;
        }
        if (rule == STREAM_SOURCE) {
            uint32_t index = get_u32(&r);
            char *name = get_str(&r);
            uint64_t len = get_u64(&r);
            if (r.bad || !name || index < forked_sources || index - forked_sources > 1u << 20 ||
                len > (uint64_t)(r.end - r.p)) {
                free(name);
                return false;
            }
            char *data = xmalloc((size_t)len + 2);
            memcpy(data, r.p, (size_t)len);
            data[len] = '\0';
            r.p += len;
            size_t k = index - forked_sources;
            if (k >= m->count) {
                m->to = xrealloc(m->to, (k + 1) * sizeof *m->to);
                for (size_t j = m->count; j <= k; j++)
                    m->to[j] = UINT32_MAX;
                m->count = k + 1;
            }
            m->to[k] = ssmc_sources_add(sources, name, data, (size_t)len);
            free(name);
            continue;
        }
        size_t file_count = sources->count;
        if (rule > SSMC_RULE_EXTERNAL)
            return false;
        GROW(diags->items, diags->cap, diags->count + 1);
        ssmc_diag *d = &diags->items[diags->count++];
        memset(d, 0, sizeof *d);
        d->rule = (ssmc_rule)rule;
        d->external_rule = get_str(&r);
        d->severity = (ssmc_severity)get_u32(&r);
        d->file = get_u32(&r);
        d->span = get_span(&r);
        d->message = get_str(&r);
        d->hint = get_str(&r);
        uint64_t nrel = get_u64(&r);
        /* Each related record takes at least 44 bytes: bound the count by
         * what is left before allocating. */
        if (r.bad || nrel > (uint64_t)(r.end - r.p) / 44 || !d->message ||
            !remap_file(m, file_count, &d->file)) {
            if (!d->message)
                d->message = xstrdup("");
            return false;
        }
        if (nrel) {
            d->related = xcalloc((size_t)nrel, sizeof *d->related);
            for (size_t j = 0; j < nrel; j++) {
                d->related[j].file = get_u32(&r);
                d->related[j].span = get_span(&r);
                d->related[j].message = get_str(&r);
                d->related_count = j + 1;
                if (!remap_file(m, file_count, &d->related[j].file))
                    return false;
                if (!d->related[j].message) {
                    d->related[j].message = xstrdup("");
                    return false;
                }
            }
        }
        uint64_t nfix = get_u64(&r);
        /* A fix record takes at least 40 bytes (file, span, text length). */
        if (r.bad || nfix > (uint64_t)(r.end - r.p) / 40)
            return false;
        for (size_t j = 0; j < nfix; j++) {
            uint32_t file = get_u32(&r);
            ssmc_span span = get_span(&r);
            char *text = get_str(&r);
            if (!text || !remap_file(m, file_count, &file)) {
                free(text);
                return false;
            }
            ssmc_diag_add_fix(d, file, span, text);
            free(text);
        }
    }
}

static bool get_diags(const buf *in, ssmc_sources *sources, ssmc_diags *diags,
                      unsigned char *skipped, size_t input_count, bool *trouble)
{
    source_remap m = {NULL, 0};
    bool ok = get_diags_mapped(in, sources, diags, &m, skipped, input_count, trouble);
    free(m.to);
    return ok;
}

typedef struct worker {
    pid_t pid;
    int fd;             /* read end of its pipe, -1 once at end of file */
    buf out;
} worker;

/* The worker's loop: the next input nobody has taken, until none is left;
 * the worker reads it itself. taken[i] records what this worker did with
 * input i. */
static void check_shared(cli_run *run, _Atomic size_t *next, unsigned char *taken,
                         ssmc_diags *diags)
{
    lint_run *lint = lint_begin(&run->config);
    for (;;) {
        size_t i = atomic_fetch_add(next, 1);
        if (i >= run->input_count)
            break;
        taken[i] = (unsigned char)(1 + check_input(run, i, lint, diags));
    }
    check_end(&run->sources, &run->config, lint, diags);
}

/* A stage may look past the documents it is given, at the whole source
 * table every worker inherits (the lint stage's suppression comments are
 * read from every source): a worker would then repeat findings about files
 * other workers checked. Each worker keeps the findings about its own
 * inputs, and the first one also those about sources that are no input
 * (configuration, parameter files), so every finding is reported once, as
 * with -j1. */
static void keep_own_findings(const cli_run *run, const unsigned char *mine, bool first_worker,
                              ssmc_diags *diags)
{
    size_t nfiles = run->sources.count;
    /* 0: not an input, 1: an input of another worker, 2: one of ours. */
    unsigned char *owner = xcalloc(nfiles ? nfiles : 1, 1);
    for (size_t i = 0; i < run->input_count; i++)
        if (run->inputs[i] < nfiles)
            owner[run->inputs[i]] = mine[i] ? 2 : 1;
    size_t out = 0;
    for (size_t i = 0; i < diags->count; i++) {
        ssmc_diag *d = &diags->items[i];
        /* a source this worker read itself (a Terraform file()) is its own */
        unsigned char o = d->file >= forked_sources ? 2 : d->file < nfiles ? owner[d->file] : 0;
        if (o == 2 || (o == 0 && first_worker))
            diags->items[out++] = *d;
    }
    diags->count = out; /* the worker exits next: the others need no free */
    free(owner);
}

/* Checks every input in jobs worker processes and appends their findings to
 * run->diags. Returns false (after saying why on stderr) if a worker could
 * not be started or did not deliver all of its findings. */
/* A signal to the parent (SIGINT, SIGTERM, SIGHUP) goes on to the workers
 * at once, so that each cleans up (ShellCheck's scratch directory) and
 * none is left running; then it takes its course in the parent too. */
static volatile sig_atomic_t parent_stop;
static const int parent_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_parent_signal(int sig) { parent_stop = sig; }

static bool check_parallel(cli_run *run, size_t jobs)
{
    worker *w = xcalloc(jobs, sizeof *w);
    unsigned char *skipped = xcalloc(run->input_count ? run->input_count : 1, sizeof *skipped);
    size_t n = jobs;
    bool ok = true;
    _Atomic size_t *next = mmap(NULL, sizeof *next, PROT_READ | PROT_WRITE,
                                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (next == MAP_FAILED) {
        fprintf(stderr, "ssmc check: cannot start the workers: %s\n", strerror(errno));
        free(skipped);
        free(w);
        return false;
    }
    atomic_init(next, 0);
    size_t started = 0;
    forked_sources = run->sources.count;
    /* Nothing buffered may be written twice by the children. */
    fflush(stdout);
    fflush(stderr);
    struct sigaction old[3], sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_parent_signal;
    sigemptyset(&sa.sa_mask);
    parent_stop = 0;
    for (size_t i = 0; i < 3; i++) {
        sigaction(parent_signals[i], NULL, &old[i]);
        if (old[i].sa_handler != SIG_IGN)
            sigaction(parent_signals[i], &sa, NULL);
    }
    for (size_t k = 0; k < n; k++) {
        int fds[2];
        if (pipe(fds) != 0) {
            fprintf(stderr, "ssmc check: cannot start a worker: %s\n", strerror(errno));
            ok = false;
            break;
        }
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "ssmc check: cannot start a worker: %s\n", strerror(errno));
            close(fds[0]);
            close(fds[1]);
            ok = false;
            break;
        }
        if (pid == 0) {
            for (size_t i = 0; i < 3; i++)
                sigaction(parent_signals[i], &old[i], NULL);
            /* The worker: its own findings only (the parent keeps the ones
             * it already has), sent in one stream, then _exit without
             * running atexit handlers or flushing the parent's stdio. */
            for (size_t j = 0; j < k; j++)
                close(w[j].fd);
            close(fds[0]);
            ssmc_diags mine = {.sources = &run->sources};
            unsigned char *taken = xcalloc(run->input_count, sizeof *taken);
            run->trouble = false;
            check_shared(run, next, taken, &mine);
            keep_own_findings(run, taken, k == 0, &mine);
            buf b;
            buf_init(&b);
            put_diags(&b, &run->sources, &mine, taken, run->input_count, run->trouble);
            free(taken);
            ssmc_diags_free(&mine);
            bool sent = fd_write_all(fds[1], b.data, b.len);
            buf_free(&b);
            _exit(sent ? 0 : 3);
        }
        close(fds[1]);
        w[k].pid = pid;
        w[k].fd = fds[0];
        buf_init(&w[k].out);
        started++;
    }

    /* Drain every pipe at once: a worker blocked on a full pipe must never
     * wait for the parent to finish reading another one. */
    struct pollfd *pfd = xcalloc(started ? started : 1, sizeof *pfd);
    size_t open_count = started;
    while (open_count) {
        size_t m = 0;
        for (size_t k = 0; k < started; k++)
            if (w[k].fd >= 0)
                pfd[m].fd = w[k].fd, pfd[m].events = POLLIN, pfd[m].revents = 0, m++;
        if (parent_stop)
            break;
        if (poll(pfd, m, -1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "ssmc check: cannot wait for the workers: %s\n", strerror(errno));
            ok = false;
            break;
        }
        for (size_t k = 0, i = 0; k < started; k++) {
            if (w[k].fd < 0)
                continue;
            short ev = pfd[i++].revents;
            if (!ev)
                continue;
            buf_reserve(&w[k].out, 65536);
            ssize_t r = read(w[k].fd, w[k].out.data + w[k].out.len, w[k].out.cap - w[k].out.len - 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r > 0) {
                w[k].out.len += (size_t)r;
                w[k].out.data[w[k].out.len] = '\0';
                continue;
            }
            close(w[k].fd);
            w[k].fd = -1;
            open_count--;
        }
    }
    free(pfd);
    if (parent_stop) {
        for (size_t k = 0; k < started; k++)
            kill(w[k].pid, parent_stop);
        for (size_t k = 0; k < started; k++)
            while (waitpid(w[k].pid, NULL, 0) < 0 && errno == EINTR)
                ;
        for (size_t i = 0; i < 3; i++)
            sigaction(parent_signals[i], &old[i], NULL);
        raise(parent_stop);
    }
    for (size_t i = 0; i < 3; i++)
        sigaction(parent_signals[i], &old[i], NULL);

    for (size_t k = 0; k < started; k++) {
        if (w[k].fd >= 0) {
            close(w[k].fd);
            kill(w[k].pid, SIGKILL);
        }
        int status = 0;
        while (waitpid(w[k].pid, &status, 0) < 0 && errno == EINTR)
            ;
        bool exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        bool parsed = get_diags(&w[k].out, &run->sources, &run->diags, skipped, run->input_count,
                                &run->trouble);
        if (!exited_ok || !parsed) {
            if (WIFSIGNALED(status))
                fprintf(stderr, "ssmc check: worker %zu of %zu was killed by signal %d\n", k + 1,
                        n, WTERMSIG(status));
            else
                fprintf(stderr, "ssmc check: worker %zu of %zu did not finish (exit %d)\n", k + 1,
                        n, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            ok = false;
        }
        buf_free(&w[k].out);
    }
    note_skipped(run, skipped);
    free(skipped);
    free(w);
    munmap((void *)next, sizeof *next);
    return ok && started == n;
}

/* One file again, after its fixes were applied (cli_fix). */
static void check_file(cli_run *run, uint32_t file, ssmc_diags *diags)
{
    check_files(run, &file, 1, diags);
}

/* -j N: a positive count, at most MAX_JOBS. */
static bool parse_jobs(const char *s, size_t *jobs)
{
    if (!s) {
        *jobs = 1;
        return true;
    }
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > MAX_JOBS)
        return false;
    *jobs = (size_t)v;
    return true;
}

int cmd_check(int argc, char **argv)
{
    cli_run run;
    jobs_arg = NULL;
    verbose = classify = false;
    fix_flag = false;
    int new_argc;
    /* --format diff: the fixes as a patch; other values are the findings'. */
    static const char *const diff_format[] = {"diff", NULL};
    bool diff = cli_take_format(argc, argv, diff_format, &new_argc) != NULL;
    int rc = cli_begin(&run, &command, new_argc, argv);
    if (rc != CLI_CONTINUE) {
        if (rc == EXIT_TROUBLE)
            cli_report(&run, stdout);
        cli_assoc_release(&assoc);
        cli_end(&run);
        return rc;
    }
    size_t jobs = 1;
    if (!parse_jobs(jobs_arg, &jobs)) {
        rc = cli_usage_error(&run, "-j/--jobs wants a number of workers from 1 to %d, not '%s'",
                             MAX_JOBS, jobs_arg);
        cli_assoc_release(&assoc);
        cli_end(&run);
        return rc;
    }
    if (fix_flag || diff) {
        const char *why = NULL;
        for (size_t i = 0; i < run.opts.path_count && !why; i++)
            if (strcmp(run.opts.paths[i], "-") == 0 && !diff)
                why = "--fix cannot write back to standard input; use --format diff";
        if (fix_flag && diff)
            why = "--fix writes the files and --format diff only shows the changes: choose one";
        if (diff && run.opts.output)
            why = "--format diff writes the patch to standard output; -o is not used with it";
        if (why) {
            rc = cli_usage_error(&run, "%s", why);
            cli_assoc_release(&assoc);
            cli_end(&run);
            return rc;
        }
    }
    run.classify_files = classify;
    run.lazy_inputs = true;
    keep_sources = fix_flag || diff;
    cli_read_inputs(&run);
    cli_pair_twins(&run);
    if ((rc = cli_check_output(&run)) != CLI_CONTINUE) {
        cli_assoc_release(&assoc);
        cli_end(&run);
        return rc;
    }
    cli_assoc_apply(&run, &assoc);
    if (jobs > run.input_count)
        jobs = run.input_count;
    if (jobs <= 1)
        check_inputs(&run);
    else if (!check_parallel(&run, jobs))
        run.trouble = true;
    if (verbose) {
        for (size_t i = 0; i < run.skipped_count; i++)
            fprintf(stderr, "ssmc check: skipped %s: not an SSM document, template or Terraform file\n",
                    run.skipped[i]);
        for (size_t i = 0; i + 1 < run.generated_count; i += 2)
            fprintf(stderr, "ssmc check: skipped %s: what ssmc compile writes for %s, which is "
                    "checked\n", run.generated[i], run.generated[i + 1]);
    }
    if (fix_flag || diff) {
        bool changed = false;
        if (cli_fix(&run, check_file, diff ? stdout : NULL, &changed) == EXIT_TROUBLE)
            run.trouble = true;
        if (diff) {
            /* The patch is the output; the exit status is the check's of the
             * files as they are. */
            rc = cli_exit_code(&run);
            if (fflush(stdout) != 0 || ferror(stdout))
                rc = EXIT_TROUBLE;
            cli_assoc_release(&assoc);
            cli_end(&run);
            return rc;
        }
    }
    /* -o FILE: the report goes to FILE instead of stdout, written whole to
     * a temporary file and renamed over FILE, so that a failure half-way
     * (a full disk) leaves the previous report as it was. */
    if (run.opts.output && strcmp(run.opts.output, "-") != 0) {
        char *report = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&report, &len);
        if (!out)
            ssmc_out_of_memory();
        rc = cli_report(&run, out);
        if (fclose(out) != 0)
            ssmc_out_of_memory();
        char *error = NULL;
        if (!atomic_write_file(run.opts.output, report, len, &error)) {
            fprintf(stderr, "ssmc check: %s\n", error);
            rc = EXIT_TROUBLE;
        }
        free(error);
        free(report);
    } else {
        rc = cli_report(&run, stdout);
    }
    cli_assoc_release(&assoc);
    cli_end(&run);
    return rc;
}
