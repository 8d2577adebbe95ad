/* diag.c — diagnostics are data: stages append, only the CLI renders. */
#include "internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

ssmc_span ssmc_loc_span(const ssmc_source *source, ssmc_loc loc)
{
    ssmc_span none = {{0, 0, 0}, {0, 0, 0}};
    if (!ssmc_loc_known(loc) || !source || source->released)
        return none;
    return span_from_offsets(source, loc.start, loc.end);
}

/* A finding at a node is resolved at once, while the node's source is in
 * memory (the check command releases each input once it is checked). A
 * list without sources is a caller's mistake: the finding then has no
 * position rather than a wrong one. */
static ssmc_span resolve(const ssmc_sources *sources, uint32_t file, ssmc_loc loc)
{
    assert(sources || !ssmc_loc_known(loc));
    return ssmc_loc_span(sources ? ssmc_sources_get(sources, file) : NULL, loc);
}

ssmc_diag *ssmc_diag_addv_span(ssmc_diags *diags, ssmc_rule rule, uint32_t file, ssmc_span span,
                               const char *fmt, va_list ap)
{
    GROW(diags->items, diags->cap, diags->count + 1);
    ssmc_diag *d = &diags->items[diags->count++];
    memset(d, 0, sizeof *d);
    d->rule = rule;
    const ssmc_rule_info *info = ssmc_rule_get(rule);
    d->severity = info ? info->severity : SSMC_SEV_WARNING;
    d->file = file;
    d->span = span;
    d->message = xvasprintf(fmt, ap);
    d->sources = diags->sources;
    return d;
}

ssmc_diag *ssmc_diag_addv_loc(ssmc_diags *diags, ssmc_rule rule, uint32_t file, ssmc_loc loc,
                              const char *fmt, va_list ap)
{
    return ssmc_diag_addv_span(diags, rule, file, resolve(diags->sources, file, loc), fmt, ap);
}

ssmc_diag *ssmc_diag_add_span(ssmc_diags *diags, ssmc_rule rule, uint32_t file, ssmc_span span,
                              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ssmc_diag *d = ssmc_diag_addv_span(diags, rule, file, span, fmt, ap);
    va_end(ap);
    return d;
}

ssmc_diag *ssmc_diag_add_loc(ssmc_diags *diags, ssmc_rule rule, uint32_t file, ssmc_loc loc,
                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ssmc_diag *d = ssmc_diag_addv_loc(diags, rule, file, loc, fmt, ap);
    va_end(ap);
    return d;
}

static void add_related(ssmc_diag *diag, uint32_t file, ssmc_span span, const char *fmt,
                        va_list ap)
{
    diag->related = xrealloc(diag->related, (diag->related_count + 1) * sizeof *diag->related);
    ssmc_related *r = &diag->related[diag->related_count++];
    r->file = file;
    r->span = span;
    r->message = xvasprintf(fmt, ap);
}

void ssmc_diag_add_related_span(ssmc_diag *diag, uint32_t file, ssmc_span span, const char *fmt,
                                ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_related(diag, file, span, fmt, ap);
    va_end(ap);
}

void ssmc_diag_add_related_loc(ssmc_diag *diag, uint32_t file, ssmc_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_related(diag, file, resolve(diag->sources, file, loc), fmt, ap);
    va_end(ap);
}

void diag_drop_fixes(ssmc_diag *diag)
{
    for (size_t i = 0; i < diag->fix_count; i++)
        free(diag->fixes[i].text);
    free(diag->fixes);
    diag->fixes = NULL;
    diag->fix_count = 0;
}

void ssmc_diag_add_fix_span(ssmc_diag *diag, uint32_t file, ssmc_span span, const char *text)
{
    if (!diag)
        return;
    if (span.end.offset < span.start.offset) {
        diag_drop_fixes(diag);
        return;
    }
    for (size_t i = 0; i < diag->fix_count; i++) {
        const ssmc_fix *f = &diag->fixes[i];
        if (f->file != file)
            continue;
        /* Two insertions at one place, or ranges sharing a byte, have no
         * single order to apply them in. */
        bool same_point = f->span.start.offset == span.start.offset;
        if (same_point || (span.start.offset < f->span.end.offset &&
                           f->span.start.offset < span.end.offset)) {
            diag_drop_fixes(diag);
            return;
        }
    }
    diag->fixes = xrealloc(diag->fixes, (diag->fix_count + 1) * sizeof *diag->fixes);
    ssmc_fix *f = &diag->fixes[diag->fix_count++];
    f->file = file;
    f->span = span;
    f->text = xstrdup(text ? text : "");
}

void ssmc_diag_add_fix_loc(ssmc_diag *diag, uint32_t file, ssmc_loc loc, const char *text)
{
    if (!diag)
        return;
    ssmc_span span = resolve(diag->sources, file, loc);
    /* An edit nowhere would land at offset 0: no fix rather than a wrong one. */
    if (span.start.line == 0) {
        diag_drop_fixes(diag);
        return;
    }
    ssmc_diag_add_fix_span(diag, file, span, text);
}

void ssmc_diag_add_fix_offsets(ssmc_diag *diag, const ssmc_sources *sources, uint32_t file,
                               size_t start, size_t end, const char *text)
{
    const ssmc_source *src = ssmc_sources_get(sources, file);
    if (!diag || !src)
        return;
    ssmc_diag_add_fix(diag, file, span_from_offsets(src, start, end), text);
}

static const char *rule_id_of(const ssmc_diag *d)
{
    if (d->rule == SSMC_RULE_EXTERNAL)
        return d->external_rule ? d->external_rule : "";
    const ssmc_rule_info *info = ssmc_rule_get(d->rule);
    return info ? info->id : "";
}

static int cmp_diag(const ssmc_diag *a, const ssmc_diag *b, const ssmc_sources *sources)
{
    if (a->file != b->file) {
        const ssmc_source *sa = ssmc_sources_get(sources, a->file);
        const ssmc_source *sb = ssmc_sources_get(sources, b->file);
        int c = strcmp(sa ? sa->name : "", sb ? sb->name : "");
        if (c)
            return c;
        return a->file < b->file ? -1 : 1;
    }
    if (a->span.start.line != b->span.start.line)
        return a->span.start.line < b->span.start.line ? -1 : 1;
    if (a->span.start.col != b->span.start.col)
        return a->span.start.col < b->span.start.col ? -1 : 1;
    int c = strcmp(rule_id_of(a), rule_id_of(b));
    if (c)
        return c;
    return strcmp(a->message, b->message);
}

/* A stable merge sort rather than qsort: findings equal in every compared
 * field keep the order in which the stages produced them, so the report
 * does not depend on how the list was assembled (ssmc check -j N appends
 * each worker's findings in turn and must print what -j1 prints). No
 * static comparison context either, so sorting is reentrant. */
static void merge_sort(ssmc_diag *items, ssmc_diag *tmp, size_t n, const ssmc_sources *sources)
{
    if (n < 2)
        return;
    if (n <= 8) {
        for (size_t i = 1; i < n; i++) {
            ssmc_diag x = items[i];
            size_t j = i;
            for (; j > 0 && cmp_diag(&items[j - 1], &x, sources) > 0; j--)
                items[j] = items[j - 1];
            items[j] = x;
        }
        return;
    }
    size_t half = n / 2;
    merge_sort(items, tmp, half, sources);
    merge_sort(items + half, tmp, n - half, sources);
    if (cmp_diag(&items[half - 1], &items[half], sources) <= 0)
        return;
    memcpy(tmp, items, half * sizeof *items);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n)
        items[k++] = cmp_diag(&items[j], &tmp[i], sources) < 0 ? items[j++] : tmp[i++];
    while (i < half)
        items[k++] = tmp[i++];
}

void ssmc_diags_sort(ssmc_diags *diags, const ssmc_sources *sources)
{
    if (diags->count < 2)
        return;
    ssmc_diag *tmp = xmalloc((diags->count / 2 + 1) * sizeof *tmp);
    merge_sort(diags->items, tmp, diags->count, sources);
    free(tmp);
}

size_t ssmc_diags_count_at_least(const ssmc_diags *diags, ssmc_severity severity)
{
    size_t n = 0;
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].severity >= severity)
            n++;
    return n;
}

void diag_free_fields(ssmc_diag *d)
{
    free(d->message);
    free(d->external_rule);
    free(d->hint);
    for (size_t j = 0; j < d->related_count; j++)
        free(d->related[j].message);
    free(d->related);
    diag_drop_fixes(d);
}

void ssmc_diags_free(ssmc_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++)
        diag_free_fields(&diags->items[i]);
    free(diags->items);
    diags->items = NULL;
    diags->count = diags->cap = 0;
}

void ssmc_diags_apply_config(ssmc_diags *diags, const ssmc_config *config)
{
    size_t out = 0;
    for (size_t i = 0; i < diags->count; i++) {
        ssmc_diag *d = &diags->items[i];
        if (d->rule != SSMC_RULE_EXTERNAL && (size_t)d->rule < SSMC_RULE_COUNT_BUILTIN) {
            ssmc_severity configured = config->severity[d->rule];
            const ssmc_rule_info *info = ssmc_rule_get(d->rule);
            /* A stage may raise or lower a finding's severity on purpose; the
             * configuration only applies when the user changed the default. */
            if (configured != info->severity && !ssmc_rule_always_on(d->rule))
                d->severity = configured;
        } else if (d->rule == SSMC_RULE_EXTERNAL && d->external_rule) {
            for (size_t k = 0; k < config->external_count; k++)
                if (str_eq_nocase(config->external[k].id, d->external_rule))
                    d->severity = config->external[k].severity;
        }
        if (d->severity == SSMC_SEV_OFF) {
            diag_free_fields(d);
            continue;
        }
        diags->items[out++] = *d;
    }
    diags->count = out;
}
