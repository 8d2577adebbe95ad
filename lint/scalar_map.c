/* scalar_map.c — re-decode a scalar from the raw source, remembering where
 * every decoded byte came from.
 *
 * The loader gives each scalar its decoded text and its span; ShellCheck
 * and our rules see only the decoded text. To put a finding on the right
 * line and column we scan the source again with libyaml's own rules (plain
 * and quoted line folding, escapes, block scalars with chomping and
 * indentation indicators) or RFC 8259's for JSON strings. The result is
 * trusted only when the text we decode equals node->str byte for byte;
 * otherwise the caller maps the whole scalar to its start. */
#include "lint.h"

#include <ctype.h>
#include <string.h>

size_t script_map_fallbacks;

typedef struct scan {
    const char *s;
    size_t n;
    buf *out;
    script_map *map;
    size_t limit;     /* no entry reaches past this offset (the span's end) */
} scan;

static void emit(scan *sc, const char *bytes, size_t k, size_t from, size_t to)
{
    if (to > sc->limit)
        to = sc->limit;
    if (from > to)
        from = to;
    /* One character at a time is the common case (and was a tenth of a
     * check): write it in place while both buffers have room. */
    if (k == 1 && sc->out->len + 2 <= sc->out->cap && sc->map->count < sc->map->cap &&
        sc->map->end) {
        sc->out->data[sc->out->len++] = bytes[0];
        sc->out->data[sc->out->len] = '\0';
        sc->map->start[sc->map->count] = (uint32_t)from;
        sc->map->end[sc->map->count] = (uint32_t)to;
        sc->map->count++;
        return;
    }
    buf_add(sc->out, bytes, k);
    size_t old_cap = sc->map->cap;
    GROW(sc->map->start, sc->map->cap, sc->map->count + k);
    /* end shares start's capacity: both arrays grow together (only when it
     * changes: a realloc per character is quadratic where realloc copies). */
    size_t cap = sc->map->cap;
    if (cap != old_cap || !sc->map->end)
        sc->map->end = xrealloc(sc->map->end, cap * sizeof *sc->map->end);
    for (size_t i = 0; i < k; i++) {
        sc->map->start[sc->map->count] = (uint32_t)from;
        sc->map->end[sc->map->count] = (uint32_t)to;
        sc->map->count++;
    }
}

static void emit_char(scan *sc, char c, size_t from, size_t to) { emit(sc, &c, 1, from, to); }

static bool at_blank(const scan *sc, size_t i) { return i < sc->n && (sc->s[i] == ' ' || sc->s[i] == '\t'); }

/* Length of the line break at i (\r\n, \r, \n, or libyaml's NEL), 0 if none. */
static size_t break_len(const scan *sc, size_t i)
{
    if (i >= sc->n)
        return 0;
    if (sc->s[i] == '\r')
        return i + 1 < sc->n && sc->s[i + 1] == '\n' ? 2 : 1;
    if (sc->s[i] == '\n')
        return 1;
    if ((unsigned char)sc->s[i] == 0xC2 && i + 1 < sc->n && (unsigned char)sc->s[i + 1] == 0x85)
        return 2;
    return 0;
}

/* Anchors and tags written before the scalar are inside its span. */
static size_t skip_properties(const scan *sc, size_t i, size_t end)
{
    while (i < end && (sc->s[i] == '&' || sc->s[i] == '!')) {
        if (sc->s[i] == '&') {
            /* libyaml's anchor names: [0-9A-Za-z_-]; "&a:b" is the anchor
             * "a" before the scalar ":b" (scanner.c yaml_parser_scan_anchor) */
            i++;
            while (i < end && (isalnum((unsigned char)sc->s[i]) || sc->s[i] == '_' ||
                               sc->s[i] == '-'))
                i++;
        } else {
            while (i < end && !at_blank(sc, i) && !break_len(sc, i))
                i++;
        }
        /* Blanks, line breaks and comments may stand between the
         * properties and the scalar ("&cmds   # anchor" on the key's line,
         * the scalar on the next: found by fuzz_scriptmap). A '#' here
         * always follows a blank or a break: libyaml rejects "&a#". */
        for (;;) {
            if (i < end && at_blank(sc, i))
                i++;
            else if (i < end && break_len(sc, i))
                i += break_len(sc, i);
            else if (i < end && sc->s[i] == '#' &&
                     (at_blank(sc, i - 1) || sc->s[i - 1] == '\n' || sc->s[i - 1] == '\r'))
                while (i < end && !break_len(sc, i))
                    i++;
            else
                break;
        }
    }
    return i;
}

/* --- folding shared by plain and quoted scalars ---------------------- */

typedef struct fold {
    bool leading_blanks;     /* a line break was seen in this gap */
    bool have_break;         /* ...and it was a real one (not an escaped break) */
    size_t break_at;
    size_t ws_start, ws_end; /* blanks before the first break */
    /* Further breaks (empty lines): the first one's offset and how many;
     * only blanks and breaks lie between them, so fold_join walks them
     * again rather than keeping a bounded list (any number of empty lines
     * must map). */
    size_t trailing_at;
    size_t ntrailing;
    bool overflow;
} fold;

/* Consumes blanks and breaks from i; returns the new position. */
static size_t fold_gap(scan *sc, size_t i, size_t end, fold *f)
{
    f->ws_start = f->ws_end = i;
    while (i < end) {
        size_t bl = break_len(sc, i);
        if (at_blank(sc, i)) {
            i++;
            if (!f->leading_blanks)
                f->ws_end = i;
        } else if (bl) {
            if (!f->leading_blanks) {
                f->leading_blanks = f->have_break = true;
                f->break_at = i;
            } else {
                if (f->ntrailing++ == 0)
                    f->trailing_at = i;
            }
            i += bl;
        } else {
            break;
        }
    }
    return i;
}

static void fold_join(scan *sc, fold *f)
{
    if (f->leading_blanks) {
        if (f->have_break && f->ntrailing == 0)
            emit_char(sc, ' ', f->break_at, f->break_at + 1);
        size_t at = f->trailing_at;
        for (size_t t = 0; t < f->ntrailing; t++) {
            while (at_blank(sc, at))
                at++;
            emit_char(sc, '\n', at, at + 1);
            at += break_len(sc, at);
        }
    } else if (f->ws_end > f->ws_start) {
        for (size_t k = f->ws_start; k < f->ws_end; k++)
            emit_char(sc, sc->s[k], k, k + 1);
    }
    memset(f, 0, sizeof *f);
}

/* --- plain ------------------------------------------------------------ */

static bool scan_plain(scan *sc, size_t i, size_t end)
{
    fold f;
    memset(&f, 0, sizeof f);
    while (i < end) {
        while (i < end && !at_blank(sc, i) && !break_len(sc, i)) {
            emit_char(sc, sc->s[i], i, i + 1);
            i++;
        }
        if (i >= end)
            break;
        i = fold_gap(sc, i, end, &f);
        if (f.overflow)
            return false;
        if (i >= end)
            break;
        fold_join(sc, &f);
    }
    return true;
}

/* --- quoted ----------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_hex(const scan *sc, size_t i, int digits, uint32_t *out)
{
    uint32_t v = 0;
    for (int k = 0; k < digits; k++) {
        int h = i + (size_t)k < sc->n ? hexval(sc->s[i + (size_t)k]) : -1;
        if (h < 0)
            return false;
        v = v * 16 + (uint32_t)h;
    }
    *out = v;
    return true;
}

static void emit_cp(scan *sc, uint32_t cp, size_t from, size_t to)
{
    buf tmp;
    buf_init(&tmp);
    utf8_encode(&tmp, cp);
    emit(sc, tmp.data, tmp.len, from, to);
    buf_free(&tmp);
}

/* One escape of a YAML double-quoted scalar at i (the backslash). Returns
 * its length, 0 when unknown. */
static size_t yaml_escape(scan *sc, size_t i)
{
    if (i + 1 >= sc->n)
        return 0;
    char c = sc->s[i + 1];
    static const char from[] = "0abt\tnvfre \"/'\\";
    static const char to[] = "\0\a\b\t\t\n\v\f\r\x1b \"/'\\";
    const char *p = memchr(from, c, sizeof from - 1);
    if (p) {
        emit_char(sc, to[p - from], i, i + 2);
        return 2;
    }
    uint32_t cp;
    switch (c) {
    case 'N': emit_cp(sc, 0x85, i, i + 2); return 2;
    case '_': emit_cp(sc, 0xA0, i, i + 2); return 2;
    case 'L': emit_cp(sc, 0x2028, i, i + 2); return 2;
    case 'P': emit_cp(sc, 0x2029, i, i + 2); return 2;
    case 'x':
        if (!read_hex(sc, i + 2, 2, &cp))
            return 0;
        emit_cp(sc, cp, i, i + 4);
        return 4;
    case 'u':
        if (!read_hex(sc, i + 2, 4, &cp))
            return 0;
        emit_cp(sc, cp, i, i + 6);
        return 6;
    case 'U':
        if (!read_hex(sc, i + 2, 8, &cp))
            return 0;
        emit_cp(sc, cp, i, i + 10);
        return 10;
    default:
        return 0;
    }
}

/* A JSON escape at i (RFC 8259 section 7), surrogate pairs joined. */
static size_t json_escape(scan *sc, size_t i)
{
    if (i + 1 >= sc->n)
        return 0;
    char c = sc->s[i + 1];
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    const char *p = memchr(from, c, sizeof from - 1);
    if (p) {
        emit_char(sc, to[p - from], i, i + 2);
        return 2;
    }
    uint32_t cp, lo;
    if (c != 'u' || !read_hex(sc, i + 2, 4, &cp))
        return 0;
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 11 < sc->n && sc->s[i + 6] == '\\' &&
        sc->s[i + 7] == 'u' && read_hex(sc, i + 8, 4, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
        emit_cp(sc, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00), i, i + 12);
        return 12;
    }
    emit_cp(sc, cp, i, i + 6);
    return 6;
}

static bool scan_quoted(scan *sc, size_t i, bool json)
{
    char q = sc->s[i];
    bool single = q == '\'';
    i++;
    fold f;
    memset(&f, 0, sizeof f);
    for (;;) {
        if (i >= sc->n)
            return false;
        while (i < sc->n && (json || (!at_blank(sc, i) && !break_len(sc, i)))) {
            char c = sc->s[i];
            if (single && c == '\'' && i + 1 < sc->n && sc->s[i + 1] == '\'') {
                emit_char(sc, '\'', i, i + 2);
                i += 2;
            } else if (c == q) {
                return true;
            } else if (!single && c == '\\' && !json && break_len(sc, i + 1)) {
                /* An escaped line break: nothing of it is kept. */
                i += 1 + break_len(sc, i + 1);
                f.leading_blanks = true;
                break;
            } else if (!single && c == '\\') {
                size_t k = json ? json_escape(sc, i) : yaml_escape(sc, i);
                if (!k)
                    return false;
                i += k;
            } else {
                emit_char(sc, c, i, i + 1);
                i++;
            }
        }
        if (i >= sc->n)
            return false;
        if (sc->s[i] == q && !f.leading_blanks) {
            /* A quote right after a run: handled at the top of the loop. */
            continue;
        }
        bool escaped_break = f.leading_blanks;
        i = fold_gap(sc, i, sc->n, &f);
        if (f.overflow)
            return false;
        if (escaped_break)
            f.have_break = false;
        fold_join(sc, &f);
    }
}

/* --- block scalars ---------------------------------------------------- */

typedef struct block {
    bool folded;
    int chomp;        /* -1 strip, 0 clip, +1 keep */
    size_t body;      /* offset of the first line after the header */
} block;

/* Skips empty lines (and indentation up to indent) counting their
 * breaks (*first: the first one's offset; only spaces lie between them, so
 * emit_breaks walks them again: any number of empty lines maps); *col gets
 * the indentation of the line it stops at. */
static size_t block_breaks(scan *sc, size_t i, size_t indent, size_t *col, size_t *max_col,
                           size_t *first, size_t *nbreaks)
{
    for (;;) {
        size_t c = 0;
        while ((indent == 0 || c < indent) && i < sc->n && sc->s[i] == ' ')
            i++, c++;
        if (c > *max_col)
            *max_col = c;
        size_t bl = break_len(sc, i);
        if (!bl) {
            *col = c;
            return i;
        }
        if ((*nbreaks)++ == 0)
            *first = i;
        i += bl;
    }
}

static void emit_breaks(scan *sc, size_t at, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        while (at < sc->n && sc->s[at] == ' ')
            at++;
        emit_char(sc, '\n', at, at + 1);
        at += break_len(sc, at);
    }
}

static bool decode_block(scan *sc, const block *b, size_t indent)
{
    size_t first = 0, nbreaks = 0, col = 0, max_col = 0;
    size_t i = block_breaks(sc, b->body, indent, &col, &max_col, &first, &nbreaks);
    if (indent == 0) {
        indent = max_col < 1 ? 1 : max_col;
        /* Re-scan the leading empty lines with the indentation now known. */
        nbreaks = 0;
        max_col = 0;
        i = block_breaks(sc, b->body, indent, &col, &max_col, &first, &nbreaks);
    }
    bool have_lb = false, leading_blank = false;
    size_t lb = 0;
    while (col == indent && i < sc->n) {
        bool trailing_blank = at_blank(sc, i);
        if (b->folded && have_lb && !leading_blank && !trailing_blank) {
            if (nbreaks == 0)
                emit_char(sc, ' ', lb, lb + 1);
            have_lb = false;
        } else if (have_lb) {
            emit_char(sc, '\n', lb, lb + 1);
            have_lb = false;
        }
        emit_breaks(sc, first, nbreaks);
        nbreaks = 0;
        leading_blank = at_blank(sc, i);
        while (i < sc->n && !break_len(sc, i)) {
            emit_char(sc, sc->s[i], i, i + 1);
            i++;
        }
        if (i >= sc->n)
            break;
        have_lb = true;
        lb = i;
        i += break_len(sc, i);
        i = block_breaks(sc, i, indent, &col, &max_col, &first, &nbreaks);
    }
    if (b->chomp != -1 && have_lb)
        emit_char(sc, '\n', lb, lb + 1);
    if (b->chomp == 1)
        emit_breaks(sc, first, nbreaks);
    return true;
}

static bool parse_block_header(const scan *sc, size_t i, block *b, size_t *increment)
{
    b->folded = sc->s[i] == '>';
    b->chomp = 0;
    *increment = 0;
    i++;
    for (int k = 0; k < 2 && i < sc->n; k++, i++) {
        char c = sc->s[i];
        if (c == '+' || c == '-')
            b->chomp = c == '+' ? 1 : -1;
        else if (c >= '1' && c <= '9')
            *increment = (size_t)(c - '0');
        else
            break;
    }
    while (at_blank(sc, i))
        i++;
    if (i < sc->n && sc->s[i] == '#')
        while (i < sc->n && !break_len(sc, i))
            i++;
    if (i < sc->n && !break_len(sc, i))
        return false;
    b->body = i + break_len(sc, i);
    return true;
}

static bool text_equals(const buf *out, size_t mark, const ssmc_node *node)
{
    return out->len - mark == node->len && (node->len == 0 || memcmp(out->data + mark, node->str, node->len) == 0);
}

bool script_map_scalar(const ssmc_source *source, const ssmc_node *node, buf *text,
                       script_map *map)
{
    scan sc = {source->data, source->len, text, map, SIZE_MAX};
    size_t mark = text->len, mcount = map->count;
    size_t start = node->span.start, end = node->span.end;
    if (!node->str || start >= source->len || end > source->len || start > end ||
        source->len >= UINT32_MAX)
        return false;
    start = skip_properties(&sc, start, end);
    bool ok = false;
    switch (node->style) {
    case SSMC_STYLE_PLAIN:
    case SSMC_STYLE_ANY:
        ok = scan_plain(&sc, start, end);
        break;
    case SSMC_STYLE_SINGLE_QUOTED:
    case SSMC_STYLE_DOUBLE_QUOTED:
        ok = start < end && (sc.s[start] == '\'' || sc.s[start] == '"') &&
             scan_quoted(&sc, start, false);
        break;
    case SSMC_STYLE_JSON:
        ok = start < end && sc.s[start] == '"' && scan_quoted(&sc, start, true);
        break;
    case SSMC_STYLE_LITERAL:
    case SSMC_STYLE_FOLDED: {
        /* The loader ends a block scalar's span with its last non-blank
         * character (load_yaml.c trim_block_end): the kept final line
         * break and trailing blanks of the last line map to that end, not
         * past the scalar. */
        sc.limit = end;
        block b;
        size_t increment;
        if (start >= end || (sc.s[start] != '|' && sc.s[start] != '>') ||
            !parse_block_header(&sc, start, &b, &increment))
            break;
        if (!increment) {
            ok = decode_block(&sc, &b, 0) && text_equals(text, mark, node);
            break;
        }
        /* The indentation is the parent's plus the indicator; the parent's
         * is not in the tree, so try each and keep the one that decodes. */
        for (size_t parent = 0; parent <= 64 && !ok; parent++) {
            text->len = mark;
            map->count = mcount;
            ok = decode_block(&sc, &b, parent + increment) && text_equals(text, mark, node);
        }
        break;
    }
    default:
        break;
    }
    if (ok && text_equals(text, mark, node))
        return true;
    text->len = mark;
    if (text->data)
        text->data[mark] = '\0';
    map->count = mcount;
    return false;
}
