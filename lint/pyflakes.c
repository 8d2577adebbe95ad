/* pyflakes.c — pyflakes over every aws:executeScript Python script of the
 * run, in few processes (lint/extproc.c runs them, as for ShellCheck).
 *
 * Each script is written with its {{ }} references replaced by as many X's
 * (lines and columns stay where they were) to one temporary directory, and
 * the files go to one `pyflakes FILE...` call (two when there are many).
 * pyflakes prints "FILE:LINE:COL: message" on stdout for its findings and a
 * compile error on stderr the same way, followed by the source line and a
 * caret. The column of a compile error counts characters; the other
 * columns are Python's col_offset + 1, which counts UTF-8 bytes.
 *
 * Each script's answer is reduced to a payload, one line per finding
 * "KIND LINE COL message" (KIND e: compile error, w: other), which is what
 * the checker cache (compiler/checker_cache.c) keeps, keyed by pyflakes'
 * binary and version and the exact bytes it reads; a cached answer and a
 * fresh one go through the same payload_findings, so they are byte for
 * byte the same findings. */
#include "checker_cache.h"
#include "lint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

size_t pyflakes_processes;
int pyflakes_timeout_ms = 120 * 1000;

#define MAX_FILES_PER_CALL 400

typedef struct pjob {
    extproc proc;        /* first: the process runner hands it back */
    size_t *members;     /* script indexes */
    size_t nmembers;
} pjob;

typedef struct pctx {
    lint_script *scripts;
    const char *dir;
    ssmc_diags *diags;
    buf *payload;        /* per script: its findings as payload lines */
    bool *answered;      /* per script: payload holds pyflakes' whole answer */
} pctx;

static bool is_reference(const ref_token *t)
{
    return t->kind != REF_OTHER;
}

static char *python_text(const lint_script *sc)
{
    char *copy = xmalloc(sc->text.len + 1);
    memcpy(copy, sc->text.data, sc->text.len);
    copy[sc->text.len] = '\0';
    for (size_t i = 0; i < sc->ref_count; i++) {
        if (!is_reference(&sc->refs[i].token))
            continue;
        for (size_t k = sc->refs[i].token.start; k < sc->refs[i].token.end; k++)
            if (copy[k] != '\n')
                copy[k] = 'X';
    }
    return copy;
}

static bool in_reference(const lint_script *sc, size_t a)
{
    for (size_t i = 0; i < sc->ref_count; i++)
        if (is_reference(&sc->refs[i].token) && a >= sc->refs[i].token.start &&
            a < sc->refs[i].token.end)
            return true;
    return false;
}

static bool unused_kind(const char *msg)
{
    return strstr(msg, "imported but unused") || strstr(msg, "assigned to but never used") ||
           strstr(msg, "redefinition of unused");
}

/* One output line "DIR/pN.py:LINE[:COL]: message": a payload line of
 * script N. */
static void take_line(pctx *pc, const pjob *jb, const char *line, size_t len, bool compile_error)
{
    size_t dirlen = strlen(pc->dir);
    if (len <= dirlen + 2 || strncmp(line, pc->dir, dirlen) != 0 || line[dirlen] != '/' ||
        line[dirlen + 1] != 'p')
        return;
    char *copy = xstrndup(line, len);
    char *endp;
    unsigned long si = strtoul(copy + dirlen + 2, &endp, 10);
    long ln = 0, col = 1;
    const char *msg = NULL;
    if (strncmp(endp, ".py:", 4) == 0) {
        ln = strtol(endp + 4, &endp, 10);
        if (*endp == ':' && endp[1] >= '0' && endp[1] <= '9')
            col = strtol(endp + 1, &endp, 10);
        if (*endp == ':')
            msg = endp + 1 + (endp[1] == ' ');
    }
    bool member = false;
    for (size_t m = 0; m < jb->nmembers && !member; m++)
        member = jb->members[m] == si;
    if (msg && member && ln >= 1)
        buf_printf(&pc->payload[si], "%c %ld %ld %s\n", compile_error ? 'e' : 'w', ln,
                   col < 1 ? 1 : col, msg);
    free(copy);
}

/* The findings of one script's payload, at their places in the document. */
static void payload_findings(const lint_script *sc, const char *payload, ssmc_diags *diags)
{
    const char *p = payload;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, len);
        char *endp;
        char kind = line[0];
        long ln = len > 2 ? strtol(line + 2, &endp, 10) : 0;
        long col = ln > 0 && *endp == ' ' ? strtol(endp + 1, &endp, 10) : 0;
        if ((kind == 'e' || kind == 'w') && ln >= 1 && col >= 1 && *endp == ' ') {
            const char *msg = endp + 1;
            bool compile_error = kind == 'e';
            size_t a = script_offset(sc, ln, col, compile_error);
            if (!in_reference(sc, a)) {
                size_t b = a < sc->text.len && sc->text.data[a] != '\n' ? a + 1 : a;
                ssmc_rule rule = compile_error      ? SSMC_RULE_SSM8069
                                 : unused_kind(msg) ? SSMC_RULE_SSM8071
                                                    : SSMC_RULE_SSM8070;
                ssmc_diag_add(diags, rule, sc->file, script_span(sc, a, b), "%s%s",
                              compile_error ? "Python does not compile this script: " : "", msg);
            }
        }
        free(line);
        p += len + (nl != NULL);
    }
}

static void take_stream(pctx *pc, const pjob *jb, const buf *b, bool compile_error)
{
    const char *s = b->data ? b->data : "";
    size_t len = b->len, i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        take_line(pc, jb, s + i, e - i, compile_error);
        i = e + 1;
    }
}

static void job_done(extproc *p, void *user)
{
    pctx *pc = user;
    pjob *jb = (pjob *)p;
    bool failed = !p->started_ok || p->timed_out || p->truncated || !WIFEXITED(p->status) ||
                  WEXITSTATUS(p->status) > 1;
    if (failed) {
        const lint_script *first = &pc->scripts[jb->members[0]];
        char why[300];
        extproc_describe_failure(p, pyflakes_timeout_ms, why, sizeof why);
        ssmc_diag_add(pc->diags, SSMC_RULE_SSM8068, first->file, first->anchor_span,
                      "pyflakes %s; %zu script(s) of this run were not checked by it", why,
                      jb->nmembers);
        return;
    }
    take_stream(pc, jb, &p->out_buf, false);
    take_stream(pc, jb, &p->err_buf, true);
    for (size_t m = 0; m < jb->nmembers; m++)
        pc->answered[jb->members[m]] = true;
}

void pyflakes_run(lint_script *scripts, size_t count, const ssmc_config *config,
                  ssmc_diags *diags)
{
    const char *setting = config && config->pyflakes ? config->pyflakes : "auto";
    if (strcmp(setting, "off") == 0)
        return;
    size_t first = count, n = 0;
    for (size_t i = 0; i < count; i++)
        if (scripts[i].lang == SCRIPT_PYTHON) {
            if (first == count)
                first = i;
            n++;
        }
    if (!n)
        return;
    const lint_script *f = &scripts[first];
    char *prog = NULL;
    if (strcmp(setting, "auto") == 0) {
        /* Debian's python3-pyflakes installs pyflakes3. */
        prog = look_path("pyflakes3");
        if (!prog)
            prog = look_path("pyflakes");
        if (!prog) {
            ssmc_diag_add(diags, SSMC_RULE_SSM8066, f->file, f->anchor_span,
                          "pyflakes is not installed (neither pyflakes3 nor pyflakes on PATH), "
                          "so aws:executeScript Python got only ssmc's own checks; install "
                          "python3-pyflakes or pass --pyflakes=off");
            return;
        }
    } else {
        if (!extproc_executable(setting)) {
            ssmc_diag_add(diags, SSMC_RULE_SSM8067, f->file, f->anchor_span, "--pyflakes=%s: %s",
                          setting,
                          access(setting, F_OK) == 0 ? "not an executable file" : "no such file");
            return;
        }
        prog = xstrdup(setting);
    }
    checker_cache *cache = NULL;
    if (!config || !config->no_cache)
        cache = checker_cache_open("pyflakes", prog, "", pyflakes_timeout_ms);
    buf *payload = xcalloc(count, sizeof *payload);
    bool *answered = xcalloc(count, sizeof *answered);
    char (*keys)[65] = cache ? xcalloc(count, sizeof *keys) : NULL;
    size_t *written = xmalloc(n * sizeof *written), nw = 0;
    /* A text that recurs is hashed and checked once: rep[i] is the first
     * script with script i's text (SIZE_MAX: not Python), whose answer
     * serves every copy at its own place. */
    size_t *rep = xmalloc(count * sizeof *rep), *first_of = xmalloc(n * sizeof *first_of);
    char **texts = xcalloc(count, sizeof *texts); /* the first scripts' texts */
    size_t nfirst = 0;
    checker_inputs distinct;
    checker_inputs_init(&distinct);
    char *dir = NULL;
    for (size_t i = 0; i < count; i++) {
        rep[i] = SIZE_MAX;
        if (scripts[i].lang != SCRIPT_PYTHON)
            continue;
        char *text = python_text(&scripts[i]);
        size_t k = checker_inputs_add(&distinct, "python", text, scripts[i].text.len);
        if (k < nfirst) {
            rep[i] = first_of[k];
            free(text);
            continue;
        }
        first_of[nfirst++] = rep[i] = i;
        texts[i] = text;
        if (cache) {
            checker_cache_key(cache, "python", text, scripts[i].text.len, keys[i]);
            if (checker_cache_get(cache, keys[i], &payload[i])) {
                answered[i] = true;
                continue;
            }
        }
        if (!dir) {
            const char *tmp = getenv("TMPDIR");
            dir = xasprintf("%s/ssmc-pyflakes-XXXXXX", tmp && *tmp ? tmp : "/tmp");
            if (!mkdtemp(dir)) {
                ssmc_diag_add(diags, SSMC_RULE_SSM8068, f->file, f->anchor_span,
                              "could not create a temporary directory for pyflakes (%s): %s", dir,
                              strerror(errno));
                free(dir);
                dir = NULL;
                break;
            }
        }
        char *path = xasprintf("%s/p%zu.py", dir, i);
        FILE *fp = fopen(path, "wb");
        bool ok = fp && fwrite(text, 1, scripts[i].text.len, fp) == scripts[i].text.len;
        if (fp && fclose(fp) != 0)
            ok = false;
        free(path);
        if (ok)
            written[nw++] = i;
    }
    checker_inputs_free(&distinct);
    for (size_t i = 0; i < count; i++)
        free(texts[i]);
    free(texts);
    free(first_of);
    /* Two calls when there is enough to keep two processes busy, balanced
     * by bytes (scripts differ in size a hundredfold): each call's members
     * are contiguous in `grouped`. */
    size_t parts = nw >= 8 ? 2 : 1;
    while (parts && (nw + parts - 1) / parts > MAX_FILES_PER_CALL)
        parts++;
    size_t *sizes = xmalloc((nw ? nw : 1) * sizeof *sizes);
    size_t *part_of = xmalloc((nw ? nw : 1) * sizeof *part_of);
    for (size_t w = 0; w < nw; w++)
        sizes[w] = scripts[written[w]].text.len;
    size_t *order = extproc_balance(sizes, nw, parts, MAX_FILES_PER_CALL, part_of);
    size_t *grouped = xmalloc((nw ? nw : 1) * sizeof *grouped);
    pjob *jobs = xcalloc(parts, sizeof *jobs);
    extproc **procs = xcalloc(parts, sizeof *procs);
    size_t njobs = 0;
    for (size_t p = 0, at = 0; p < parts; p++) {
        size_t take = 0;
        for (size_t k = 0; k < nw; k++)
            if (part_of[order[k]] == p)
                grouped[at + take++] = written[order[k]];
        if (!take)
            continue;
        pjob *jb = &jobs[njobs];
        jb->members = grouped + at;
        jb->nmembers = take;
        jb->proc.argv = xcalloc(take + 2, sizeof *jb->proc.argv);
        jb->proc.argv[0] = xstrdup(prog);
        for (size_t m = 0; m < take; m++)
            jb->proc.argv[m + 1] = xasprintf("%s/p%zu.py", dir, grouped[at + m]);
        procs[njobs++] = &jb->proc;
        at += take;
    }
    free(sizes);
    free(part_of);
    free(order);
    pctx pc = {scripts, dir, diags, payload, answered};
    if (njobs)
        pyflakes_processes += extproc_run(procs, njobs, pyflakes_timeout_ms, NULL, job_done, &pc);
    for (size_t j = 0; j < njobs; j++) {
        for (size_t a = 0; jobs[j].proc.argv[a]; a++)
            free(jobs[j].proc.argv[a]);
        free(jobs[j].proc.argv);
        extproc_free(&jobs[j].proc);
    }
    /* Fresh answers into the cache (a failed call's are not answers). */
    for (size_t w = 0; w < nw; w++) {
        size_t i = written[w];
        if (cache && answered[i])
            checker_cache_put(cache, keys[i], payload[i].data ? payload[i].data : "",
                              payload[i].len);
        char *path = xasprintf("%s/p%zu.py", dir, i);
        unlink(path);
        free(path);
    }
    for (size_t i = 0; i < count; i++) {
        size_t r = rep[i];
        if (r != SIZE_MAX && answered[r])
            payload_findings(&scripts[i], payload[r].data ? payload[r].data : "", diags);
    }
    for (size_t i = 0; i < count; i++)
        buf_free(&payload[i]);
    free(rep);
    if (dir)
        rmdir(dir);
    checker_cache_close(cache);
    free(keys);
    free(payload);
    free(answered);
    free(jobs);
    free(procs);
    free(grouped);
    free(written);
    free(dir);
    free(prog);
}
