/* cli_fix.c — `ssmc check --fix` and `ssmc check --format diff`: apply the
 * fix edits findings carry, re-check, repeat while something changes. */
#define _DEFAULT_SOURCE /* realpath */
#define _POSIX_C_SOURCE 200809L
#include "cli_fix.h"
#include "emit.h"
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Above this many differing lines the diff is one hunk of the changed
 * middle rather than a minimal one (bounded work on hostile input). */
#define MAX_DIFF_D 2000

/* --- unified diff ------------------------------------------------------ */

typedef struct lines {
    const char **at;   /* start of each line */
    size_t *len;       /* with its line break */
    size_t count;
} lines;

static void split_lines(const char *data, size_t len, lines *out)
{
    size_t cap = 0;
    out->at = NULL;
    out->len = NULL;
    out->count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && data[i] != '\n')
            continue;
        size_t end = i < len ? i + 1 : i;
        if (end == start)
            break;
        if (out->count == cap) {
            cap = cap ? 2 * cap : 64;
            out->at = xrealloc(out->at, cap * sizeof *out->at);
            out->len = xrealloc(out->len, cap * sizeof *out->len);
        }
        out->at[out->count] = data + start;
        out->len[out->count] = end - start;
        out->count++;
        start = end;
    }
}

static bool same_line(const lines *a, size_t i, const lines *b, size_t j)
{
    return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

/* op per line of the edit script: ' ' kept, '-' deleted, '+' inserted. */
typedef struct script {
    char *op;
    size_t *a, *b;     /* line index in a (for ' ' and '-') and b (' ' and '+') */
    size_t count, cap;
} script;

static void script_add(script *s, char op, size_t a, size_t b)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->op = xrealloc(s->op, s->cap);
        s->a = xrealloc(s->a, s->cap * sizeof *s->a);
        s->b = xrealloc(s->b, s->cap * sizeof *s->b);
    }
    s->op[s->count] = op;
    s->a[s->count] = a;
    s->b[s->count] = b;
    s->count++;
}

/* Myers' O(ND) greedy algorithm on the middle that differs, keeping each
 * round's frontier (D^2 / 2 entries in all) to walk the path back. */
static bool myers(const lines *A, size_t a0, size_t n, const lines *B, size_t b0, size_t m,
                  script *out)
{
    size_t max = n + m;
    if (max == 0)
        return true;
    size_t dmax = max < MAX_DIFF_D ? max : MAX_DIFF_D;
    long off = (long)dmax + 1;
    long *v = xcalloc(2 * (size_t)off + 1, sizeof *v);
    long **trace = xcalloc(dmax + 1, sizeof *trace);
    long found = -1;
    for (long d = 0; d <= (long)dmax && found < 0; d++) {
        for (long k = -d; k <= d; k += 2) {
            long x;
            if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
                x = v[off + k + 1];
            else
                x = v[off + k - 1] + 1;
            long y = x - k;
            while (x < (long)n && y < (long)m && same_line(A, a0 + (size_t)x, B, b0 + (size_t)y))
                x++, y++;
            v[off + k] = x;
            if (x >= (long)n && y >= (long)m) {
                found = d;
                break;
            }
        }
        trace[d] = xmalloc((2 * (size_t)d + 1) * sizeof **trace);
        for (long k = -d; k <= d; k++)
            trace[d][k + d] = v[off + k];
    }
    bool ok = found >= 0;
    if (ok) {
        /* Walk back from (n, m), collecting the script in reverse. */
        script rev = {0};
        long x = (long)n, y = (long)m;
        for (long d = found; d > 0; d--) {
            long k = x - y;
            const long *prev = trace[d - 1];
            long pk;
            if (k == -d || (k != d && prev[k - 1 + (d - 1)] < prev[k + 1 + (d - 1)]))
                pk = k + 1;
            else
                pk = k - 1;
            long px = prev[pk + (d - 1)], py = px - pk;
            while (x > px && y > py) {
                x--, y--;
                script_add(&rev, ' ', a0 + (size_t)x, b0 + (size_t)y);
            }
            if (x == px)
                script_add(&rev, '+', a0 + (size_t)x, b0 + (size_t)--y);
            else
                script_add(&rev, '-', a0 + (size_t)--x, b0 + (size_t)y);
        }
        while (x > 0 && y > 0) {
            x--, y--;
            script_add(&rev, ' ', a0 + (size_t)x, b0 + (size_t)y);
        }
        for (size_t i = rev.count; i-- > 0;)
            script_add(out, rev.op[i], rev.a[i], rev.b[i]);
        free(rev.op);
        free(rev.a);
        free(rev.b);
    }
    for (size_t d = 0; d <= dmax; d++)
        free(trace[d]);
    free(trace);
    free(v);
    return ok;
}

static void put_line(buf *out, char op, const char *at, size_t len)
{
    buf_addc(out, op);
    buf_add(out, at, len);
    if (len == 0 || at[len - 1] != '\n')
        buf_adds(out, "\n\\ No newline at end of file\n");
}

static void hunk_range(buf *out, size_t start, size_t count)
{
    /* An empty range names the line before it (diff's convention). */
    if (count == 0)
        buf_printf(out, "%zu,0", start);
    else if (count == 1)
        buf_printf(out, "%zu", start + 1);
    else
        buf_printf(out, "%zu,%zu", start + 1, count);
}

void cli_unified_diff(buf *out, const char *name, const char *old, size_t old_len,
                      const char *new_text, size_t new_len)
{
    lines A, B;
    split_lines(old, old_len, &A);
    split_lines(new_text, new_len, &B);
    size_t pre = 0;
    while (pre < A.count && pre < B.count && same_line(&A, pre, &B, pre))
        pre++;
    size_t suf = 0;
    while (suf < A.count - pre && suf < B.count - pre &&
           same_line(&A, A.count - 1 - suf, &B, B.count - 1 - suf))
        suf++;
    script s = {0};
    for (size_t i = 0; i < pre; i++)
        script_add(&s, ' ', i, i);
    size_t n = A.count - pre - suf, m = B.count - pre - suf;
    if (!myers(&A, pre, n, &B, pre, m, &s)) {
        for (size_t i = 0; i < n; i++)
            script_add(&s, '-', pre + i, pre);
        for (size_t j = 0; j < m; j++)
            script_add(&s, '+', pre + n, pre + j);
    }
    for (size_t i = 0; i < suf; i++)
        script_add(&s, ' ', A.count - suf + i, B.count - suf + i);

    if (pre < A.count || pre < B.count) {
        buf_printf(out, "--- %s\n+++ %s\n", name, name);
        const size_t ctx = 3;
        size_t i = 0;
        while (i < s.count) {
            while (i < s.count && s.op[i] == ' ')
                i++;
            if (i == s.count)
                break;
            size_t start = i >= ctx ? i - ctx : 0;
            /* Extend while the next change is within two contexts. */
            size_t end = i;
            for (;;) {
                while (end < s.count && s.op[end] != ' ')
                    end++;
                size_t run = 0;
                while (end + run < s.count && s.op[end + run] == ' ')
                    run++;
                if (end + run < s.count && run <= 2 * ctx) {
                    end += run;
                    continue;
                }
                end += run < ctx ? run : ctx;
                break;
            }
            size_t na = 0, nb = 0;
            for (size_t k = start; k < end; k++) {
                na += s.op[k] != '+';
                nb += s.op[k] != '-';
            }
            size_t sa = s.a[start], sb = s.b[start];
            buf_adds(out, "@@ -");
            hunk_range(out, sa, na);
            buf_adds(out, " +");
            hunk_range(out, sb, nb);
            buf_adds(out, " @@\n");
            for (size_t k = start; k < end; k++) {
                if (s.op[k] == '+')
                    put_line(out, '+', B.at[s.b[k]], B.len[s.b[k]]);
                else
                    put_line(out, s.op[k], A.at[s.a[k]], A.len[s.a[k]]);
            }
            i = end;
        }
    }
    free(s.op);
    free(s.a);
    free(s.b);
    free(A.at);
    free(A.len);
    free(B.at);
    free(B.len);
}

/* --- applying ---------------------------------------------------------- */

static bool has_fix_for(const ssmc_diags *diags, uint32_t file)
{
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].fix_count && diags->items[i].fixes[0].file == file)
            return true;
    return false;
}

typedef struct fixed_rule {
    char id[16];
    size_t count;
} fixed_rule;

static void count_rule(fixed_rule **list, size_t *n, const char *id)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*list)[i].id, id) == 0) {
            (*list)[i].count++;
            return;
        }
    }
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    snprintf((*list)[*n].id, sizeof (*list)[*n].id, "%s", id);
    (*list)[*n].count = 1;
    (*n)++;
}

/* A copy of a source's bytes (with its NUL), to restore or compare. */
static char *copy_source(const cli_run *run, uint32_t file, size_t *len)
{
    const ssmc_source *src = ssmc_sources_get(&run->sources, file);
    char *copy = xmalloc(src->len + 1);
    memcpy(copy, src->data, src->len + 1);
    *len = src->len;
    return copy;
}

/* fix_file's hooks: check_file with the run's configuration, and the
 * count of each rule fixed for the report. */
typedef struct fix_ctx {
    cli_run *run;
    cli_check_file_fn check;
    fixed_rule *rules;
    size_t nrules;
} fix_ctx;

static void fix_check(void *user, uint32_t file, ssmc_diags *diags)
{
    fix_ctx *c = user;
    c->check(c->run, file, diags);
    ssmc_diags_apply_config(diags, &c->run->config);
}

static void fix_fixed(void *user, const char *rule_id)
{
    fix_ctx *c = user;
    count_rule(&c->rules, &c->nrules, rule_id);
}

int cli_fix(cli_run *run, cli_check_file_fn check, FILE *diff_out, bool *changed_any)
{
    int rc = EXIT_OK;
    *changed_any = false;
    ssmc_diags_apply_config(&run->diags, &run->config);
    size_t files_fixed = 0, findings_fixed = 0;
    for (size_t i = 0; i < run->input_count; i++) {
        uint32_t file = run->inputs[i];
        if (!has_fix_for(&run->diags, file))
            continue;
        /* a -j worker read it, the parent has not */
        if (!ssmc_source_reload(run->sources.items[file])) {
            fprintf(stderr, "ssmc check: cannot read %s again: %s\n",
                    ssmc_sources_get(&run->sources, file)->name, strerror(errno));
            run->trouble = true;
            rc = EXIT_TROUBLE;
            continue;
        }
        size_t original_len;
        char *original = copy_source(run, file, &original_len);
        fix_ctx ctx = {run, check, NULL, 0};
        fix_hooks hooks = {fix_check, fix_fixed, &ctx};
        size_t total = fix_file(&run->sources, file, &run->diags, &hooks);
        fixed_rule *rules = ctx.rules;
        size_t nrules = ctx.nrules;
        const ssmc_source *src = ssmc_sources_get(&run->sources, file);
        bool changed = src->len != original_len || memcmp(src->data, original, original_len) != 0;
        if (changed) {
            *changed_any = true;
            files_fixed++;
            findings_fixed += total;
            buf what;
            buf_init(&what);
            for (size_t k = 0; k < nrules; k++) {
                buf_printf(&what, "%s%s", k ? ", " : "", rules[k].id);
                if (rules[k].count > 1)
                    buf_printf(&what, " x%zu", rules[k].count);
            }
            if (diff_out) {
                buf d;
                buf_init(&d);
                cli_unified_diff(&d, src->name, original, original_len, src->data, src->len);
                fwrite(d.data, 1, d.len, diff_out);
                buf_free(&d);
                fprintf(stderr, "%s: %zu fixable finding%s (%s)\n", src->name, total,
                        total == 1 ? "" : "s", what.data);
            } else {
                /* Write through a symbolic link to the file it names, so
                 * the link stays a link. */
                char *real = realpath(src->name, NULL);
                char *error = NULL;
                if (!atomic_write_file(real ? real : src->name, src->data, src->len, &error)) {
                    fprintf(stderr, "ssmc check: %s\n", error);
                    run->trouble = true;
                    rc = EXIT_TROUBLE;
                } else {
                    fprintf(stderr, "%s: fixed %zu finding%s (%s)\n", src->name, total,
                            total == 1 ? "" : "s", what.data);
                }
                free(error);
                free(real);
            }
            buf_free(&what);
        }
        if (diff_out && changed) {
            /* Nothing was written: what the file holds is what is reported. */
            source_replace(&run->sources, file, original, original_len);
            fix_drop_findings(&run->diags, file);
            fix_check(&(fix_ctx){run, check, NULL, 0}, file, &run->diags);
        } else {
            free(original);
        }
        free(rules);
    }
    if (!diff_out && files_fixed > 1)
        fprintf(stderr, "fixed %zu findings in %zu files\n", findings_fixed, files_fixed);
    return rc;
}
