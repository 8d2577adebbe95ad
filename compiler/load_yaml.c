/* load_yaml.c — YAML through libyaml's event API into the shared tree.
 *
 * libyaml gives 0-based marks that count characters; we turn its character
 * index into a byte offset with a cursor that moves with the events, and
 * then into our own line and column with a second cursor (so every front end
 * agrees on what a line is, and a 100 MB single-line document stays linear).
 * Aliases arrive unexpanded: they become shared subtrees whose expanded size
 * and height are counted against ssmc_limits. libyaml 0.2.5 has no nesting
 * limit, so depth is bounded here; we stop pulling events at the limit, so
 * libyaml's own stacks never grow past it either.
 *
 * libyaml's error messages name grammar productions ("did not find expected
 * key while parsing a block mapping"); explain_error() below looks at the
 * text around the marks and says what a person should fix, and where. */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define NONE SIZE_MAX

typedef struct anchor {
    const char *name;
    ssmc_node *node;
    size_t height;          /* collections nested inside, aliases expanded */
    size_t weight;          /* nodes in it, aliases expanded (the alias limit) */
} anchor;

/* One child of an open collection: the node, and where this occurrence of
 * it is (for an alias, the '*name' rather than the anchored node). */
typedef struct child {
    ssmc_node *node;
    ssmc_loc at;
} child;

typedef struct frame {
    ssmc_node *node;
    child *items;
    size_t count, cap;
    size_t height;          /* tallest child so far */
    /* Nodes of the children so far, aliases expanded: kept here, not in
     * the node, since only the alias limit needs it while loading. */
    size_t weight;
    size_t anchor;          /* index into anchors, or NONE */
} frame;

typedef struct yaml_loader {
    loader *ld;
    yaml_parser_t parser;
    /* char index -> byte offset cursor */
    size_t cur_char, cur_byte, base_byte;
    frame *stack;
    size_t depth, stack_cap;
    /* Anchors in definition order, and a hash index of the newest one of
     * each name (a later anchor of the same name shadows the earlier). */
    anchor *anchors;
    size_t anchor_count, anchor_cap;
    size_t *anchor_index, anchor_index_cap;
    int documents;
    /* The last scalar read: helps explain an error that follows it. */
    size_t last_scalar_start, last_scalar_end;
    ssmc_style last_scalar_style;
    bool have_last_scalar;
    /* CloudFormation intrinsic tags (!Ref, !Sub, ...): a document included
     * by CloudFormation (AWS::Include), reported once. */
    size_t cfn_count;
    ssmc_loc cfn_first;
    const char *cfn_tag;
} yaml_loader;

/* --- positions ------------------------------------------------------- */

static size_t char_to_byte(yaml_loader *yl, size_t ci)
{
    const ssmc_source *src = yl->ld->source;
    if (src->ascii)
        return ci + yl->base_byte < src->len ? ci + yl->base_byte : src->len;
    const unsigned char *d = (const unsigned char *)src->data;
    /* Marks are nearly monotonic; a step back is short. */
    while (yl->cur_char > ci && yl->cur_byte > yl->base_byte) {
        yl->cur_byte--;
        while (yl->cur_byte > yl->base_byte && (d[yl->cur_byte] & 0xC0) == 0x80)
            yl->cur_byte--;
        yl->cur_char--;
    }
    while (yl->cur_char < ci && yl->cur_byte < src->len) {
#if defined(__SSE2__) && defined(__GNUC__)
        /* Most of a text with some non-ASCII is ASCII: sixteen ASCII bytes
         * are sixteen characters (this walk was 0.8% of checking the
         * corpus). A byte after an ASCII byte starts a character. */
        while (ci - yl->cur_char >= 16 && yl->cur_byte + 16 <= src->len &&
               !_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(d + yl->cur_byte)))) {
            yl->cur_byte += 16;
            yl->cur_char += 16;
        }
        if (yl->cur_char == ci)
            break;
#endif
        yl->cur_byte++;
        while (yl->cur_byte < src->len && (d[yl->cur_byte] & 0xC0) == 0x80)
            yl->cur_byte++;
        yl->cur_char++;
    }
    return yl->cur_byte;
}

static size_t mark_offset(yaml_loader *yl, yaml_mark_t m)
{
    return char_to_byte(yl, m.index);
}

/* Nodes hold byte offsets only: lines and columns are computed for the
 * findings that need them, not for every node. */
static ssmc_loc mark_loc(yaml_loader *yl, yaml_mark_t a, yaml_mark_t b)
{
    return (ssmc_loc){(uint32_t)mark_offset(yl, a), (uint32_t)mark_offset(yl, b)};
}

static ssmc_loc point(yaml_loader *yl, yaml_mark_t m)
{
    uint32_t at = (uint32_t)mark_offset(yl, m);
    return (ssmc_loc){at, at};
}

/* Errors are rare and jump around: plain look-ups, no cursor. */
static ssmc_span bytes_span(yaml_loader *yl, size_t start, size_t end)
{
    return span_from_offsets(yl->ld->source, start, end < start ? start : end);
}

/* --- reading the source around an error ------------------------------ */

static int byte_at(yaml_loader *yl, size_t off)
{
    const ssmc_source *src = yl->ld->source;
    return off < src->len ? (unsigned char)src->data[off] : -1;
}

static bool is_break(int c)
{
    return c == '\n' || c == '\r';
}

static bool is_blank(int c)
{
    return c == ' ' || c == '\t';
}

static size_t line_start_of(yaml_loader *yl, size_t off)
{
    const ssmc_source *src = yl->ld->source;
    if (off > src->len)
        off = src->len;
    ssmc_pos p = ssmc_source_pos(src, off);
    size_t s = src->line_starts[p.line - 1];
    if (p.line == 1 && yl->base_byte)
        s = yl->base_byte;
    return s;
}

static size_t line_end_of(yaml_loader *yl, size_t off)
{
    size_t e = off;
    while (byte_at(yl, e) >= 0 && !is_break(byte_at(yl, e)))
        e++;
    return e;
}

static size_t skip_spaces(yaml_loader *yl, size_t off, size_t end)
{
    while (off < end && byte_at(yl, off) == ' ')
        off++;
    return off;
}

/* Where the key of a block line starts: past the indentation and any
 * "- " or "? " indicators ("  - - key: v" -> "key"). */
static size_t key_start(yaml_loader *yl, size_t ls, size_t le)
{
    size_t p = skip_spaces(yl, ls, le);
    while (p < le && (byte_at(yl, p) == '-' || byte_at(yl, p) == '?') &&
           (p + 1 >= le || byte_at(yl, p + 1) == ' '))
        p = skip_spaces(yl, p + 1, le);
    return p;
}

static bool line_is_content(yaml_loader *yl, size_t ls)
{
    size_t le = line_end_of(yl, ls);
    size_t p = ls;
    while (p < le && is_blank(byte_at(yl, p)))
        p++;
    return p < le && byte_at(yl, p) != '#';
}

/* Start of the nearest line before the line of off that holds more than
 * blanks and comments, or NONE. */
static size_t prev_content_line(yaml_loader *yl, size_t off)
{
    const ssmc_source *src = yl->ld->source;
    ssmc_pos p = ssmc_source_pos(src, off);
    for (size_t li = p.line - 1; li-- > 0;) {
        size_t ls = li == 0 && yl->base_byte ? yl->base_byte : src->line_starts[li];
        if (line_is_content(yl, ls))
            return ls;
    }
    return NONE;
}

static bool at_end_of_input(yaml_loader *yl, size_t off)
{
    /* Only blanks, line breaks and comments remain. */
    const ssmc_source *src = yl->ld->source;
    while (off < src->len) {
        int c = byte_at(yl, off);
        if (c == '#') {
            off = line_end_of(yl, off);
            continue;
        }
        if (!is_blank(c) && !is_break(c))
            return false;
        off++;
    }
    return true;
}

static uint32_t col_of(yaml_loader *yl, size_t off)
{
    return ssmc_source_pos(yl->ld->source, off).col;
}

static uint32_t line_of(yaml_loader *yl, size_t off)
{
    return ssmc_source_pos(yl->ld->source, off).line;
}

/* A short, printable excerpt of the source for a message. */
static char *excerpt(yaml_loader *yl, size_t start, size_t end)
{
    buf b;
    buf_init(&b);
    if (end - start > 40) {
        end = start + 37;
        while (end > start && (byte_at(yl, end) & 0xC0) == 0x80)
            end--;
        buf_add(&b, yl->ld->source->data + start, end - start);
        buf_adds(&b, "...");
    } else {
        buf_add(&b, yl->ld->source->data + start, end - start);
    }
    return buf_steal(&b);
}

/* --- errors ---------------------------------------------------------- */

/* libyaml's contexts, reworded as the thing the related position shows. */
static const char *context_note(const char *context)
{
    static const struct {
        const char *from, *to;
    } table[] = {
        {"while parsing a block mapping", "the mapping that starts here"},
        {"while parsing a block collection", "the list that starts here"},
        {"while parsing a flow sequence", "the flow list '[' that starts here"},
        {"while parsing a flow mapping", "the flow mapping '{' that starts here"},
        {"while parsing a block node", "the value that starts here"},
        {"while parsing a flow node", "the value that starts here"},
        {"while parsing a node", "the value that starts here"},
        {"while parsing a quoted scalar", "the quoted string that starts here"},
        {"while scanning a quoted scalar", "the quoted string that starts here"},
        {"while scanning a block scalar", "the block scalar ('|' or '>') that starts here"},
        {"while scanning a plain scalar", "the unquoted value that starts here"},
        {"while scanning a simple key", "the key that starts here"},
        {"while scanning an alias", "the alias that starts here"},
        {"while scanning an anchor", "the anchor that starts here"},
        {"while scanning a tag", "the tag that starts here"},
        {"while parsing a tag", "the tag that starts here"},
        {"while scanning a directive", "the directive that starts here"},
        {"while scanning a %YAML directive", "the %YAML directive that starts here"},
        {"while scanning a %TAG directive", "the %TAG directive that starts here"},
        {"while scanning a tag directive", "the %TAG directive that starts here"},
        {"while parsing a tag directive", "the %TAG directive that starts here"},
        {"while parsing a %TAG directive", "the %TAG directive that starts here"},
    };
    if (!context)
        return NULL;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(context, table[i].from) == 0)
            return table[i].to;
    return NULL; /* "while scanning for the next token": the same place */
}

/* Problems whose wording does not depend on the text around them. */
static const char *plain_reword(const char *problem)
{
    static const struct {
        const char *from, *to;
    } table[] = {
        {"found an indentation indicator equal to 0",
         "the indentation indicator after '|' or '>' must be a digit from 1 to 9, not 0"},
        {"found unknown directive name",
         "unknown directive: only %YAML and %TAG exist (a value that starts with '%' must be "
         "quoted)"},
        {"could not find expected directive name", "expected a directive name (YAML or TAG) "
                                                   "after '%'"},
        {"found unexpected non-alphabetical character",
         "a directive name may contain only letters, digits, '-' and '_'"},
        {"did not find expected whitespace", "expected a space here"},
        {"did not find expected digit or '.' character",
         "a %YAML version is written MAJOR.MINOR, for example '%YAML 1.2'"},
        {"did not find expected version number",
         "a %YAML version is written MAJOR.MINOR, for example '%YAML 1.2'"},
        {"found extremely long version number",
         "a %YAML version is written MAJOR.MINOR, for example '%YAML 1.2'"},
        {"did not find expected whitespace or line break",
         "expected a space or the end of the line after the tag"},
        {"did not find expected '!'", "a tag handle must end with '!' (as in '!!str' or '!e!')"},
        {"did not find expected tag URI", "expected a tag name after '!'"},
        {"did not find URI escaped octet",
         "a '%' in a tag must start an escape of two hexadecimal digits"},
        {"found an incorrect leading UTF-8 octet",
         "the %-escapes in this tag do not form valid UTF-8"},
        {"found an incorrect trailing UTF-8 octet",
         "the %-escapes in this tag do not form valid UTF-8"},
        {"did not find the expected '>'", "a verbatim tag '!<...' needs its closing '>'"},
        {"found incompatible YAML document",
         "this %YAML version is not supported: use '%YAML 1.2' or '%YAML 1.1', or remove the "
         "line"},
        {"found duplicate %YAML directive", "a second %YAML directive: keep only one"},
        {"found duplicate %TAG directive", "a second %TAG directive for the same handle: keep "
                                           "only one"},
        {"found invalid Unicode character escape code",
         "this escape is not a character (a UTF-16 surrogate half, or above U+10FFFF); write "
         "the character itself, or a surrogate pair as one \\U00XXXXXX escape"},
        {"mapping keys are not allowed in this context",
         "a '?' (explicit key) is not allowed here; quote the value if it starts with '?'"},
        {"found unexpected ':'", "unexpected ':' here; quote the value if the ':' is part of it"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(problem, table[i].from) == 0)
            return table[i].to;
    return NULL;
}

/* The innermost open flow collection, if any. */
static ssmc_node *open_flow(yaml_loader *yl)
{
    for (size_t i = yl->depth; i-- > 0;)
        if (yl->stack[i].node->style == SSMC_STYLE_FLOW)
            return yl->stack[i].node;
    return NULL;
}

/* The first tab in the indentation of the line holding off (indentation
 * counts the '- ', '? ' and ': ' indicators of block collections too), or
 * NONE. */
static size_t indentation_tab(yaml_loader *yl, size_t off)
{
    size_t ls = line_start_of(yl, off), le = line_end_of(yl, ls);
    for (size_t p = ls; p < le; p++) {
        int c = byte_at(yl, p);
        if (c == '\t')
            return p;
        if (c == ' ')
            continue;
        if ((c == '-' || c == '?' || c == ':') && (p + 1 >= le || is_blank(byte_at(yl, p + 1))))
            continue;
        return NONE;
    }
    return NONE;
}

typedef struct explained {
    ssmc_rule rule;
    size_t at, at_end;
    char *message;
    size_t rel, rel_end;    /* rel == NONE: no related position */
    char *rel_message;
} explained;

static void say(explained *e, size_t at, size_t at_end, const char *fmt, ...) SSMC_PRINTF(4, 5);
static void say(explained *e, size_t at, size_t at_end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(e->message);
    e->message = xvasprintf(fmt, ap);
    va_end(ap);
    e->at = at;
    e->at_end = at_end;
}

static void note(explained *e, size_t at, size_t at_end, const char *fmt, ...) SSMC_PRINTF(4, 5);
static void note(explained *e, size_t at, size_t at_end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(e->rel_message);
    e->rel_message = xvasprintf(fmt, ap);
    va_end(ap);
    e->rel = at;
    e->rel_end = at_end;
}

static size_t one_char(yaml_loader *yl, size_t off)
{
    if (byte_at(yl, off) < 0 || is_break(byte_at(yl, off)))
        return off;
    size_t n = utf8_valid_len((const unsigned char *)yl->ld->source->data + off,
                              yl->ld->source->len - off);
    return off + (n ? n : 1);
}

/* "key: value: x" — is there an earlier ': ' on the line, outside quotes?
 * Returns its offset or NONE. */
static size_t earlier_colon(yaml_loader *yl, size_t ls, size_t colon)
{
    size_t p = key_start(yl, ls, colon);
    int quote = 0;
    for (; p < colon; p++) {
        int c = byte_at(yl, p);
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if ((c == '"' || c == '\'') && (p == ls || is_blank(byte_at(yl, p - 1)) ||
                                                byte_at(yl, p - 1) == ':')) {
            quote = c;
        } else if (c == ':' && is_blank(byte_at(yl, p + 1))) {
            return p;
        }
    }
    return NONE;
}

/* "mapping values are not allowed in this context": a ':' where no key
 * can be. */
static void explain_colon(yaml_loader *yl, explained *e, size_t colon)
{
    size_t ls = line_start_of(yl, colon), le = line_end_of(yl, colon);
    size_t first = earlier_colon(yl, ls, colon);
    if (first != NONE) {
        /* key: value: x */
        size_t vs = skip_spaces(yl, first + 1, le), ve = le;
        for (size_t p = vs; p < le; p++)
            if (byte_at(yl, p) == '#' && is_blank(byte_at(yl, p - 1))) {
                ve = p;
                break;
            }
        while (ve > vs && is_blank(byte_at(yl, ve - 1)))
            ve--;
        char *value = excerpt(yl, vs, ve);
        char *key = excerpt(yl, key_start(yl, ls, first), first);
        const char *q = !strchr(value, '"') && !strchr(value, '\\') ? "\""
                        : !strchr(value, '\'')                     ? "'"
                                                                   : NULL;
        if (q && ve - vs <= 40)
            say(e, colon, colon + 1,
                "a second ': ' on this line: YAML reads it as a mapping inside the value, "
                "which is not allowed; if the ': ' is part of the text, quote the value "
                "(%s: %s%s%s)",
                key, q, value, q);
        else
            say(e, colon, colon + 1,
                "a second ': ' on this line: YAML reads it as a mapping inside the value, "
                "which is not allowed; if the ': ' is part of the text, quote the value");
        note(e, first, first + 1, "the key '%s' ends here", key);
        free(value);
        free(key);
        return;
    }
    size_t ks = key_start(yl, ls, colon);
    /* A quoted key that began on an earlier line: "a\nb": 1 */
    size_t before = colon;
    while (before > ls && is_blank(byte_at(yl, before - 1)))
        before--;
    int q = before > ls ? byte_at(yl, before - 1) : 0;
    if ((q == '"' || q == '\'') && !memchr(yl->ld->source->data + ks, q, before - 1 - ks)) {
        say(e, colon, colon + 1,
            "this ':' follows a quoted string that began on an earlier line, but a key must "
            "fit on one line; is a closing %c missing above?", q);
        return;
    }
    size_t prev = prev_content_line(yl, colon);
    if (prev != NONE && ks < colon) {
        size_t pe = line_end_of(yl, prev);
        size_t pk = key_start(yl, prev, pe);
        char *key = excerpt(yl, ks, before);
        uint32_t kc = col_of(yl, ks), pc = col_of(yl, pk);
        bool prev_has_colon = false;
        for (size_t p = pk; p < pe; p++)
            if (byte_at(yl, p) == ':' && (p + 1 == pe || is_blank(byte_at(yl, p + 1))))
                prev_has_colon = true;
        if (!prev_has_colon && byte_at(yl, pk) != '#') {
            char *text = excerpt(yl, pk, pe);
            say(e, ks, colon + 1,
                "the line above ('%s') has no ':', so YAML reads this line as more of its "
                "text, where a key cannot start; add ': ' to the line above, or make both "
                "lines list items ('- ')", text);
            note(e, pk, pe, "the line without ':' is here");
            free(text);
        } else if (kc > pc) {
            say(e, ks, colon + 1,
                "'%s' is indented more than the key on line %u (column %u, not %u), so YAML "
                "reads this line as part of that key's value; line it up with the key above, "
                "or indent it under a key that ends with ':'",
                key, line_of(yl, pk), kc, pc);
            note(e, pk, pk, "the key whose value this line continues");
        } else {
            say(e, colon, colon + 1,
                "a ':' is not allowed here: this line continues the value that starts above; "
                "quote that value, or fix the indentation");
        }
        free(key);
        return;
    }
    say(e, colon, colon + 1,
        "a ':' followed by a space is not allowed here; quote the value if the ':' is part "
        "of it, or fix the indentation of this key");
}

/* "did not find expected key" (in a block mapping whose first key is at
 * ctx) and "did not find expected '-' indicator" (in a block list). */
static void explain_block_entry(yaml_loader *yl, explained *e, size_t at, size_t ctx, bool list)
{
    size_t ls = line_start_of(yl, at), le = line_end_of(yl, at);
    size_t fnb = skip_spaces(yl, ls, le);
    int c = byte_at(yl, at);
    uint32_t col = col_of(yl, at), ccol = col_of(yl, ctx), cline = line_of(yl, ctx);
    const char *what = list ? "list" : "mapping";
    if (c == ']' || c == '}') {
        say(e, at, at + 1, "this '%c' closes nothing: no '%c' is open here; remove it", c,
            c == ']' ? '[' : '{');
        return;
    }
    if (at > fnb) {
        /* Something was read before the problem on this line. */
        size_t before = at;
        while (before > ls && is_blank(byte_at(yl, before - 1)))
            before--;
        int q = before > ls ? byte_at(yl, before - 1) : 0;
        if (yl->have_last_scalar && yl->last_scalar_end == before &&
            (yl->last_scalar_style == SSMC_STYLE_DOUBLE_QUOTED ||
             yl->last_scalar_style == SSMC_STYLE_SINGLE_QUOTED) &&
            line_of(yl, yl->last_scalar_start) < line_of(yl, at)) {
            size_t open = yl->last_scalar_start;
            while (byte_at(yl, open) != '"' && byte_at(yl, open) != '\'' && open < before)
                open++;
            say(e, open, open + 1,
                "this quoted string is not closed on its line: it runs on to line %u and ends "
                "at a quote there, leaving the rest of that line unreadable; add the missing "
                "closing %c", line_of(yl, at), byte_at(yl, open));
            note(e, before - 1, before, "the string ends at this quote");
            return;
        }
        if (q == '\'' && c != '#' && !is_blank(c)) {
            say(e, at, line_end_of(yl, at),
                "text after the closing quote of a single-quoted string; to put a ' inside "
                "single quotes write it twice ('it''s'), or use double quotes");
            return;
        }
        if (q == '"') {
            say(e, at, line_end_of(yl, at),
                "text after the closing quote of a double-quoted string; to put a \" inside "
                "double quotes write \\\", or quote the whole value with single quotes");
            return;
        }
        say(e, at, line_end_of(yl, at),
            "unexpected text after the value on this line; a %s entry ends with its value",
            what);
        return;
    }
    if (!list && c == '-' && (at + 1 >= le || is_blank(byte_at(yl, at + 1)))) {
        if (col == ccol)
            say(e, at, at + 1,
                "a list item ('- ') cannot stand among the keys of a mapping; indent the list "
                "under the key it belongs to (a line ending with ':')");
        else
            say(e, at, at + 1,
                "this list item is at column %u, which lines up with no open list (the "
                "mapping that starts on line %u has its keys at column %u); line it up with "
                "the items of its list", col, cline, ccol);
        note(e, ctx, ctx, "the mapping that starts here");
        return;
    }
    if (c == ':' && (at + 1 >= le || is_blank(byte_at(yl, at + 1)))) {
        say(e, at, at + 1, "a key is missing before this ':'; write 'key: value'");
        note(e, ctx, ctx, "the %s that starts here", what);
        return;
    }
    if (!list && col == ccol) {
        say(e, at, one_char(yl, at), "expected a key here ('key: value')");
        note(e, ctx, ctx, "the mapping that starts here");
        return;
    }
    if (list && col == ccol) {
        if (ccol == 1)
            say(e, at, at + 1,
                "this line is not a list item, but the document at this level is a list; "
                "start it with '- ', or make the whole document a mapping");
        else
            say(e, at, at + 1,
                "this line is at the column of the list items above but is not an item; start "
                "it with '- ', or if it belongs to the enclosing mapping, indent it less");
        note(e, ctx, ctx, "the list that starts here");
        return;
    }
    size_t prev = prev_content_line(yl, at);
    if (prev != NONE) {
        size_t pk = key_start(yl, prev, line_end_of(yl, prev));
        uint32_t pc = col_of(yl, pk);
        if (pc != col && pc != ccol) {
            say(e, at, at + 1,
                "bad indentation: this line starts at column %u, but the %s that starts on "
                "line %u has its %s at column %u and the key on the line above is at column "
                "%u; line it up with its siblings", col, what, cline, list ? "items" : "keys",
                ccol, pc);
            note(e, ctx, ctx, "the %s that starts here", what);
            return;
        }
    }
    say(e, at, at + 1,
        "bad indentation: this line starts at column %u, but the %s that starts on line %u has "
        "its %s at column %u; line it up with its siblings", col, what, cline,
        list ? "items" : "keys", ccol);
    note(e, ctx, ctx, "the %s that starts here", what);
}

static void explain_flow(yaml_loader *yl, explained *e, size_t at, size_t ctx, bool seq)
{
    char open = seq ? '[' : '{', close = seq ? ']' : '}';
    const char *what = seq ? "flow list" : "flow mapping";
    int c = byte_at(yl, at);
    if (at_end_of_input(yl, at)) {
        say(e, ctx, ctx + 1, "this '%c' is never closed; add '%c' at the end of the %s", open,
            close, what);
        note(e, at, at, "the file ends here");
        return;
    }
    if (c == ']' || c == '}') {
        say(e, at, at + 1, "'%c' does not match the '%c' of the %s on line %u; close it with '%c'",
            c, open, what, line_of(yl, ctx), close);
        note(e, ctx, ctx + 1, "the %s that starts here", what);
        return;
    }
    if (line_of(yl, at) > line_of(yl, ctx))
        say(e, at, one_char(yl, at),
            "expected ',' or '%c' before this: the %s opened on line %u is still open here (is "
            "its '%c' or a ',' missing?)", close, what, line_of(yl, ctx), close);
    else
        say(e, at, one_char(yl, at), "expected ',' between the items of this %s, or '%c' to "
                                     "close it", what, close);
    note(e, ctx, ctx + 1, "the %s that starts here", what);
}

static void explain_error(yaml_loader *yl, explained *e)
{
    yaml_parser_t *p = &yl->parser;
    const char *problem = p->problem ? p->problem : "unknown YAML error";
    const char *context = p->context;
    size_t at = mark_offset(yl, p->problem_mark);
    size_t ctx = context ? mark_offset(yl, p->context_mark) : NONE;
    int c = byte_at(yl, at);
    bool scanner = p->error == YAML_SCANNER_ERROR;
    e->rule = SSMC_RULE_SSM1001;

    /* libyaml breaks lines at U+0085, U+2028 and U+2029 too, which editors
     * show as characters (or not at all). */
    size_t from = line_start_of(yl, ctx != NONE && ctx < at ? ctx : at), to = line_end_of(yl, at);
    for (size_t o = from; o + 1 < to; o++) {
        const unsigned char *d = (const unsigned char *)yl->ld->source->data + o;
        unsigned cp = d[0] == 0xC2 && d[1] == 0x85                                  ? 0x85
                      : o + 2 < to && d[0] == 0xE2 && d[1] == 0x80 && (d[2] & 0xFE) == 0xA8
                          ? 0x2000u + d[2] - 0x80u
                          : 0;
        if (cp) {
            say(e, o, one_char(yl, o),
                "U+%04X is a line break in YAML, although editors show no new line here; "
                "replace it with a space or a real line break", cp);
            return;
        }
    }

    /* Tabs used for indentation make libyaml fail in many ways, often a
     * line later; a tab in the indentation of the failing line (or of the
     * line where the open construct began) is nearly always the cause. */
    size_t tab = indentation_tab(yl, at);
    if (tab == NONE && context && scanner)
        tab = indentation_tab(yl, ctx);
    if (tab == NONE && c == '\t')
        tab = at;
    if (tab != NONE) {
        e->rule = SSMC_RULE_SSM1018;
        if (strcmp(problem, "found a tab character where an indentation space is expected") == 0)
            say(e, tab, tab + 1,
                "tab character in the indentation of a block scalar ('|' or '>'); its lines "
                "must be indented with spaces (a tab after the spaces is kept as text)");
        else
            say(e, tab, tab + 1,
                "tab character in indentation; YAML indentation must be spaces (replace the "
                "tab with spaces)");
        return;
    }

    if (strcmp(problem, "mapping values are not allowed in this context") == 0) {
        explain_colon(yl, e, at);
        return;
    }
    if (strcmp(problem, "did not find expected key") == 0 && ctx != NONE) {
        explain_block_entry(yl, e, at, ctx, false);
        return;
    }
    if (strcmp(problem, "did not find expected '-' indicator") == 0 && ctx != NONE) {
        explain_block_entry(yl, e, at, ctx, true);
        return;
    }
    if (strcmp(problem, "did not find expected ',' or ']'") == 0 && ctx != NONE) {
        explain_flow(yl, e, at, ctx, true);
        return;
    }
    if (strcmp(problem, "did not find expected ',' or '}'") == 0 && ctx != NONE) {
        explain_flow(yl, e, at, ctx, false);
        return;
    }
    if (strcmp(problem, "could not find expected ':'") == 0 && ctx != NONE) {
        size_t le = line_end_of(yl, ctx);
        char *text = excerpt(yl, ctx, le);
        say(e, ctx, le,
            "'%s' has no ':' after it; every line of a mapping is 'key: value' (or, to "
            "continue the value above, indent this line further)", text);
        free(text);
        return;
    }
    if (strcmp(problem, "found unexpected end of stream") == 0) {
        if (ctx != NONE && strstr(context, "quoted scalar")) {
            say(e, ctx, ctx + 1, "this quoted string is never closed; add the closing %c",
                byte_at(yl, ctx) == '\'' ? '\'' : '"');
            note(e, at, at, "the file ends here");
        } else {
            say(e, at, at, "the file ends in the middle of a value");
            if (context_note(context))
                note(e, ctx, ctx, "%s", context_note(context));
        }
        return;
    }
    if (strcmp(problem, "found unexpected document indicator") == 0) {
        say(e, at, at + 3,
            "a line starting with '---' or '...' ends the document, even inside a quoted "
            "string; close the string before it (is a closing quote missing?) or indent the "
            "line");
        if (ctx != NONE)
            note(e, ctx, ctx + 1, "the quoted string that starts here");
        return;
    }
    if (strcmp(problem, "found unknown escape character") == 0) {
        size_t end = one_char(yl, at + 1);
        char *esc = excerpt(yl, at, end);
        say(e, at, end,
            "unknown escape '%s' in a double-quoted string; write '\\\\' for a backslash, or "
            "use single quotes, where '\\' has no special meaning", esc);
        free(esc);
        if (ctx != NONE)
            note(e, ctx, ctx + 1, "the double-quoted string that starts here");
        return;
    }
    if (strcmp(problem, "did not find expected hexdecimal number") == 0) {
        size_t bs = at;
        while (bs > line_start_of(yl, at) && byte_at(yl, bs) != '\\')
            bs--;
        int kind = byte_at(yl, bs + 1);
        int want = kind == 'x' ? 2 : kind == 'u' ? 4 : 8;
        say(e, bs, one_char(yl, at),
            "the escape '\\%c' needs exactly %d hexadecimal digits (0-9, A-F); to write a "
            "backslash, write '\\\\'", kind, want);
        if (ctx != NONE)
            note(e, ctx, ctx + 1, "the double-quoted string that starts here");
        return;
    }
    if (strcmp(problem, "found invalid Unicode character escape code") == 0) {
        size_t bs = at;
        while (bs > line_start_of(yl, at) && byte_at(yl, bs) != '\\')
            bs--;
        say(e, bs, at, "%s", plain_reword(problem));
        if (ctx != NONE)
            note(e, ctx, ctx + 1, "the double-quoted string that starts here");
        return;
    }
    if (strcmp(problem, "found character that cannot start any token") == 0) {
        if (c == '@' || c == '`')
            say(e, at, at + 1,
                "'%c' is reserved in YAML and cannot start an unquoted value; quote the value",
                c);
        else if (c == '%')
            say(e, at, at + 1,
                "'%%' cannot start an unquoted value (at the start of a line it begins a "
                "directive); quote the value");
        else {
            char *ch = excerpt(yl, at, one_char(yl, at));
            say(e, at, one_char(yl, at),
                "'%s' cannot start a value here; quote the value", ch);
            free(ch);
        }
        return;
    }
    if (strcmp(problem, "did not find expected alphabetic or numeric character") == 0 &&
        context && (strstr(context, "alias") || strstr(context, "anchor"))) {
        bool alias = strstr(context, "alias") != NULL;
        say(e, ctx, at,
            "'%c' must be followed by an anchor name (letters, digits, '-' and '_'); to write "
            "a value that starts with '%c', quote it", alias ? '*' : '&', alias ? '*' : '&');
        return;
    }
    if (strcmp(problem, "did not find expected comment or line break") == 0 && context &&
        strstr(context, "block scalar")) {
        say(e, at, one_char(yl, at),
            "after '|' or '>' only a chomping indicator ('-' or '+'), an indentation digit "
            "(1-9) and a comment may follow; the text starts on the next line, indented");
        note(e, ctx, ctx + 1, "the block scalar that starts here");
        return;
    }
    if (strcmp(problem, "did not find expected comment or line break") == 0) {
        say(e, at, one_char(yl, at), "unexpected text after the directive; a directive "
                                     "stands on a line of its own");
        return;
    }
    if (strcmp(problem, "block sequence entries are not allowed in this context") == 0) {
        if (open_flow(yl))
            say(e, at, at + 1,
                "'- ' list items are not allowed inside '[...]' or '{...}'; separate flow "
                "items with ','");
        else
            say(e, at, at + 1,
                "a list cannot start on the same line as its key; put each '- item' on its own "
                "line, indented below the key");
        return;
    }
    if (strcmp(problem, "did not find expected node content") == 0) {
        ssmc_node *flow = open_flow(yl);
        if (!flow && col_of(yl, at) == 1 && at + 3 <= yl->ld->source->len &&
            memcmp(yl->ld->source->data + at, "...", 3) == 0 && yl->ld->nodes == 0) {
            e->rule = SSMC_RULE_SSM1014;
            say(e, at, at + 3, "the document ends ('...') before any content; an SSM document "
                               "is a mapping with at least schemaVersion");
        } else if (flow && at_end_of_input(yl, at)) {
            bool seq = flow->type == SSMC_NODE_SEQ;
            size_t o = flow->span.start;
            while (byte_at(yl, o) != (seq ? '[' : '{') && byte_at(yl, o) >= 0)
                o++;
            say(e, o, o + 1, "this '%c' is never closed; add '%c' at the end of the %s",
                seq ? '[' : '{', seq ? ']' : '}', seq ? "flow list" : "flow mapping");
            note(e, at, at, "the file ends here");
        } else if (c == ',') {
            say(e, at, at + 1, "a value is missing before this ','; remove the extra ','");
        } else if (flow && (c == ']' || c == '}')) {
            bool seq = flow->type == SSMC_NODE_SEQ;
            say(e, at, at + 1, "'%c' does not match the '%c' on line %u; close it with '%c'", c,
                seq ? '[' : '{', ssmc_source_pos(yl->ld->source, flow->span.start).line,
                seq ? ']' : '}');
            note(e, flow->span.start, flow->span.start + 1,
                 "the %s that starts here", seq ? "flow list" : "flow mapping");
        } else if (c == '-' && flow) {
            say(e, at, at + 1,
                "'- ' list items are not allowed inside '[...]' or '{...}'; separate flow "
                "items with ','");
        } else {
            say(e, at, one_char(yl, at), "expected a value here (text, a list or a mapping)");
        }
        return;
    }
    if (strcmp(problem, "found unknown directive name") == 0 && ctx != NONE) {
        say(e, ctx, at, "%s", plain_reword(problem));
        return;
    }
    if (strcmp(problem, "did not find expected <document start>") == 0) {
        size_t prev = prev_content_line(yl, at);
        if (c != '%' && prev != NONE && byte_at(yl, prev) == '%')
            at = prev, c = '%';
        if (c == '%') {
            say(e, at, line_end_of(yl, at),
                "a directive must come before the document, followed by a line '---'");
        } else {
            e->rule = SSMC_RULE_SSM1013;
            say(e, at, at,
                "content after the end of the document ('...'); an SSM document file holds "
                "exactly one document (remove the '...' line or move this part to a file of "
                "its own)");
        }
        return;
    }
    if (strcmp(problem, "found undefined tag handle") == 0) {
        size_t end = at + 1;
        while (byte_at(yl, end) > ' ' && byte_at(yl, end) != '!')
            end++;
        if (byte_at(yl, end) == '!')
            end++;
        char *handle = excerpt(yl, at, end);
        say(e, at, end,
            "the tag handle '%s' is not defined; SSM documents use no tags of their own "
            "(remove the tag, or quote the value if the '!' is text)", handle);
        free(handle);
        return;
    }
    const char *text = plain_reword(problem);
    say(e, at, one_char(yl, at), "%s", text ? text : problem);
    if (context_note(context) && ctx != at)
        note(e, ctx, ctx, "%s", context_note(context));
}

static void report_parser_error(yaml_loader *yl)
{
    yaml_parser_t *p = &yl->parser;
    loader *ld = yl->ld;
    const char *problem = p->problem ? p->problem : "unknown YAML error";
    if (p->error == YAML_MEMORY_ERROR) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM9001, ld->file, bytes_span(yl, 0, 0),
                      "out of memory while reading YAML");
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        /* Reader errors carry a byte offset, not a mark. Encodings were
         * checked before, so this is nearly always a character YAML
         * forbids: C0/C1 controls other than tab and line breaks, DEL,
         * U+FFFE and U+FFFF. */
        size_t off = p->problem_offset;
        size_t end = off < ld->source->len ? one_char(yl, off) : off;
        if (strcmp(problem, "control characters are not allowed") == 0)
            ssmc_diag_add(ld->diags, SSMC_RULE_SSM1001, ld->file, bytes_span(yl, off, end),
                          "the character U+%04X (a control character) at byte offset %zu is "
                          "not allowed in YAML text; remove it, or write it as an escape "
                          "inside a double-quoted string (\"\\x%02X\")",
                          (unsigned)p->problem_value, off, (unsigned)p->problem_value & 0xFF);
        else
            ssmc_diag_add(ld->diags, SSMC_RULE_SSM1015, ld->file, bytes_span(yl, off, end),
                          "%s at byte offset %zu; re-save the file as UTF-8", problem, off);
        return;
    }
    explained e;
    memset(&e, 0, sizeof e);
    e.rel = NONE;
    explain_error(yl, &e);
    ssmc_diag *d = ssmc_diag_add(ld->diags, e.rule, ld->file, bytes_span(yl, e.at, e.at_end),
                                 "%s", e.message);
    if (e.rel != NONE && e.rel != e.at && e.rel_message)
        ssmc_diag_add_related(d, ld->file, bytes_span(yl, e.rel, e.rel_end), "%s",
                              e.rel_message);
    free(e.message);
    free(e.rel_message);
}

/* --- scalars --------------------------------------------------------- */

static bool all_match(const char *s, size_t len, const char *set)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!strchr(set, s[i]))
            return false;
    return true;
}

static bool is_one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (s[0] == (*words)[0] && strcmp(s, *words) == 0) /* most differ in the first byte */
            return true;
    return false;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* YAML 1.2 core schema: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool is_core_float(const char *s)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    bool digits = false;
    while (is_digit(*p))
        p++, digits = true;
    if (*p == '.') {
        p++;
        bool frac = false;
        while (is_digit(*p))
            p++, frac = true;
        if (!digits && !frac)
            return false;
    } else if (!digits) {
        return false;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!is_digit(*p))
            return false;
        while (is_digit(*p))
            p++;
    }
    return *p == '\0';
}

/* YAML 1.1 floats need a '.', and a sign in the exponent:
 * [-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)? */
static bool is_yaml11_float(const char *s)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (is_digit(*p)) {
        while (is_digit(*p) || *p == '_')
            p++;
    }
    if (*p != '.')
        return false;
    p++;
    while (is_digit(*p) || *p == '.')
        p++;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p != '-' && *p != '+')
            return false;
        p++;
        if (!is_digit(*p))
            return false;
        while (is_digit(*p))
            p++;
    }
    return *p == '\0';
}

/* YAML 1.1 base 60: [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+ (integer) or
 * [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* (float). Sets *value for the
 * integer form. */
static bool is_sexagesimal(const char *s, bool *is_int, long long *value)
{
    const char *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (!is_digit(*p))
        return false;
    bool leading_zero = *p == '0';
    long long v = 0;
    while (is_digit(*p) || *p == '_') {
        if (*p != '_' && v < 1000000000000LL)
            v = v * 10 + (*p - '0');
        p++;
    }
    int groups = 0;
    while (*p == ':') {
        p++;
        int d = 0, n = 0;
        while (is_digit(*p) && n < 3)
            d = d * 10 + (*p - '0'), p++, n++;
        if (n == 0 || n > 2 || (n == 2 && p[-2] > '5'))
            return false;
        v = v < 1000000000000LL ? v * 60 + d : v;
        groups++;
    }
    if (groups == 0)
        return false;
    if (*p == '\0') {
        if (leading_zero)
            return false;
        *is_int = true;
        *value = neg ? -v : v;
        return true;
    }
    if (*p != '.')
        return false;
    for (p++; *p; p++)
        if (!is_digit(*p) && *p != '_')
            return false;
    *is_int = false;
    return true;
}

static void warn_ambiguous(loader *ld, ssmc_node *n, const char *fix, const char *fmt, ...)
    SSMC_PRINTF(4, 5);
static void warn_ambiguous(loader *ld, ssmc_node *n, const char *fix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = xvasprintf(fmt, ap);
    va_end(ap);
    ssmc_diag_add(ld->diags, SSMC_RULE_SSM1019, ld->file, n->span, "'%s' is %s; %s", n->str, what,
                  fix);
    free(what);
}

static const char quote_or_plain[] =
    "quote it if you mean the text, or write the number plainly";

static void set_int_or_float(ssmc_node *n, const char *s, int base)
{
    errno = 0;
    long long v = strtoll(s, NULL, base);
    if (errno == ERANGE) {
        n->type = SSMC_NODE_FLOAT;
        n->val.f = base == 10 ? strtod(s, NULL) : (double)strtoull(s, NULL, base);
    } else {
        n->type = SSMC_NODE_INT;
        n->val.i = v;
    }
}

/* Plain, untagged scalars are typed by the YAML 1.2 core schema, which is
 * what a JSON-minded reader (and the SSM service, as far as its YAML output
 * shows) produces; where a YAML 1.1 reader would read something else, the
 * user is warned (SSM1019). */
static void resolve_plain(loader *ld, ssmc_node *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    static const char *const yaml11_trues[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
                                               NULL};
    static const char *const yaml11_falses[] = {"n", "N", "no", "No", "NO", "off", "Off", "OFF",
                                                NULL};
    static const char *const infs[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                                       "-.inf", "-.Inf", "-.INF", NULL};
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    const char *s = n->str;
    if (memchr(s, '\0', n->len) || n->len > 64)
        return; /* no number or keyword is this long */
    /* Most plain scalars are words: every keyword below has at most 5
     * characters, and every number starts with a digit, a sign or '.'. */
    if (n->len > 5 && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return;
    /* And each of them starts with one of these bytes (or is empty). */
    static const bool may_start[256] = {
        ['~'] = 1, ['n'] = 1, ['N'] = 1, ['t'] = 1, ['T'] = 1, ['f'] = 1, ['F'] = 1, ['y'] = 1,
        ['Y'] = 1, ['o'] = 1, ['O'] = 1, ['.'] = 1, ['+'] = 1, ['-'] = 1, ['0'] = 1, ['1'] = 1,
        ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    };
    if (s[0] && !may_start[(unsigned char)s[0]])
        return;
    if (is_one_of(s, nulls)) {
        n->type = SSMC_NODE_NULL;
        return;
    }
    if (is_one_of(s, trues) || is_one_of(s, falses)) {
        n->type = SSMC_NODE_BOOL;
        n->val.b = is_one_of(s, trues);
        return;
    }
    if (is_one_of(s, yaml11_trues) || is_one_of(s, yaml11_falses)) {
        char *fix = xasprintf("quote it ('%s') if you mean the text, or write %s for a boolean",
                              s, is_one_of(s, yaml11_trues) ? "true" : "false");
        warn_ambiguous(ld, n, fix, "the boolean %s in YAML 1.1 but a string in YAML 1.2",
                       is_one_of(s, yaml11_trues) ? "true" : "false");
        free(fix);
        return;
    }
    bool sign = s[0] == '-' || s[0] == '+';
    const char *digits = sign ? s + 1 : s;
    if (all_match(digits, strlen(digits), "0123456789")) {
        set_int_or_float(n, s, 10);
        if (digits[0] == '0' && digits[1] != '\0') {
            if (all_match(digits, strlen(digits), "01234567")) {
                long long oct = strtoll(s, NULL, 8);
                if (n->type == SSMC_NODE_INT && oct != n->val.i)
                    warn_ambiguous(ld, n, "quote it if you mean the text, or write the number "
                                          "without leading zeros",
                                   "the octal number %lld in YAML 1.1 but the decimal number "
                                   "%lld in YAML 1.2", oct, (long long)n->val.i);
            } else {
                warn_ambiguous(ld, n, "quote it if you mean the text, or write the number "
                                      "without leading zeros",
                               "a string in YAML 1.1 but a number in YAML 1.2");
            }
        }
        return;
    }
    if (s[0] == '0' && s[1] == 'o' && all_match(s + 2, strlen(s + 2), "01234567")) {
        set_int_or_float(n, s + 2, 8);
        warn_ambiguous(ld, n, quote_or_plain, "a string in YAML 1.1 but the octal number %s in "
                                              "YAML 1.2", s + 2);
        return;
    }
    if (s[0] == '0' && s[1] == 'x' && all_match(s + 2, strlen(s + 2), "0123456789abcdefABCDEF")) {
        set_int_or_float(n, s + 2, 16);
        return;
    }
    if (is_core_float(s)) {
        n->type = SSMC_NODE_FLOAT;
        n->val.f = strtod(s, NULL);
        if (!is_yaml11_float(s))
            warn_ambiguous(ld, n, quote_or_plain,
                           "a string in YAML 1.1 but a number in YAML 1.2 (YAML 1.1 numbers "
                           "with an exponent need a '.' and a sign, as in 1.0e+3)");
        return;
    }
    if (is_one_of(s, infs) || is_one_of(s, nans)) {
        n->type = SSMC_NODE_FLOAT;
        n->val.f = is_one_of(s, nans) ? NAN : (s[0] == '-' ? -INFINITY : INFINITY);
        return;
    }
    /* Forms only YAML 1.1 reads as numbers. */
    if (!is_digit(digits[0]))
        return;
    bool is_int;
    long long v;
    if (digits[0] == '0' && digits[1] == 'b' && all_match(digits + 2, strlen(digits + 2), "01_")) {
        warn_ambiguous(ld, n, quote_or_plain, "a binary number in YAML 1.1 but a string in "
                                              "YAML 1.2");
    } else if (digits[0] == '0' && digits[1] == 'x' &&
               all_match(digits + 2, strlen(digits + 2), "0123456789abcdefABCDEF_")) {
        warn_ambiguous(ld, n, quote_or_plain, "a hexadecimal number in YAML 1.1 but a string "
                                              "in YAML 1.2");
    } else if (is_sexagesimal(s, &is_int, &v)) {
        if (is_int)
            warn_ambiguous(ld, n, "quote it; a time of day or a duration is text",
                           "the base-60 number %lld in YAML 1.1 but a string in YAML 1.2", v);
        else
            warn_ambiguous(ld, n, "quote it; a time of day or a duration is text",
                           "a base-60 number in YAML 1.1 but a string in YAML 1.2");
    } else if (strchr(s, '_') &&
               (all_match(digits, strlen(digits), "0123456789_") || is_yaml11_float(s))) {
        warn_ambiguous(ld, n, "quote it if you mean the text, or write the number without '_'",
                       "a number in YAML 1.1 but a string in YAML 1.2");
    }
}

static const char core_prefix[] = "tag:yaml.org,2002:";

/* Core-schema tags that keep their meaning in JSON. Returns false for any
 * other tag. */
static bool apply_tag(yaml_loader *yl, ssmc_node *n, const char *tag)
{
    loader *ld = yl->ld;
    if (strcmp(tag, "tag:yaml.org,2002:str") == 0 || strcmp(tag, "!") == 0) {
        /* '!' is the non-specific tag: a string, whatever it looks like. */
        n->type = SSMC_NODE_STRING;
        return true;
    }
    if (strncmp(tag, core_prefix, sizeof core_prefix - 1) != 0)
        return false;
    const char *want = tag + sizeof core_prefix - 1;
    if (strcmp(want, "null") != 0 && strcmp(want, "bool") != 0 && strcmp(want, "int") != 0 &&
        strcmp(want, "float") != 0)
        return false;
    resolve_plain(ld, n);
    const char *got = n->type == SSMC_NODE_NULL    ? "null"
                      : n->type == SSMC_NODE_BOOL  ? "bool"
                      : n->type == SSMC_NODE_INT   ? "int"
                      : n->type == SSMC_NODE_FLOAT ? "float"
                                                   : "str";
    if (strcmp(want, "float") == 0 && n->type == SSMC_NODE_INT) {
        n->type = SSMC_NODE_FLOAT;
        n->val.f = (double)n->val.i;
    } else if (strcmp(want, got) != 0) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1001, ld->file, n->span,
                      "'%s' is not a valid !!%s value; remove the tag or fix the value", n->str,
                      want);
        n->type = SSMC_NODE_STRING;
    }
    return true;
}

static void report_unknown_tag(yaml_loader *yl, ssmc_node *n, const char *tag)
{
    loader *ld = yl->ld;
    char *shown = strncmp(tag, core_prefix, sizeof core_prefix - 1) == 0
                      ? xasprintf("!!%s", tag + sizeof core_prefix - 1)
                      : xstrdup(tag);
    static const char *const cfn[] = {"!Ref", "!Sub", "!GetAtt", "!Join", "!Select", "!Split",
                                      "!If", "!Equals", "!Not", "!And", "!Or", "!FindInMap",
                                      "!ImportValue", "!GetAZs", "!Base64", "!Cidr",
                                      "!Condition", "!Transform", "!Contains", "!EachMemberEquals",
                                      "!EachMemberIn", "!RefAll", "!ValueOf", "!Length",
                                      "!ToJsonString", NULL};
    if (is_one_of(tag, cfn)) {
        /* Reported once per document, at the end (see load_yaml). */
        if (yl->cfn_count++ == 0) {
            yl->cfn_first = n->span;
            yl->cfn_tag = arena_strdup(ld->doc->arena, tag);
        }
    } else
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1020, ld->file, n->span,
                      "the tag '%s' is not supported in SSM documents (only the JSON-compatible "
                      "core tags !!str, !!int, !!float, !!bool, !!null, !!seq and !!map are); "
                      "remove it",
                      shown);
    free(shown);
}

/* --- anchors --------------------------------------------------------- */

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static size_t *anchor_slot(yaml_loader *yl, const char *name)
{
    size_t mask = yl->anchor_index_cap - 1;
    for (size_t i = hash_bytes(name, strlen(name)) & mask;; i = (i + 1) & mask) {
        size_t *slot = &yl->anchor_index[i];
        if (*slot == NONE || strcmp(yl->anchors[*slot].name, name) == 0)
            return slot;
    }
}

static size_t register_anchor(yaml_loader *yl, const yaml_char_t *name, ssmc_node *node)
{
    if (!name)
        return NONE;
    if (2 * (yl->anchor_count + 1) > yl->anchor_index_cap) {
        size_t cap = yl->anchor_index_cap ? 2 * yl->anchor_index_cap : 64;
        free(yl->anchor_index);
        yl->anchor_index = xmalloc(cap * sizeof *yl->anchor_index);
        yl->anchor_index_cap = cap;
        for (size_t i = 0; i < cap; i++)
            yl->anchor_index[i] = NONE;
        for (size_t i = 0; i < yl->anchor_count; i++)
            *anchor_slot(yl, yl->anchors[i].name) = i;
    }
    GROW(yl->anchors, yl->anchor_cap, yl->anchor_count + 1);
    anchor *a = &yl->anchors[yl->anchor_count];
    a->name = arena_strdup(yl->ld->doc->arena, (const char *)name);
    a->node = node;
    a->height = 0;
    a->weight = 1; /* a collection's is set when it ends */
    /* A later anchor of the same name shadows the earlier one. */
    *anchor_slot(yl, a->name) = yl->anchor_count;
    return yl->anchor_count++;
}

static anchor *find_anchor(yaml_loader *yl, const char *name)
{
    if (!yl->anchor_count)
        return NULL;
    size_t i = *anchor_slot(yl, name);
    return i == NONE ? NULL : &yl->anchors[i];
}

/* --- tree building --------------------------------------------------- */

static bool over_node_limit(yaml_loader *yl, yaml_mark_t m)
{
    loader *ld = yl->ld;
    if (ld->nodes < ld->limits.max_nodes)
        return false;
    ssmc_diag_add(ld->diags, SSMC_RULE_SSM1023, ld->file, point(yl, m),
                  "the document has more than %zu nodes; ssmc stops reading here",
                  ld->limits.max_nodes);
    ld->failed = true;
    return true;
}

static void add_child(yaml_loader *yl, ssmc_node *node, ssmc_loc at, size_t height,
                      size_t weight)
{
    if (yl->depth == 0) {
        if (!yl->ld->doc->root)
            yl->ld->doc->root = node;
        return;
    }
    frame *f = &yl->stack[yl->depth - 1];
    GROW(f->items, f->cap, f->count + 1);
    f->items[f->count].node = node;
    f->items[f->count].at = at;
    f->count++;
    if (height > f->height)
        f->height = height;
    f->weight += weight;
}

static bool is_merge_key(const ssmc_node *key)
{
    return key->type == SSMC_NODE_STRING && key->style == SSMC_STYLE_PLAIN && key->len == 2 &&
           memcmp(key->str, "<<", 2) == 0 &&
           (!key->tag || strcmp(key->tag, "tag:yaml.org,2002:merge") == 0);
}

/* A set of key texts, to merge in time linear in the keys. */
typedef struct key_set {
    const ssmc_node **slots;
    size_t mask;
} key_set;

static bool key_set_add(key_set *set, const ssmc_node *key)
{
    for (size_t i = hash_bytes(key->str, key->len) & set->mask;; i = (i + 1) & set->mask) {
        const ssmc_node *k = set->slots[i];
        if (!k) {
            set->slots[i] = key;
            return true;
        }
        if (k->len == key->len && memcmp(k->str, key->str, key->len) == 0)
            return false;
    }
}

/* Merge keys ('<<', https://yaml.org/type/merge.html): the keys of the
 * merged mapping(s) are added unless the mapping has them itself; with a
 * list, earlier mappings win. */
static void apply_merges(yaml_loader *yl, ssmc_node *map, child *items, size_t n)
{
    loader *ld = yl->ld;
    ssmc_pair *pairs = map->pairs;
    size_t kept = 0, total = 0;
    /* Explicit pairs first, then the merged ones in order. */
    for (size_t i = 0; i < n; i++)
        if (!is_merge_key(pairs[i].key))
            pairs[kept++] = pairs[i];
    total = kept;
    for (size_t i = 0; i < n; i++) {
        ssmc_node *k = items[2 * i].node, *v = items[2 * i + 1].node;
        if (!is_merge_key(k))
            continue;
        ssmc_node **list = v->type == SSMC_NODE_SEQ ? v->items : &v;
        size_t count = v->type == SSMC_NODE_SEQ ? v->count : 1;
        bool reported = false;
        for (size_t j = 0; j < count; j++) {
            if (list[j]->type == SSMC_NODE_MAP) {
                total += list[j]->count;
                continue;
            }
            if (reported)
                continue;
            /* Once per merge key, at the value as written there (an alias
             * points to its '*name', not to the anchored list). */
            reported = true;
            ssmc_diag *d;
            if (v->type == SSMC_NODE_SEQ)
                d = ssmc_diag_add(ld->diags, SSMC_RULE_SSM1027, ld->file, items[2 * i + 1].at,
                                  "a merge key '<<' takes a mapping or a list of mappings; item "
                                  "%zu of this list is %s", j + 1,
                                  ssmc_node_type_phrase(list[j]->type));
            else
                d = ssmc_diag_add(ld->diags, SSMC_RULE_SSM1027, ld->file, items[2 * i + 1].at,
                                  "a merge key '<<' takes a mapping or a list of mappings, not %s",
                                  ssmc_node_type_phrase(list[j]->type));
            ssmc_diag_add_related(d, ld->file, items[2 * i].at, "the merge key is here");
        }
    }
    ssmc_pair *out = arena_alloc(ld->doc->arena, (total ? total : 1) * sizeof *out);
    if (kept)
        memcpy(out, pairs, kept * sizeof *out);
    key_set set;
    size_t cap = 16;
    while (cap < 2 * total)
        cap *= 2;
    set.slots = xcalloc(cap, sizeof *set.slots);
    set.mask = cap - 1;
    for (size_t i = 0; i < kept; i++)
        if (ssmc_node_is_scalar(out[i].key))
            key_set_add(&set, out[i].key);
    size_t m = kept;
    for (size_t i = 0; i < n; i++) {
        ssmc_node *k = items[2 * i].node, *v = items[2 * i + 1].node;
        if (!is_merge_key(k))
            continue;
        ssmc_node **list = v->type == SSMC_NODE_SEQ ? v->items : &v;
        size_t count = v->type == SSMC_NODE_SEQ ? v->count : 1;
        for (size_t j = 0; j < count; j++) {
            if (list[j]->type != SSMC_NODE_MAP)
                continue;
            for (size_t p = 0; p < list[j]->count; p++) {
                ssmc_pair pair = list[j]->pairs[p];
                if (ssmc_node_is_scalar(pair.key) && !key_set_add(&set, pair.key))
                    continue;
                pair.flags |= SSMC_NODE_MERGED;
                out[m++] = pair;
            }
        }
    }
    free(set.slots);
    map->pairs = out;
    map->count = m;
}

static void check_key(yaml_loader *yl, const ssmc_node *key, ssmc_loc at)
{
    loader *ld = yl->ld;
    if (key->type == SSMC_NODE_STRING)
        return;
    if (key->type == SSMC_NODE_SEQ || key->type == SSMC_NODE_MAP)
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1028, ld->file, at,
                      "%s cannot be a key; SSM documents are JSON objects, whose keys are "
                      "strings", ssmc_node_type_phrase(key->type));
    else if (key->type == SSMC_NODE_NULL)
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1028, ld->file, at,
                      "this key is empty (null); SSM documents are JSON objects, whose keys are "
                      "strings: write the key before the ':'");
    else
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1028, ld->file, at,
                      "the key %s is %s; SSM documents are JSON objects, whose keys are "
                      "strings: quote it ('%s')", key->str, ssmc_node_type_phrase(key->type),
                      key->str);
}

static void end_collection(yaml_loader *yl, yaml_mark_t end)
{
    loader *ld = yl->ld;
    frame *f = &yl->stack[yl->depth - 1];
    ssmc_node *node = f->node;
    /* A flow collection ends at its bracket; a block one at its last
     * entry (libyaml's mark is where the next token starts). */
    if (node->style == SSMC_STYLE_FLOW || f->count == 0)
        node->span.end = (uint32_t)mark_offset(yl, end);
    else
        node->span.end = f->items[f->count - 1].at.end;
    if (node->type == SSMC_NODE_SEQ) {
        node->items = arena_alloc(ld->doc->arena, (f->count ? f->count : 1) * sizeof(ssmc_node *));
        for (size_t i = 0; i < f->count; i++)
            node->items[i] = f->items[i].node;
        node->count = f->count;
    } else {
        size_t n = f->count / 2;
        ssmc_pair *pairs = arena_alloc(ld->doc->arena, (n ? n : 1) * sizeof *pairs);
        bool has_merge = false;
        size_t first_merge = 0;
        for (size_t i = 0; i < n; i++) {
            pairs[i].key = f->items[2 * i].node;
            pairs[i].value = f->items[2 * i + 1].node;
            if (is_merge_key(pairs[i].key) && has_merge) {
                /* A key twice: YAML forbids it, and readers disagree on
                 * which merge wins; one '<<' takes a list of mappings. */
                ssmc_diag *d = ssmc_diag_add(
                    ld->diags, SSMC_RULE_SSM1151, ld->file, f->items[2 * i].at,
                    "a second merge key '<<' in one mapping; a mapping holds each key once, "
                    "and YAML readers disagree on which merge wins: merge several mappings "
                    "with one key, '<<: [*first, *second]'");
                ssmc_diag_add_related(d, ld->file, f->items[2 * first_merge].at,
                                      "the first merge key is here");
            } else if (is_merge_key(pairs[i].key))
                has_merge = true, first_merge = i;
            else
                check_key(yl, pairs[i].key, f->items[2 * i].at);
        }
        node->pairs = pairs;
        node->count = n;
        if (has_merge)
            apply_merges(yl, node, f->items, n);
        loader_check_duplicate_keys(ld, node);
    }
    size_t height = f->height + 1, weight = f->weight + 1;
    if (f->anchor != NONE) {
        yl->anchors[f->anchor].height = height;
        yl->anchors[f->anchor].weight = weight;
    }
    free(f->items);
    yl->depth--;
    add_child(yl, node, node->span, height, weight);
}

/* A block scalar's end mark is where the next token starts, past the
 * trailing empty lines; its span ends with its last character. */
static size_t trim_block_end(yaml_loader *yl, size_t start, size_t end)
{
    while (end > start + 1) {
        int c = byte_at(yl, end - 1);
        if (!is_blank(c) && !is_break(c))
            break;
        end--;
    }
    return end;
}

static void on_scalar(yaml_loader *yl, yaml_event_t *ev)
{
    loader *ld = yl->ld;
    if (over_node_limit(yl, ev->start_mark))
        return;
    ssmc_style style;
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = SSMC_STYLE_SINGLE_QUOTED; break;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = SSMC_STYLE_DOUBLE_QUOTED; break;
    case YAML_LITERAL_SCALAR_STYLE: style = SSMC_STYLE_LITERAL; break;
    case YAML_FOLDED_SCALAR_STYLE: style = SSMC_STYLE_FOLDED; break;
    default: style = SSMC_STYLE_PLAIN; break;
    }
    size_t start = mark_offset(yl, ev->start_mark), end = mark_offset(yl, ev->end_mark);
    if (style == SSMC_STYLE_LITERAL || style == SSMC_STYLE_FOLDED)
        end = trim_block_end(yl, start, end);
    ssmc_loc span = {(uint32_t)start, (uint32_t)end};
    yl->last_scalar_start = start;
    yl->last_scalar_end = end;
    yl->last_scalar_style = style;
    yl->have_last_scalar = true;
    ssmc_node *n = loader_new_node(ld, SSMC_NODE_STRING, style, span);
    size_t len = ev->data.scalar.length;
    if (len > ld->limits.max_scalar_bytes) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1024, ld->file, n->span,
                      "this scalar is %zu bytes, over the limit of %zu bytes", len,
                      ld->limits.max_scalar_bytes);
        ld->failed = true;
        return;
    }
    n->str = arena_strndup(ld->doc->arena, (const char *)ev->data.scalar.value, len);
    n->len = len;
    const char *tag = (const char *)ev->data.scalar.tag;
    if (tag) {
        n->tag = arena_strdup(ld->doc->arena, tag);
        if (!apply_tag(yl, n, tag)) {
            report_unknown_tag(yl, n, tag);
            /* Readers that ignore tags (as AWS's does with CloudFormation
             * includes) see the value as if it had none. */
            if (style == SSMC_STYLE_PLAIN)
                resolve_plain(ld, n);
        }
    } else if (style == SSMC_STYLE_PLAIN) {
        resolve_plain(ld, n);
    }
    size_t a = register_anchor(yl, ev->data.scalar.anchor, n);
    (void)a;
    add_child(yl, n, n->span, 0, 1);
}

static void on_collection_start(yaml_loader *yl, yaml_event_t *ev, bool is_map)
{
    loader *ld = yl->ld;
    if (over_node_limit(yl, ev->start_mark))
        return;
    if (yl->depth >= ld->limits.max_depth) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1021, ld->file, point(yl, ev->start_mark),
                      "nesting is deeper than %zu levels; ssmc stops reading here",
                      ld->limits.max_depth);
        ld->failed = true;
        return;
    }
    const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    bool flow = is_map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                       : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    ssmc_node *n = loader_new_node(ld, is_map ? SSMC_NODE_MAP : SSMC_NODE_SEQ,
                                   flow ? SSMC_STYLE_FLOW : SSMC_STYLE_BLOCK,
                                   point(yl, ev->start_mark));
    if (tag) {
        n->tag = arena_strdup(ld->doc->arena, (const char *)tag);
        const char *want = is_map ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq";
        if (strcmp((const char *)tag, want) != 0 && strcmp((const char *)tag, "!") != 0)
            report_unknown_tag(yl, n, (const char *)tag);
    }
    size_t a = register_anchor(yl, is_map ? ev->data.mapping_start.anchor
                                          : ev->data.sequence_start.anchor, n);
    GROW(yl->stack, yl->stack_cap, yl->depth + 1);
    frame *f = &yl->stack[yl->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->anchor = a;
}

static void on_alias(yaml_loader *yl, yaml_event_t *ev)
{
    loader *ld = yl->ld;
    const char *name = (const char *)ev->data.alias.anchor;
    anchor *a = find_anchor(yl, name);
    ssmc_loc at = mark_loc(yl, ev->start_mark, ev->end_mark);
    if (!a) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1026, ld->file, at,
                      "the alias '*%s' refers to no anchor; define '&%s' on a value before "
                      "this alias", name, name);
        /* Keep the tree shaped: a null stands in for the missing value. */
        add_child(yl, loader_new_node(ld, SSMC_NODE_NULL, SSMC_STYLE_ANY, at), at, 0, 1);
        return;
    }
    ssmc_node *target = a->node;
    /* An alias to a collection that is still open would make a cycle. */
    for (size_t i = 0; i < yl->depth; i++) {
        if (yl->stack[i].node == target) {
            ssmc_diag *d = ssmc_diag_add(ld->diags, SSMC_RULE_SSM1026, ld->file, at,
                                         "the alias '*%s' refers to a collection that contains "
                                         "it; recursive data has no JSON form", name);
            ssmc_diag_add_related(d, ld->file, target->span, "the anchor '&%s' is here", name);
            add_child(yl, loader_new_node(ld, SSMC_NODE_NULL, SSMC_STYLE_ANY, at), at, 0, 1);
            return;
        }
    }
    if (yl->depth + a->height > ld->limits.max_depth) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1021, ld->file, at,
                      "through this alias, nesting is deeper than %zu levels; ssmc stops "
                      "reading here", ld->limits.max_depth);
        ld->failed = true;
        return;
    }
    ld->alias_weight += a->weight;
    if (ld->alias_weight > ld->limits.max_alias_weight) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1022, ld->file, at,
                      "aliases expand to more than %zu nodes; ssmc stops reading here (is this "
                      "a 'billion laughs' document?)", ld->limits.max_alias_weight);
        ld->failed = true;
        return;
    }
    target->flags |= SSMC_NODE_ALIASED;
    add_child(yl, target, at, a->height, a->weight);
}

void load_yaml(loader *ld)
{
    yaml_loader yl;
    memset(&yl, 0, sizeof yl);
    yl.ld = ld;
    const ssmc_source *src = ld->source;
    if (src->len >= 3 && memcmp(src->data, "\xEF\xBB\xBF", 3) == 0)
        yl.base_byte = yl.cur_byte = 3;

    if (!yaml_parser_initialize(&yl.parser)) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM9001, ld->file, span_from_offsets(src, 0, 0),
                      "could not start the YAML parser");
        return;
    }
    /* libyaml would read a BOM as a character of the first line (its
     * encoding is set, so it does not look for one): hand it the text
     * after the BOM; character 0 is then byte base_byte. */
    yaml_parser_set_input_string(&yl.parser, (const unsigned char *)src->data + yl.base_byte,
                                 src->len - yl.base_byte);
    yaml_parser_set_encoding(&yl.parser, YAML_UTF8_ENCODING);

    bool done = false;
    while (!done && !ld->failed) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&yl.parser, &ev)) {
            report_parser_error(&yl);
            ld->failed = true;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++yl.documents > 1) {
                ssmc_diag_add(ld->diags, SSMC_RULE_SSM1013, ld->file,
                              mark_loc(&yl, ev.start_mark, ev.end_mark),
                              "a second YAML document starts here; an SSM document file holds "
                              "exactly one (move it to a file of its own)");
                done = true;
            }
            break;
        case YAML_SCALAR_EVENT:
            on_scalar(&yl, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            on_collection_start(&yl, &ev, false);
            break;
        case YAML_MAPPING_START_EVENT:
            on_collection_start(&yl, &ev, true);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            end_collection(&yl, ev.end_mark);
            break;
        case YAML_ALIAS_EVENT:
            on_alias(&yl, &ev);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    if (ld->failed) {
        /* A partial tree is not handed to later stages. */
        ld->doc->root = NULL;
    }
    for (size_t i = 0; i < yl.depth; i++)
        free(yl.stack[i].items);
    free(yl.stack);
    free(yl.anchors);
    free(yl.anchor_index);
    yaml_parser_delete(&yl.parser);

    if (yl.cfn_count) {
        /* Lowered to a warning on purpose: such a file is valid as the
         * Content of an AWS::SSM::Document included through CloudFormation's
         * AWS::Include transform, which resolves the functions first. */
        ssmc_diag *d = ssmc_diag_add(
            ld->diags, SSMC_RULE_SSM1020, ld->file, yl.cfn_first,
            "'%s' is a CloudFormation intrinsic function, not part of an SSM document (%zu "
            "such tag%s in this file); this only works when CloudFormation includes the file "
            "(AWS::Include) and resolves them first, and ssmc checks the values as if the tags "
            "were absent", yl.cfn_tag, yl.cfn_count, yl.cfn_count == 1 ? "" : "s");
        d->severity = SSMC_SEV_WARNING;
    }
    ssmc_node *root = ld->doc->root;
    if (ld->failed)
        return;
    if (yl.documents == 0 && !root) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1014, ld->file, span_from_offsets(src, 0, 0),
                      "the file is empty (or holds only comments); an SSM document is a "
                      "mapping with at least schemaVersion");
    } else if (root && root->type == SSMC_NODE_NULL && root->style == SSMC_STYLE_PLAIN &&
               root->len == 0) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1014, ld->file, span_from_offsets(src, 0, 0),
                      "the document is empty; an SSM document is a mapping with at least "
                      "schemaVersion");
        ld->doc->root = NULL;
    } else if (root && root->type != SSMC_NODE_MAP && !ld->data_file) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1030, ld->file, root->span,
                      "the document is %s; an SSM document must be a mapping with "
                      "schemaVersion at the top",
                      ssmc_node_type_phrase(root->type));
    }
}
