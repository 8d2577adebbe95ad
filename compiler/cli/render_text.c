/* render_text.c — the text format of DESIGN.md:
 *
 *   FILE:LINE:COL: SEVERITY: MESSAGE [RULE-ID]
 *     FILE:LINE:COL: note: MESSAGE
 *
 * optionally with the source line and a caret/tilde underline of the span
 * under each position (--snippet, default on a terminal), colour on a
 * terminal, and a summary line on stderr. */
#include "cli_common.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TAB_STOP 8
/* Lines wider than this many cells are clipped around the span. */
#define MAX_SNIPPET_WIDTH 120
#define CONTEXT_BEFORE 40

typedef struct palette {
    const char *bold, *error, *warning, *info, *note, *caret, *reset;
} palette;

static const palette colors = {"\033[1m", "\033[1;31m", "\033[1;35m", "\033[1;36m",
                               "\033[1;36m", "\033[1;32m", "\033[0m"};
static const palette plain = {"", "", "", "", "", "", ""};

/* Terminal cells of a code point: 0 for combining marks and zero-width
 * characters, 2 for East Asian wide characters and emoji, else 1. A small
 * table of the common ranges; exactness matters only for alignment. */
static int cp_width(uint32_t cp)
{
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF)
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

static uint32_t decode(const unsigned char *s, size_t n)
{
    if (n == 1)
        return s[0];
    uint32_t cp = s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

/* One code point of a line as it is drawn. */
typedef struct cell {
    char text[TAB_STOP + 1];   /* what to print (a tab becomes spaces) */
    int width;                 /* terminal cells */
} cell;

/* Splits a line into cells. Column c (1-based, code points) is cells[c-1];
 * invalid bytes count one column each, as the loader counts them, and are
 * shown as U+FFFD; control characters are shown as U+FFFD too so a finding
 * cannot send escape sequences to the terminal. */
static cell *line_cells(const char *line, size_t len, size_t *count)
{
    cell *cells = xcalloc(len + 1, sizeof *cells);
    size_t n = 0;
    int x = 0;
    for (size_t i = 0; i < len;) {
        const unsigned char *s = (const unsigned char *)line + i;
        size_t k = utf8_valid_len(s, len - i);
        cell *c = &cells[n++];
        if (k == 0) {
            memcpy(c->text, "\xEF\xBF\xBD", 4);
            c->width = 1;
            i++;
        } else if (s[0] == '\t') {
            int spaces = TAB_STOP - x % TAB_STOP;
            memset(c->text, ' ', (size_t)spaces);
            c->width = spaces;
            i++;
        } else if (s[0] < 0x20 || s[0] == 0x7F || (k == 2 && decode(s, k) < 0xA0)) {
            memcpy(c->text, "\xEF\xBF\xBD", 4);
            c->width = 1;
            i += k;
        } else {
            memcpy(c->text, s, k);
            c->width = cp_width(decode(s, k));
            i += k;
        }
        x += c->width;
    }
    *count = n;
    return cells;
}

static void put_sanitized(FILE *out, const char *s)
{
    for (; *s; s++) {
        /* The bytes shown as they are, in one write per run. */
        size_t run = 0;
        while (s[run] && ((unsigned char)s[run] >= 0x20 || s[run] == '\t') && s[run] != 0x7F)
            run++;
        if (run) {
            fwrite(s, 1, run, out);
            s += run;
            if (!*s)
                break;
        }
        unsigned char c = (unsigned char)*s;
        /* One finding per first line: a line break from the document (a
         * key "a\nb") is shown escaped, as are other control characters. */
        if (c == '\n')
            fputs("\\n", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if ((c < 0x20 && c != '\t') || c == 0x7F)
            fprintf(out, "\\x%02X", c);
        else
            fputc(c, out);
    }
}

static void put_snippet(FILE *out, const ssmc_source *src, ssmc_span span, const palette *p,
                        int indent)
{
    if (!src || span.start.line == 0 || span.start.line > src->line_count)
        return;
    size_t len;
    const char *line = ssmc_source_line(src, span.start.line, &len);
    if (!line)
        return;
    size_t n;
    cell *cells = line_cells(line, len, &n);

    /* The underlined columns [from, to) in code points, 0-based. */
    size_t from = span.start.col ? span.start.col - 1 : 0;
    size_t to = span.end.line == span.start.line && span.end.col > span.start.col
                    ? span.end.col - 1
                    : (span.end.line > span.start.line ? n : from + 1);
    if (from > n)
        from = n;
    if (to > n + 1)
        to = n + 1;
    if (to <= from)
        to = from + 1;

    /* Clip long lines to a window that starts a little before the span. */
    size_t first = 0, last = n;
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += cells[i].width;
    if (total > MAX_SNIPPET_WIDTH) {
        int before = 0;
        first = from;
        while (first > 0 && before + cells[first - 1].width <= CONTEXT_BEFORE)
            before += cells[--first].width;
        int used = 0;
        last = first;
        while (last < n && used + cells[last].width <= MAX_SNIPPET_WIDTH)
            used += cells[last++].width;
        if (to > last + 1)
            to = last + 1;
    }

    char number[16];
    int digits = snprintf(number, sizeof number, "%u", span.start.line);
    fprintf(out, "%*s%s | ", indent, "", number);
    if (first > 0)
        fputs("...", out);
    for (size_t i = first; i < last; i++)
        fputs(cells[i].text, out);
    if (last < n)
        fputs("...", out);
    fputc('\n', out);

    fprintf(out, "%*s%*s | ", indent, "", digits, "");
    if (first > 0)
        fputs("   ", out);
    for (size_t i = first; i < from; i++)
        fprintf(out, "%*s", cells[i].width, "");
    fputs(p->caret, out);
    for (size_t i = from; i < to; i++) {
        int w = i < n ? cells[i].width : 1;
        if (w == 0)
            continue;
        fputc(i == from ? '^' : '~', out);
        for (int k = 1; k < w; k++)
            fputc('~', out);
    }
    if (from >= to)
        fputc('^', out);
    fputs(p->reset, out);
    fputc('\n', out);
    free(cells);
}

static const char *severity_color(const palette *p, ssmc_severity sev)
{
    switch (sev) {
    case SSMC_SEV_ERROR: return p->error;
    case SSMC_SEV_WARNING: return p->warning;
    default: return p->info;
    }
}

static const char *source_name(const cli_run *run, uint32_t file)
{
    const ssmc_source *src = ssmc_sources_get(&run->sources, file);
    return src ? src->name : "?";
}

/* check holds one input at a time (cmd_check.c): a snippet reads a
 * released file again, one file at a time (findings come sorted by file). */
static const ssmc_source *snippet_source(const cli_run *run, uint32_t file, uint32_t *reloaded)
{
    ssmc_source *src = file < run->sources.count ? run->sources.items[file] : NULL;
    if (!src || !src->released || file == *reloaded)
        return src;
    if (*reloaded != UINT32_MAX)
        ssmc_source_release(run->sources.items[*reloaded]);
    *reloaded = UINT32_MAX;
    if (ssmc_source_reload(src))
        *reloaded = file;
    return src;
}

void render_text(const cli_run *run, const ssmc_diags *diags, FILE *out)
{
    uint32_t reloaded = UINT32_MAX;
    const palette *p = cli_use_color(&run->opts, out) ? &colors : &plain;
    bool snippet = run->opts.snippet == 1 || (run->opts.snippet == -1 && isatty(fileno(out)));
    size_t errors = 0, warnings = 0, infos = 0, hidden = 0;
    for (size_t i = 0; i < diags->count; i++) {
        const ssmc_diag *d = &diags->items[i];
        if (d->severity == SSMC_SEV_ERROR) {
            errors++;
        } else if (d->severity == SSMC_SEV_WARNING) {
            warnings++;
        } else if (!run->opts.show_info) {
            /* Infos are advice, not problems: on a terminal they drown the
             * findings that matter, so text output only counts them. */
            hidden++;
            continue;
        } else {
            infos++;
        }
        /* A file name is written by whoever named the file: a newline in it
         * must not forge a finding line, an ESC must not reach the terminal. */
        fputs(p->bold, out);
        put_sanitized(out, source_name(run, d->file));
        fprintf(out, ":%u:%u:%s %s%s:%s ", d->span.start.line, d->span.start.col, p->reset,
                severity_color(p, d->severity), ssmc_severity_name(d->severity), p->reset);
        put_sanitized(out, d->message);
        fprintf(out, " [%s]\n", cli_rule_id(d));
        if (snippet) {
            put_snippet(out, snippet_source(run, d->file, &reloaded), d->span, p, 4);
            if (d->hint) {
                fputs("    = help: ", out);
                put_sanitized(out, d->hint);
                fputc('\n', out);
            }
        }
        for (size_t j = 0; j < d->related_count; j++) {
            const ssmc_related *r = &d->related[j];
            fprintf(out, "  %s", p->bold);
            put_sanitized(out, source_name(run, r->file));
            fprintf(out, ":%u:%u:%s %snote:%s ", r->span.start.line, r->span.start.col, p->reset,
                    p->note, p->reset);
            put_sanitized(out, r->message);
            fputc('\n', out);
            if (snippet)
                put_snippet(out, snippet_source(run, r->file, &reloaded), r->span, p, 6);
        }
    }
    if (reloaded != UINT32_MAX)
        ssmc_source_release(run->sources.items[reloaded]);
    if (run->opts.quiet || (diags->count == 0 && run->skipped_count == 0 &&
                            run->generated_count == 0))
        return;
    /* The summary is for people; stdout stays machine-readable. */
    buf b;
    buf_init(&b);
    if (errors)
        buf_printf(&b, "%zu error%s", errors, errors == 1 ? "" : "s");
    if (warnings)
        buf_printf(&b, "%s%zu warning%s", b.len ? ", " : "", warnings, warnings == 1 ? "" : "s");
    if (infos)
        buf_printf(&b, "%s%zu info%s", b.len ? ", " : "", infos, infos == 1 ? "" : "s");
    if (!b.len)
        buf_adds(&b, hidden ? "no errors or warnings" : "no findings");
    fflush(out);
    fprintf(stderr, "%s in %zu file%s", b.data, run->files_seen, run->files_seen == 1 ? "" : "s");
    if (hidden)
        fprintf(stderr, ", and %zu info%s: --show-info", hidden, hidden == 1 ? "" : "s");
    /* Files a directory walk found but did not check (cli_inputs.c);
     * --verbose lists them. */
    if (run->skipped_count)
        fprintf(stderr, "; %zu file%s skipped: not SSM documents", run->skipped_count,
                run->skipped_count == 1 ? "" : "s");
    if (run->generated_count)
        fprintf(stderr, "; %zu compiled JSON file%s skipped (%s checked)",
                run->generated_count / 2, run->generated_count == 2 ? "" : "s",
                run->generated_count == 2 ? "its source is" : "their sources are");
    fputc('\n', stderr);
    buf_free(&b);
}
