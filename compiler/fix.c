/* fix.c — building fix edits that keep the file's own style: a scalar is
 * rewritten in the quoting it already has where the new text fits it, so
 * `ssmc check --fix` changes what the rule asks for and nothing else. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Plain YAML that reads back as the same string: identifier-like text that
 * no YAML 1.1 or 1.2 resolver turns into a bool, null or number. */
static bool plain_safe(const char *s)
{
    static const char *const words[] = {"y", "n", "yes", "no", "true", "false", "on",
                                        "off", "null", "nan", "inf"};
    if (!*s)
        return false;
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '.' || c == '/' || (c == ':' && p[1] && p[1] != ' ');
        if (!ok)
            return false;
    }
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (str_eq_nocase(s, words[i]))
            return false;
    return true;
}

/* A double-quoted string; JSON's escapes are a subset of YAML's. */
static void add_double_quoted(buf *b, const char *s)
{
    buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            buf_addc(b, '\\');
            buf_addc(b, (char)*p);
        } else if (*p == '\n') {
            buf_adds(b, "\\n");
        } else if (*p == '\t') {
            buf_adds(b, "\\t");
        } else if (*p < 0x20 || *p == 0x7f) {
            buf_printf(b, "\\u%04x", *p);
        } else {
            buf_addc(b, (char)*p);
        }
    }
    buf_addc(b, '"');
}

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

void fix_scalar_text(buf *out, ssmc_style style, const char *text, bool force_quotes)
{
    if (style == SSMC_STYLE_JSON || style == SSMC_STYLE_DOUBLE_QUOTED || has_control(text)) {
        add_double_quoted(out, text);
        return;
    }
    if (style == SSMC_STYLE_PLAIN && !force_quotes && plain_safe(text)) {
        buf_adds(out, text);
        return;
    }
    buf_addc(out, '\'');
    for (const char *p = text; *p; p++) {
        if (*p == '\'')
            buf_addc(out, '\'');
        buf_addc(out, *p);
    }
    buf_addc(out, '\'');
}

bool fix_replace_scalar(ssmc_diag *diag, const ssmc_sources *sources, const ssmc_node *node,
                        const char *text, bool force_quotes)
{
    if (!diag || !node || !ssmc_node_is_scalar(node) || (node->flags & SSMC_NODE_ALIASED))
        return false;
    /* Block scalars and anything the loader did not read from one token
     * (merged keys, aliases) are left alone: no single edit is clearly right. */
    if (node->style != SSMC_STYLE_PLAIN && node->style != SSMC_STYLE_SINGLE_QUOTED &&
        node->style != SSMC_STYLE_DOUBLE_QUOTED && node->style != SSMC_STYLE_JSON)
        return false;
    const ssmc_source *src = ssmc_sources_get(sources, node->file);
    if (!src || node->span.end <= node->span.start || node->span.end > src->len)
        return false;
    buf b;
    buf_init(&b);
    fix_scalar_text(&b, node->style, text, force_quotes);
    ssmc_diag_add_fix(diag, node->file, node->span, b.data);
    buf_free(&b);
    return diag->fix_count > 0;
}

bool fix_quote_scalar(ssmc_diag *diag, const ssmc_sources *sources, const ssmc_node *node)
{
    if (!node || (node->style != SSMC_STYLE_PLAIN && node->style != SSMC_STYLE_JSON))
        return false;
    const ssmc_source *src = ssmc_sources_get(sources, node->file);
    if (!src || node->span.end <= node->span.start || node->span.end > src->len)
        return false;
    /* The text as written (2.20 stays 2.20), not as the loader decoded it. */
    char *raw = xstrndup(src->data + node->span.start,
                         node->span.end - node->span.start);
    bool ok = !strchr(raw, '\n') && fix_replace_scalar(diag, sources, node, raw, true);
    free(raw);
    return ok;
}

typedef struct edit {
    size_t start, end;
    const char *text;
} edit;

static int cmp_edit(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    /* An insertion before a replacement that starts at the same byte. */
    return (x->end > y->end) - (x->end < y->end);
}

static bool overlaps(const edit *taken, size_t n, size_t start, size_t end)
{
    for (size_t i = 0; i < n; i++) {
        if (start == taken[i].start)
            return true;
        if (start < taken[i].end && taken[i].start < end)
            return true;
    }
    return false;
}

char *ssmc_fix_apply(const ssmc_sources *sources, uint32_t file, const ssmc_diags *diags,
                     bool *taken, size_t *len, size_t *applied)
{
    const ssmc_source *src = ssmc_sources_get(sources, file);
    size_t n_applied = 0;
    edit *edits = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; src && i < diags->count; i++) {
        const ssmc_diag *d = &diags->items[i];
        if (taken)
            taken[i] = false;
        if (!d->fix_count)
            continue;
        bool ok = true;
        for (size_t k = 0; ok && k < d->fix_count; k++) {
            const ssmc_fix *f = &d->fixes[k];
            ok = f->file == file && f->span.start.offset <= f->span.end.offset &&
                 f->span.end.offset <= src->len &&
                 !overlaps(edits, n, f->span.start.offset, f->span.end.offset);
        }
        if (!ok)
            continue;
        for (size_t k = 0; k < d->fix_count; k++) {
            GROW(edits, cap, n + 1);
            edits[n++] = (edit){d->fixes[k].span.start.offset, d->fixes[k].span.end.offset,
                                d->fixes[k].text};
        }
        if (taken)
            taken[i] = true;
        n_applied++;
    }
    if (n)
        qsort(edits, n, sizeof *edits, cmp_edit);
    buf out;
    buf_init(&out);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        buf_add(&out, src->data + at, edits[i].start - at);
        buf_adds(&out, edits[i].text);
        at = edits[i].end;
    }
    if (src)
        buf_add(&out, src->data + at, src->len - at);
    free(edits);
    *len = out.len;
    if (applied)
        *applied = n_applied;
    return buf_steal(&out);
}

void fix_drop_findings(ssmc_diags *diags, uint32_t file)
{
    size_t out = 0;
    for (size_t i = 0; i < diags->count; i++) {
        if (diags->items[i].file == file)
            diag_free_fields(&diags->items[i]);
        else
            diags->items[out++] = diags->items[i];
    }
    diags->count = out;
}

static size_t errors_in(const ssmc_diags *diags, uint32_t file)
{
    size_t n = 0;
    for (size_t i = 0; i < diags->count; i++)
        n += diags->items[i].file == file && diags->items[i].severity == SSMC_SEV_ERROR;
    return n;
}

static void recheck(const fix_hooks *hooks, uint32_t file, ssmc_diags *diags)
{
    fix_drop_findings(diags, file);
    hooks->check(hooks->user, file, diags);
}

size_t fix_file(ssmc_sources *sources, uint32_t file, ssmc_diags *diags, const fix_hooks *hooks)
{
    size_t total = 0;
    for (int pass = 0; pass < FIX_MAX_PASSES; pass++) {
        size_t before = errors_in(diags, file);
        bool *taken = xcalloc(diags->count ? diags->count : 1, sizeof *taken);
        size_t len, applied;
        char *text = ssmc_fix_apply(sources, file, diags, taken, &len, &applied);
        if (!applied) {
            free(text);
            free(taken);
            break;
        }
        /* The rule ids of this pass, reported only if the pass is kept
         * (the re-check frees the findings). */
        char **ids = xcalloc(applied, sizeof *ids);
        size_t nids = 0;
        for (size_t k = 0; k < diags->count && nids < applied; k++) {
            const ssmc_diag *g = &diags->items[k];
            if (!taken[k])
                continue;
            ids[nids++] = xstrdup(g->rule == SSMC_RULE_EXTERNAL
                                      ? (g->external_rule ? g->external_rule : "external")
                                      : ssmc_rule_get(g->rule)->id);
        }
        free(taken);
        const ssmc_source *src = ssmc_sources_get(sources, file);
        char *keep = xmalloc(src->len + 1);
        memcpy(keep, src->data, src->len + 1);
        size_t keep_len = src->len;
        source_replace(sources, file, text, len);
        recheck(hooks, file, diags);
        bool worse = errors_in(diags, file) > before;
        if (worse) {
            source_replace(sources, file, keep, keep_len);
            recheck(hooks, file, diags);
        } else {
            free(keep);
            total += applied;
        }
        for (size_t k = 0; k < nids; k++) {
            if (!worse && hooks->fixed)
                hooks->fixed(hooks->user, ids[k]);
            free(ids[k]);
        }
        free(ids);
        if (worse)
            break;
    }
    return total;
}
