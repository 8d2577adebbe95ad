/* embed.c — documents held as text inside another file (a CloudFormation
 * Content string, a Terraform heredoc): the text is decoded into a source
 * of its own, with a map from each of its bytes back to the host bytes it
 * came from, so that the ordinary pipeline checks it and every finding is
 * then moved to the host file's line and column (ssmc_diags_to_host). The
 * map is the one lint/scalar_map.c builds for scripts, for a whole
 * document. */
#include "iac.h"

#include <stdlib.h>
#include <string.h>

/* The map of an embedded source: the per-byte map of the decoded text,
 * kept as runs (lint/script.c's, which scripts kept for ShellCheck use for
 * the same reason): a template's document is checked with every other
 * input, and its findings are moved only at the end of the run, so two
 * offsets per byte would be 8 bytes per byte of embedded text held for
 * the whole run. */
struct ssmc_host_map {
    script_runs runs;
};

void host_map_free(struct ssmc_host_map *map)
{
    if (map)
        free(map->runs.runs);
    free(map);
}

void iac_text_init(iac_text *t)
{
    memset(t, 0, sizeof *t);
    buf_init(&t->text);
    buf_reserve(&t->text, 1);
}

void iac_text_free(iac_text *t)
{
    buf_free(&t->text);
    free(t->ph);
    free(t->map.start);
    free(t->map.end);
    memset(t, 0, sizeof *t);
}

void iac_text_add(iac_text *t, const char *bytes, size_t n, size_t from, size_t to)
{
    buf_add(&t->text, bytes, n);
    size_t old_cap = t->map.cap;
    GROW(t->map.start, t->map.cap, t->map.count + n);
    /* end shares start's capacity, as script_map expects */
    if (t->map.cap != old_cap || !t->map.end)
        t->map.end = xrealloc(t->map.end, (t->map.cap ? t->map.cap : 1) * sizeof *t->map.end);
    for (size_t i = 0; i < n; i++) {
        t->map.start[t->map.count] = (uint32_t)from;
        t->map.end[t->map.count] = (uint32_t)to;
        t->map.count++;
    }
}

void iac_text_copy(iac_text *t, const iac_text *from, size_t a, size_t b)
{
    for (size_t i = a; i < b && i < from->text.len; i++)
        iac_text_add(t, from->text.data + i, 1, from->map.start[i], from->map.end[i]);
}

bool iac_text_of_scalar(const ssmc_source *host, const ssmc_node *node, iac_text *t)
{
    iac_text_init(t);
    if (host->len < UINT32_MAX && script_map_scalar(host, node, &t->text, &t->map))
        return true;
    /* A style the re-decoder does not know: every byte at the scalar. */
    iac_text_free(t);
    iac_text_init(t);
    size_t a = node->span.start, b = node->span.end;
    iac_text_add(t, node->str ? node->str : "", node->str ? node->len : 0, a, b);
    return false;
}

void iac_text_placeholder(iac_text *t, size_t a, size_t b)
{
    GROW(t->ph, t->ph_cap, t->ph_count + 2);
    t->ph[t->ph_count++] = a;
    t->ph[t->ph_count++] = b;
}

void iac_read_back(const iac_text *in, const iac_interpolation *how, iac_text *out)
{
    const char *s = in->text.data;
    size_t n = in->text.len, i = 0;
    while (i < n) {
        size_t keep = how->escape_keep(s, n, i);
        if (keep != SIZE_MAX) {
            iac_text_copy(out, in, keep, keep + 2);
            i += 3;
            continue;
        }
        if (s[i] != '$' || i + 1 >= n || s[i + 1] != '{') {
            iac_text_copy(out, in, i, i + 1);
            i++;
            continue;
        }
        /* An interpolation ends on its own line; an unclosed "${" is text. */
        size_t close = i + 2;
        while (close < n && s[close] != '}' && s[close] != '\n')
            close++;
        if (close >= n || s[close] != '}') {
            iac_text_copy(out, in, i, i + 1);
            i++;
            continue;
        }
        size_t a = i + 2, b = close;
        while (a < b && s[a] && strchr(how->trim, s[a]))
            a++;
        while (b > a && s[b - 1] && strchr(how->trim, s[b - 1]))
            b--;
        if (!how->reported(how->ctx, in, i, close, s + a, b - a))
            iac_text_placeholder(out, out->text.len, out->text.len + (close + 1 - i));
        iac_text_copy(out, in, i, close + 1);
        i = close + 1;
    }
}

void iac_source_placeholder(ssmc_sources *sources, uint32_t file, size_t a, size_t b)
{
    ssmc_source *src = sources->items[file];
    src->placeholders = xrealloc(src->placeholders,
                                 (src->placeholder_count + 1) * 2 * sizeof *src->placeholders);
    src->placeholders[2 * src->placeholder_count] = a;
    src->placeholders[2 * src->placeholder_count + 1] = b;
    src->placeholder_count++;
}

uint32_t iac_text_to_source(ssmc_sources *sources, uint32_t host, iac_text *t)
{
    const ssmc_source *h = ssmc_sources_get(sources, host);
    size_t n = t->text.len;
    char *data = xmalloc(n + 2);
    if (n)
        memcpy(data, t->text.data, n);
    data[n] = '\0';
    uint32_t file = ssmc_sources_add(sources, h->name, data, n);
    ssmc_source *src = sources->items[file];
    src->embedded = true;
    src->host = host;
    src->host_map = xcalloc(1, sizeof *src->host_map);
    script_runs_add(&src->host_map->runs, &t->map);
    src->placeholders = t->ph;
    src->placeholder_count = t->ph_count / 2;
    free(t->map.start);
    free(t->map.end);
    t->map.start = t->map.end = NULL;
    t->map.count = t->map.cap = 0;
    t->ph = NULL;
    t->ph_count = t->ph_cap = 0;
    return file;
}

/* The host offset of an embedded offset: a start maps to the first host
 * byte of its byte, an end to just past the host bytes of the byte before. */
static size_t host_offset(const ssmc_source *e, size_t off, bool is_end)
{
    /* One entry per byte of data: the runs cover [0, e->len). */
    if (!e->len || !e->host_map || e->host_map->runs.count != e->len)
        return 0;
    size_t start, end;
    if (is_end && off > 0) {
        script_runs_at(&e->host_map->runs, (off > e->len ? e->len : off) - 1, &start, &end);
        return end;
    }
    if (off >= e->len) {
        script_runs_at(&e->host_map->runs, e->len - 1, &start, &end);
        return end;
    }
    script_runs_at(&e->host_map->runs, off, &start, &end);
    return start;
}

static void move_span(const ssmc_sources *sources, uint32_t *file, ssmc_span *span)
{
    /* An embedded source may itself be embedded (a file() read from a
     * template); bounded by the number of sources. */
    for (size_t guard = 0; guard < sources->count; guard++) {
        const ssmc_source *e = ssmc_sources_get(sources, *file);
        if (!e || !e->embedded)
            return;
        const ssmc_source *h = ssmc_sources_get(sources, e->host);
        if (!h)
            return;
        size_t a = host_offset(e, span->start.offset, false);
        size_t b = host_offset(e, span->end.offset, true);
        if (b < a)
            b = a;
        if (span->end.offset <= span->start.offset && e->len)
            b = a; /* an empty span stays empty */
        *span = span_from_offsets(h, a, b);
        *file = e->host;
    }
}

void ssmc_diags_to_host(const ssmc_sources *sources, ssmc_diags *diags)
{
    bool any = false;
    for (size_t i = 0; i < sources->count && !any; i++)
        any = sources->items[i]->embedded;
    if (any)
        diags_to_host_from(sources, diags, 0);
}

void diags_to_host_from(const ssmc_sources *sources, ssmc_diags *diags, size_t first)
{
    for (size_t i = first; i < diags->count; i++) {
        ssmc_diag *d = &diags->items[i];
        move_span(sources, &d->file, &d->span);
        for (size_t j = 0; j < d->related_count; j++)
            move_span(sources, &d->related[j].file, &d->related[j].span);
        /* An embedded document's bytes are not the host's (escapes,
         * indentation): an edit of one is no edit of the other. */
        for (size_t j = 0; j < d->fix_count; j++) {
            const ssmc_source *e = ssmc_sources_get(sources, d->fixes[j].file);
            if (e && e->embedded) {
                diag_drop_fixes(d);
                break;
            }
        }
    }
}
