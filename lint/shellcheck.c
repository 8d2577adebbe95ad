/* shellcheck.c — ShellCheck over every shell script of the run, in as few
 * processes as possible, and each distinct script at most once.
 *
 * Each script is turned into the text ShellCheck reads (its {{ }} tokens
 * replaced by as many X's, so lines and columns stay where they were).
 * Scripts whose text and dialect are the same are one job: ShellCheck sees
 * it once and every copy gets the findings. A job whose answer is in the
 * result cache (compiler/checker_cache.c) starts nothing; the others are
 * written to one temporary directory and cut into
 * `shellcheck -f json1 -s DIALECT FILE...` calls of about equal bytes.
 * The calls run through lint/extproc.c (no shell, two at a time, a call
 * past its time killed). Every answer, fresh or cached, is reduced to one JSON array of
 * comments per distinct script, and findings are read only from that
 * text, so a cached finding is the fresh one byte for byte. json1 counts a
 * tab as one column, as we do. */
#include "checker_cache.h"
#include "emit.h"
#include "lint.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

size_t shellcheck_processes;
int shellcheck_timeout_ms = 120 * 1000;

#define MAX_PARALLEL 2
#define MAX_FILES_PER_CALL 400

typedef struct job {
    extproc proc;        /* first: the process runner hands it back */
    size_t *members;     /* indexes of distinct scripts */
    size_t nmembers;
    size_t bytes;        /* their text, the measure of the call's work */
} job;

/* The dialect from the shebang: "sh" when there is none (the agent runs
 * `sh -c`), NULL when the script is not a shell script at all. */
static const char *dialect_of(const lint_script *sc)
{
    const char *s = sc->text.data;
    if (sc->text.len < 2 || s[0] != '#' || s[1] != '!')
        return "sh";
    const char *e = memchr(s, '\n', sc->text.len);
    size_t n = e ? (size_t)(e - s) : sc->text.len;
    char line[256];
    if (n >= sizeof line)
        n = sizeof line - 1;
    memcpy(line, s + 2, n - 2);
    line[n - 2] = '\0';
    /* The interpreter's base name, looking through `env [-S]`. */
    char *tok = strtok(line, " \t\r");
    while (tok) {
        char *base = strrchr(tok, '/');
        base = base ? base + 1 : tok;
        if (strcmp(base, "env") != 0 && base[0] != '-') {
            static const char *const shells[] = {"sh", "bash", "dash", "ksh", "busybox", NULL};
            for (size_t i = 0; shells[i]; i++)
                if (strcmp(base, shells[i]) == 0)
                    return strcmp(base, "busybox") == 0 ? "sh" : shells[i];
            if (strcmp(base, "zsh") == 0 || strcmp(base, "mksh") == 0)
                return strcmp(base, "mksh") == 0 ? "ksh" : NULL;
            return NULL;
        }
        tok = strtok(NULL, " \t\r");
    }
    return "sh";
}

/* The bytes ShellCheck reads for this script (malloc'd, sc->text.len). */
static char *checker_text(const lint_script *sc)
{
    char *copy = xmalloc(sc->text.len + 1);
    memcpy(copy, sc->text.data, sc->text.len);
    if (sc->ref_count == 0)
        return copy;
    shell_lex lex;
    shell_lex_run(sc->text.data, sc->text.len, false, &lex, NULL);
    for (size_t i = 0; i < sc->ref_count; i++) {
        size_t a = sc->refs[i].token.start, b = sc->refs[i].token.end;
        bool multiline = memchr(copy + a, '\n', b - a) != NULL;
        /* Outside single quotes the value is unknown text: a variable of
         * the same length says so to ShellCheck (a run of X's would make
         * `[ -z "{{ p }}" ]` a constant test). What that variable itself
         * draws (SC2086, SC2154) is dropped at the placeholder. */
        unsigned char kind = lex.kind[a];
        bool as_var = !multiline && b - a >= 4 && kind != SHLEX_SQUOTE && kind != SHLEX_COMMENT &&
                      kind != SHLEX_HEREDOC;
        for (size_t k = a; k < b; k++)
            if (copy[k] != '\n')
                copy[k] = 'X';
        if (as_var) {
            copy[a] = '$';
            copy[a + 1] = '{';
            copy[b - 1] = '}';
        }
    }
    shell_lex_free(&lex);
    return copy;
}

static bool write_text(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(text, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    return ok;
}

static ssmc_span anchor_span(const lint_script *sc) { return sc->anchor_span; }

static bool inside_placeholder(const lint_script *sc, size_t a, size_t b)
{
    for (size_t i = 0; i < sc->ref_count; i++)
        if (a >= sc->refs[i].token.start && b <= sc->refs[i].token.end)
            return true;
    return false;
}

/* "Constant test" findings that a placeholder in single quotes causes:
 * `[ -z '{{ p }}' ]` is constant only in the copy ShellCheck sees. */
static bool constant_test(long code)
{
    return code == 2050 || code == 2078 || code == 2157 || code == 2193 || code == 2194 ||
           code == 2070;
}

/* SC2154 "NAME is referenced but not assigned." on a variable the agent
 * sets for an ENV_VAR parameter. */
static bool agent_sets(const lint_script *sc, long code, const char *msg)
{
    if (code != 2154 || !msg)
        return false;
    size_t n = strcspn(msg, " ");
    for (size_t i = 0; i < sc->agent_var_count; i++)
        if (strlen(sc->agent_vars[i]) == n && memcmp(sc->agent_vars[i], msg, n) == 0)
            return true;
    return false;
}

static bool overlaps_placeholder(const lint_script *sc, size_t a, size_t b)
{
    for (size_t i = 0; i < sc->ref_count; i++)
        if (a < sc->refs[i].token.end && sc->refs[i].token.start < b)
            return true;
    return false;
}

/* One distinct script text of one dialect: checked once, its answer
 * shared by every script with that text. */
typedef struct unique {
    char key[65];      /* its cache key, when there is a cache */
    const char *dialect;
    char *text;        /* what ShellCheck reads; freed once written */
    size_t len;
    size_t first;      /* its first script */
    size_t copies;     /* scripts with this text */
    json_t *comments;  /* while a job runs: its comments */
    char *payload;     /* the answer: a JSON array of json1 comments */
} unique;

/* Splits one job's json1 output into its members' answers; reports a call
 * that failed. A failed call's answers are not cached. */
static void take_output(unique *uniq, lint_script *scripts, const char *dir, job *jb,
                        checker_cache *cache, ssmc_diags *diags)
{
    json_error_t err;
    const extproc *p = &jb->proc;
    json_t *root = p->started_ok ? json_loadb(p->out_buf.data ? p->out_buf.data : "",
                                              p->out_buf.len, 0, &err)
                                 : NULL;
    json_t *comments = root ? json_object_get(root, "comments") : NULL;
    bool failed = !p->started_ok || p->timed_out || p->truncated || !json_is_array(comments) ||
                  !WIFEXITED(p->status) || WEXITSTATUS(p->status) > 1;
    if (failed) {
        const lint_script *first = &scripts[uniq[jb->members[0]].first];
        size_t n = 0;
        for (size_t m = 0; m < jb->nmembers; m++)
            n += uniq[jb->members[m]].copies;
        char why[300];
        extproc_describe_failure(p, shellcheck_timeout_ms, why, sizeof why);
        ssmc_diag_add(diags, SSMC_RULE_SSM5023, first->file, anchor_span(first),
                      "ShellCheck %s; %zu script(s) of this run were not checked by it", why, n);
    }
    for (size_t m = 0; m < jb->nmembers; m++)
        uniq[jb->members[m]].comments = json_array();
    size_t dirlen = strlen(dir);
    size_t idx;
    json_t *c;
    if (json_is_array(comments)) {
        json_array_foreach(comments, idx, c) {
            const char *file = json_string_value(json_object_get(c, "file"));
            if (!file || strncmp(file, dir, dirlen) != 0 || file[dirlen] != '/' ||
                file[dirlen + 1] != 'u')
                continue;
            char *endp;
            unsigned long ui = strtoul(file + dirlen + 2, &endp, 10);
            if (strcmp(endp, ".sh") != 0)
                continue;
            bool member = false;
            for (size_t m = 0; m < jb->nmembers && !member; m++)
                member = jb->members[m] == ui;
            if (!member)
                continue;
            /* The temporary file's name is no part of the answer. */
            json_object_del(c, "file");
            json_array_append(uniq[ui].comments, c);
        }
    }
    for (size_t m = 0; m < jb->nmembers; m++) {
        unique *u = &uniq[jb->members[m]];
        u->payload = json_dumps(u->comments, JSON_COMPACT);
        json_decref(u->comments);
        u->comments = NULL;
        if (!u->payload)
            u->payload = xstrdup("[]");
        if (cache && !failed)
            checker_cache_put(cache, u->key, u->payload, strlen(u->payload));
    }
    json_decref(root);
}

/* The findings of one script from its answer. */
static void add_findings(lint_script *sc, const char *payload, ssmc_diags *diags)
{
    json_error_t err;
    json_t *comments = json_loads(payload, 0, &err);
    size_t idx;
    json_t *c;
    json_array_foreach(comments, idx, c) {
        long line = (long)json_integer_value(json_object_get(c, "line"));
        long col = (long)json_integer_value(json_object_get(c, "column"));
        long eline = (long)json_integer_value(json_object_get(c, "endLine"));
        long ecol = (long)json_integer_value(json_object_get(c, "endColumn"));
        long code = (long)json_integer_value(json_object_get(c, "code"));
        const char *level = json_string_value(json_object_get(c, "level"));
        const char *msg = json_string_value(json_object_get(c, "message"));
        if (line < 1 || col < 1)
            continue;
        size_t a = script_offset(sc, line, col, true);
        size_t b = eline >= line ? script_offset(sc, eline, ecol, true) : a + 1;
        if (b <= a)
            b = a + 1;
        /* What the X's stand in for is not the script's fault. */
        if (inside_placeholder(sc, a, b) ||
            (constant_test(code) && overlaps_placeholder(sc, a, b)) || agent_sets(sc, code, msg))
            continue;
        ssmc_diag *d = ssmc_diag_add(diags, SSMC_RULE_EXTERNAL, sc->file, script_span(sc, a, b),
                                     "%s", msg ? msg : "(no message)");
        d->external_rule = xasprintf("SC%ld", code);
        /* An ssmc error means AWS rejects the document or the agent fails
         * running it. ShellCheck's "error" level is a strong heuristic, not
         * that: on AWS-managed documents it flags a data block after `exit`
         * (AWS-ApplyChefRecipes), a space before a #!/bin/sh that changes
         * nothing (AmazonCloudWatch-ManageAgent), an array-in-[[ ]] idiom
         * that works (AWSFIS-Run-Network-*). So its errors and warnings are
         * our warnings (which --strict still fails on); info and style are
         * info. */
        d->severity = level && (strcmp(level, "error") == 0 || strcmp(level, "warning") == 0)
                          ? SSMC_SEV_WARNING
                          : SSMC_SEV_INFO;
    }
    json_decref(comments);
}

/* shellcheck -f json1 -s DIALECT [OPTIONS] FILE...; the strings are owned
 * by argv_free. */
static char **job_argv(const job *jb, const char *prog, const char *dialect, const char *options,
                       const char *dir)
{
    char *opts = options ? xstrdup(options) : NULL;
    size_t argc = 0, cap = jb->nmembers + 72;
    char **argv = xcalloc(cap, sizeof *argv);
    argv[argc++] = xstrdup(prog);
    argv[argc++] = xstrdup("-f");
    argv[argc++] = xstrdup("json1");
    argv[argc++] = xstrdup("-s");
    argv[argc++] = xstrdup(dialect);
    for (char *t = opts ? strtok(opts, " \t") : NULL; t && argc < 64; t = strtok(NULL, " \t"))
        argv[argc++] = xstrdup(t);
    for (size_t m = 0; m < jb->nmembers; m++)
        argv[argc++] = xasprintf("%s/u%zu.sh", dir, jb->members[m]);
    argv[argc] = NULL;
    free(opts);
    return argv;
}

static void argv_free(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}

typedef struct run_ctx {
    unique *uniq;
    lint_script *scripts;
    const char *dir;
    checker_cache *cache;
    ssmc_diags *diags;
} run_ctx;

static void job_done(extproc *p, void *user)
{
    run_ctx *rc = user;
    take_output(rc->uniq, rc->scripts, rc->dir, (job *)p, rc->cache, rc->diags);
}

/* Ctrl-C (or SIGTERM, SIGHUP) while ShellCheck runs: the jobs are killed
 * and the scratch directory removed before the signal takes its course
 * (issue 18: nothing left behind in $TMPDIR). */
static volatile sig_atomic_t stop_signal;
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define N_STOP_SIGNALS (sizeof stop_signals / sizeof *stop_signals)

static void on_stop_signal(int sig) { stop_signal = sig; }

static void catch_stop_signals(struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    stop_signal = 0;
    for (size_t i = 0; i < N_STOP_SIGNALS; i++) {
        sigaction(stop_signals[i], NULL, &old[i]);
        if (old[i].sa_handler != SIG_IGN) /* nohup and background jobs keep ignoring */
            sigaction(stop_signals[i], &sa, NULL);
    }
}

/* Puts the caller's handlers back, then delivers a signal that arrived. */
static void release_stop_signals(const struct sigaction *old)
{
    for (size_t i = 0; i < N_STOP_SIGNALS; i++)
        sigaction(stop_signals[i], &old[i], NULL);
    if (stop_signal)
        raise(stop_signal);
}

/* Runs the jobs, two at a time (lint/extproc.c); a stop signal kills them. */
static void run_jobs(job *jobs, size_t njobs, const char *prog, const char *options,
                     const char *dir, unique *uniq, lint_script *scripts, checker_cache *cache,
                     ssmc_diags *diags)
{
    extproc **procs = xcalloc(njobs, sizeof *procs);
    for (size_t j = 0; j < njobs; j++) {
        jobs[j].proc.argv = job_argv(&jobs[j], prog, uniq[jobs[j].members[0]].dialect, options, dir);
        procs[j] = &jobs[j].proc;
    }
    run_ctx rc = {uniq, scripts, dir, cache, diags};
    shellcheck_processes +=
        extproc_run(procs, njobs, shellcheck_timeout_ms, &stop_signal, job_done, &rc);
    for (size_t j = 0; j < njobs; j++) {
        argv_free(jobs[j].proc.argv);
        jobs[j].proc.argv = NULL;
    }
    free(procs);
}

static int more_bytes_first(const void *a, const void *b)
{
    const job *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    return x->members[0] < y->members[0] ? -1 : x->members[0] > y->members[0];
}

/* Cuts the pending distinct scripts of one dialect into calls of about
 * equal bytes (longest first into the lightest call), at most
 * MAX_FILES_PER_CALL each; two calls when there is enough work to keep two
 * processes busy. */
static void plan_jobs(unique *uniq, size_t *pending, size_t n, job **jobs, size_t *njobs)
{
    if (n == 0)
        return;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += uniq[pending[i]].len;
    /* A ShellCheck start costs a few ms; a script of some KB costs it tens. */
    size_t parts = n >= 2 && (n >= 8 || total >= 16384) ? MAX_PARALLEL : 1;
    if (parts < (n + MAX_FILES_PER_CALL - 1) / MAX_FILES_PER_CALL)
        parts = (n + MAX_FILES_PER_CALL - 1) / MAX_FILES_PER_CALL;
    size_t *sizes = xmalloc(n * sizeof *sizes), *part_of = xmalloc(n * sizeof *part_of);
    for (size_t i = 0; i < n; i++)
        sizes[i] = uniq[pending[i]].len;
    size_t *order = extproc_balance(sizes, n, parts, MAX_FILES_PER_CALL, part_of);
    size_t base = *njobs;
    *jobs = xrealloc(*jobs, (base + parts) * sizeof **jobs);
    for (size_t p = 0; p < parts; p++) {
        memset(&(*jobs)[base + p], 0, sizeof **jobs);
        (*jobs)[base + p].members = xmalloc(MAX_FILES_PER_CALL * sizeof(size_t));
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        job *jb = &(*jobs)[base + part_of[i]];
        jb->members[jb->nmembers++] = pending[i];
        jb->bytes += sizes[i] + 1;
    }
    free(sizes);
    free(part_of);
    free(order);
    for (size_t p = 0; p < parts; p++)
        if ((*jobs)[base + p].nmembers)
            (*jobs)[(*njobs)++] = (*jobs)[base + p];
        else
            free((*jobs)[base + p].members);
}

/* The options as the cache key sees them: the command-line options plus
 * every shellcheckrc ShellCheck may read for a script in our temporary
 * directory (it looks upward from the script, then in the home and XDG
 * config directories), so editing one is not answered from the cache. */
static char *options_with_rc(const char *options)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, options ? options : "");
    const char *tmp = getenv("TMPDIR"), *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
    char *paths[16] = {0};
    size_t n = 0;
    /* Upward from the temporary directory's parent. */
    char *dir = xstrdup(tmp && *tmp ? tmp : "/tmp");
    for (;;) {
        if (n < 14)
            paths[n++] = xasprintf("%s/.shellcheckrc", *dir ? dir : "");
        char *slash = strrchr(dir, '/');
        if (!slash || !*dir)
            break;
        *slash = '\0';
    }
    free(dir);
    if (home && *home)
        paths[n++] = xasprintf("%s/.shellcheckrc", home);
    if (xdg && *xdg)
        paths[n++] = xasprintf("%s/shellcheckrc", xdg);
    else if (home && *home)
        paths[n++] = xasprintf("%s/.config/shellcheckrc", home);
    for (size_t i = 0; i < n; i++) {
        FILE *f = fopen(paths[i], "rb");
        if (f) {
            buf_printf(&b, "\n%s\n", paths[i]);
            char chunk[4096];
            size_t got;
            while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1u << 20))
                buf_add(&b, chunk, got);
            fclose(f);
        }
        free(paths[i]);
    }
    return buf_steal(&b);
}

void shellcheck_run(lint_script *scripts, size_t count, const ssmc_config *config,
                    ssmc_diags *diags)
{
    const char *setting = config && config->shellcheck ? config->shellcheck : "auto";
    if (strcmp(setting, "off") == 0)
        return;
    struct sigaction old_actions[N_STOP_SIGNALS];
    bool caught = false;
    size_t first = count;
    for (size_t i = 0; i < count && first == count; i++)
        if (scripts[i].lang == SCRIPT_SHELL)
            first = i;
    if (first == count)
        return;
    char *prog = NULL;
    if (strcmp(setting, "auto") == 0) {
        prog = look_path("shellcheck");
        if (!prog) {
            ssmc_diag_add(diags, SSMC_RULE_SSM5021, scripts[first].file,
                          anchor_span(&scripts[first]),
                          "ShellCheck is not installed (not found on PATH), so shell scripts "
                          "got only ssmc's own checks; install shellcheck or pass "
                          "--shellcheck=off");
            return;
        }
    } else {
        if (!extproc_executable(setting)) {
            ssmc_diag_add(diags, SSMC_RULE_SSM5022, scripts[first].file,
                          anchor_span(&scripts[first]),
                          "--shellcheck=%s: %s", setting,
                          access(setting, F_OK) == 0 ? "not an executable file"
                                                     : "no such file");
            return;
        }
        prog = xstrdup(setting);
    }
    const char *options = config ? config->shellcheck_options : NULL;
    checker_cache *cache = NULL;
    if (!config || !config->no_cache) {
        char *key_options = options_with_rc(options);
        cache = checker_cache_open("shellcheck", prog, key_options, shellcheck_timeout_ms);
        free(key_options);
    }

    /* One entry per distinct (dialect, text): a copy is hashed and
     * checked once. uniq[k] is input k of the set. */
    unique *uniq = NULL;
    size_t nuniq = 0, ucap = 0;
    size_t *of = xmalloc(count * sizeof *of); /* script -> its unique, or SIZE_MAX */
    checker_inputs distinct;
    checker_inputs_init(&distinct);
    for (size_t i = 0; i < count; i++) {
        of[i] = SIZE_MAX;
        if (scripts[i].lang != SCRIPT_SHELL)
            continue;
        const char *d = dialect_of(&scripts[i]);
        if (!d)
            continue;
        char *text = checker_text(&scripts[i]);
        size_t k = checker_inputs_add(&distinct, d, text, scripts[i].text.len);
        if (k < nuniq) {
            of[i] = k;
            uniq[k].copies++;
            free(text);
            continue;
        }
        GROW(uniq, ucap, nuniq + 1);
        unique *u = &uniq[nuniq];
        memset(u, 0, sizeof *u);
        if (cache)
            checker_cache_key(cache, d, text, scripts[i].text.len, u->key);
        u->dialect = d;
        u->text = text;
        u->len = scripts[i].text.len;
        u->first = i;
        u->copies = 1;
        of[i] = nuniq++;
    }
    /* The texts are freed below as they are written: the set goes first. */
    checker_inputs_free(&distinct);

    /* Answers from the cache; the rest go to ShellCheck. */
    static const char *const dialect_names[] = {"sh", "bash", "dash", "ksh"};
    enum { NDIALECTS = 4 };
    size_t *pending[NDIALECTS] = {0};
    size_t npending[NDIALECTS] = {0};
    char *dir = NULL;
    buf hit;
    buf_init(&hit);
    for (size_t k = 0; k < nuniq; k++) {
        unique *u = &uniq[k];
        hit.len = 0;
        if (cache && checker_cache_get(cache, u->key, &hit)) {
            buf_addc(&hit, '\0');
            u->payload = xstrdup(hit.data);
            free(u->text);
            u->text = NULL;
            continue;
        }
        if (!dir) {
            catch_stop_signals(old_actions);
            caught = true;
            const char *tmp = getenv("TMPDIR");
            dir = xasprintf("%s/ssmc-shellcheck-XXXXXX", tmp && *tmp ? tmp : "/tmp");
            if (!mkdtemp(dir)) {
                const lint_script *f = &scripts[u->first];
                ssmc_diag_add(diags, SSMC_RULE_SSM5023, f->file, anchor_span(f),
                              "could not create a temporary directory for ShellCheck (%s): %s",
                              dir, strerror(errno));
                free(dir);
                dir = NULL;
                break;
            }
        }
        char *path = xasprintf("%s/u%zu.sh", dir, k);
        bool ok = write_text(path, u->text, u->len);
        free(path);
        free(u->text);
        u->text = NULL;
        if (!ok)
            continue;
        for (size_t d = 0; d < NDIALECTS; d++) {
            if (strcmp(u->dialect, dialect_names[d]) == 0) {
                pending[d] = xrealloc(pending[d], (npending[d] + 1) * sizeof *pending[d]);
                pending[d][npending[d]++] = k;
            }
        }
    }
    buf_free(&hit);

    job *jobs = NULL;
    size_t njobs = 0;
    for (size_t d = 0; d < NDIALECTS; d++)
        plan_jobs(uniq, pending[d], npending[d], &jobs, &njobs);
    /* The longest calls start first, so that a short one, not a long one,
     * is what runs alone at the end. Findings do not depend on the order. */
    if (njobs)
        qsort(jobs, njobs, sizeof *jobs, more_bytes_first);
    if (njobs)
        run_jobs(jobs, njobs, prog, options, dir, uniq, scripts, cache, diags);
    for (size_t j = 0; j < njobs; j++) {
        free(jobs[j].members);
        extproc_free(&jobs[j].proc);
    }
    free(jobs);

    /* Findings in script order, whatever order the answers came in. */
    for (size_t i = 0; i < count; i++)
        if (of[i] != SIZE_MAX && uniq[of[i]].payload)
            add_findings(&scripts[i], uniq[of[i]].payload, diags);

    if (dir) {
        for (size_t d = 0; d < NDIALECTS; d++)
            for (size_t m = 0; m < npending[d]; m++) {
                char *path = xasprintf("%s/u%zu.sh", dir, pending[d][m]);
                unlink(path);
                free(path);
            }
        rmdir(dir);
    }
    if (caught)
        release_stop_signals(old_actions);
    for (size_t d = 0; d < NDIALECTS; d++)
        free(pending[d]);
    for (size_t k = 0; k < nuniq; k++) {
        free(uniq[k].text);
        free(uniq[k].payload);
    }
    free(uniq);
    free(of);
    free(dir);
    free(prog);
    checker_cache_close(cache);
}
