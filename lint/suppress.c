/* suppress.c — inline suppression comments, applied to all findings of a
 * run:
 *   # ssmc-disable-next-line RULE[,RULE...]   the next line only
 *   # ssmc-disable RULE ...  /  # ssmc-enable RULE ...   a range of lines
 * RULE is an id (SSM5001), a name (package-prompt), a ShellCheck code
 * (SC2086) or `all`. The comment may be a YAML comment or a comment inside
 * a script (a shell comment line in a block scalar is also a line of the
 * file), so it works in JSON documents' scripts too. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct rule_spec {
    bool all;
    bool builtin;
    ssmc_rule rule;
    char external[16];   /* "SC2086" */
} rule_spec;

typedef struct range {
    uint32_t file;
    uint32_t from, to;   /* lines, inclusive; to == UINT32_MAX: to the end */
    rule_spec spec;
} range;

typedef struct ranges {
    range *items;
    size_t count, cap;
} ranges;

static bool spec_parse(const char *w, size_t n, rule_spec *spec)
{
    char word[64];
    if (n == 0 || n >= sizeof word)
        return false;
    memcpy(word, w, n);
    word[n] = '\0';
    memset(spec, 0, sizeof *spec);
    if (strcasecmp(word, "all") == 0) {
        spec->all = true;
        return true;
    }
    if (n >= 3 && n < sizeof spec->external && (word[0] == 'S' || word[0] == 's') &&
        (word[1] == 'C' || word[1] == 'c') && isdigit((unsigned char)word[2])) {
        for (size_t i = 2; i < n; i++)
            if (!isdigit((unsigned char)word[i]))
                return false;
        spec->external[0] = 'S';
        spec->external[1] = 'C';
        memcpy(spec->external + 2, word + 2, n - 1);
        return true;
    }
    if (ssmc_rule_lookup(word, &spec->rule)) {
        spec->builtin = true;
        return true;
    }
    return false;
}

static bool spec_matches(const rule_spec *spec, const ssmc_diag *d)
{
    if (spec->all)
        return true;
    if (spec->builtin)
        return d->rule == spec->rule;
    return d->rule == SSMC_RULE_EXTERNAL && d->external_rule &&
           strcasecmp(d->external_rule, spec->external) == 0;
}

/* Reads the rules after a directive; calls back for each. */
static void parse_rules(const ssmc_source *src, uint32_t file, const char *p, const char *end,
                        uint32_t line, int kind, ranges *out, ssmc_diags *diags)
{
    bool any = false;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        if (p >= end || (p + 1 < end && p[0] == '-' && p[1] == '-') || *p == '#')
            break;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '\t' && *p != ',' && *p != '"' && *p != '\'')
            p++;
        rule_spec spec;
        if (!spec_parse(w, (size_t)(p - w), &spec)) {
            size_t off = (size_t)(w - src->data);
            ssmc_diag_add(diags, SSMC_RULE_SSM5024, file,
                          span_from_offsets(src, off, off + (size_t)(p - w)),
                          "'%.*s' is not a rule id, rule name, ShellCheck code or 'all'; this "
                          "suppression has no effect",
                          (int)(p - w), w);
            if (p < end && (*p == '"' || *p == '\''))
                break;
            continue;
        }
        any = true;
        GROW(out->items, out->cap, out->count + 1);
        range *r = &out->items[out->count++];
        r->file = file;
        r->spec = spec;
        r->from = kind == 0 ? line + 1 : line;
        r->to = kind == 0 ? line + 1 : UINT32_MAX;
        if (kind == 2) {
            /* enable: close the open ranges of this rule (or of all). */
            out->count--;
            for (size_t i = 0; i < out->count; i++) {
                range *o = &out->items[i];
                if (o->file == file && o->to == UINT32_MAX &&
                    (spec.all || memcmp(&o->spec, &spec, sizeof spec) == 0))
                    o->to = line;
            }
        }
        if (p < end && (*p == '"' || *p == '\''))
            break;
    }
    (void)any;
}

/* A '#' that starts a comment: first on its line, first in a list item
 * ("- # ..." or "- '# ..."), or after a blank outside quotes (a YAML
 * comment at the end of a line). Text inside a string such as a
 * description does not count. */
static bool comment_start(const char *line, const char *hash)
{
    const char *p = line;
    while (p < hash && (*p == ' ' || *p == '\t'))
        p++;
    if (p == hash)
        return true;
    if (*p == '-' && p + 1 < hash && p[1] == ' ') {
        p += 2;
        while (p < hash && (*p == ' ' || *p == '\t'))
            p++;
        if (p < hash && (*p == '"' || *p == '\''))
            p++;
        if (p == hash)
            return true;
    }
    if (hash[-1] != ' ' && hash[-1] != '\t')
        return false;
    size_t dq = 0, sq = 0;
    for (p = line; p < hash; p++) {
        dq += *p == '"';
        sq += *p == '\'';
    }
    return dq % 2 == 0 && sq % 2 == 0;
}

static void scan_source(const ssmc_source *src, uint32_t file, ranges *out, ssmc_diags *diags)
{
    static const struct {
        const char *word;
        int kind; /* 0 next line, 1 disable, 2 enable */
    } directives[] = {{"ssmc-disable-next-line", 0}, {"ssmc-disable", 1}, {"ssmc-enable", 2}};
    for (size_t li = 0; li < src->line_count; li++) {
        size_t len;
        const char *line = ssmc_source_line(src, (uint32_t)(li + 1), &len);
        const char *end = line + len;
        const char *hash = memchr(line, '#', len);
        while (hash && !comment_start(line, hash))
            hash = memchr(hash + 1, '#', (size_t)(end - hash - 1));
        while (hash) {
            const char *p = hash + 1;
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            for (size_t k = 0; k < 3; k++) {
                size_t n = strlen(directives[k].word);
                if ((size_t)(end - p) >= n && memcmp(p, directives[k].word, n) == 0 &&
                    (p + n == end || p[n] == ' ' || p[n] == '\t' || p[n] == '"' || p[n] == '\'')) {
                    const char *q = p + n;
                    size_t had = out->count;
                    parse_rules(src, file, q, end, (uint32_t)(li + 1), directives[k].kind, out,
                                diags);
                    if (out->count == had && directives[k].kind == 1) {
                        /* No rule named: everything. */
                        const char *r = q;
                        while (r < end && (*r == ' ' || *r == '\t'))
                            r++;
                        if (r == end || *r == '"' || *r == '\'') {
                            GROW(out->items, out->cap, out->count + 1);
                            range *rg = &out->items[out->count++];
                            memset(rg, 0, sizeof *rg);
                            rg->file = file;
                            rg->spec.all = true;
                            rg->from = (uint32_t)(li + 1);
                            rg->to = UINT32_MAX;
                        }
                    }
                    break;
                }
            }
            hash = NULL;
        }
    }
}

void suppress_apply(const ssmc_sources *sources, ssmc_diags *diags)
{
    ranges rs = {0};
    for (uint32_t f = 0; f < sources->count; f++) {
        const ssmc_source *src = sources->items[f];
        if (src && src->data && strstr(src->data, "ssmc-"))
            scan_source(src, f, &rs, diags);
    }
    if (rs.count == 0) {
        /* An enable with nothing open leaves an empty, allocated list. */
        free(rs.items);
        return;
    }
    size_t out = 0;
    for (size_t i = 0; i < diags->count; i++) {
        ssmc_diag *d = &diags->items[i];
        /* A comment in the document cannot hide that the document could
         * not be read (issue 18: the gate is not the input's to switch off). */
        bool drop = false;
        for (size_t k = 0; k < rs.count && !drop && !ssmc_rule_always_on(d->rule); k++) {
            const range *r = &rs.items[k];
            drop = r->file == d->file && d->span.start.line >= r->from &&
                   d->span.start.line <= r->to && d->rule != SSMC_RULE_SSM5024 &&
                   spec_matches(&r->spec, d);
        }
        if (drop) {
            diag_free_fields(d);
            continue;
        }
        diags->items[out++] = *d;
    }
    diags->count = out;
    free(rs.items);
}
