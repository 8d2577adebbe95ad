/* load_json.c — a strict RFC 8259 reader that gives every node its exact
 * position (jansson cannot), building the same tree as load_yaml.c.
 *
 * Scanning works on byte offsets; line and column are tracked by a cursor
 * that only moves forward (pos_at), so a 100 MB single-line file costs one
 * pass, not one binary search and one code-point count per node. Nesting is
 * handled with an explicit stack (no recursion at all), bounded by
 * ssmc_limits.max_depth. Children of open collections wait on one shared
 * vector, so memory stays proportional to the input.
 *
 * Mistakes a person commonly makes and that leave the structure readable
 * (comments, trailing commas, single quotes, bad numbers, bad escapes, raw
 * control characters, lone surrogates, NaN/Infinity) are reported and read
 * past, so one run shows all of them; anything else stops the reader. */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Recovered findings of one rule reported per file; a generated file with a
 * million bad escapes would otherwise produce a million diagnostics. */
#define MAX_REPORTS_PER_RULE 100
/* Number tokens longer than this are quoted shortened in messages. */
#define SHOWN_TOKEN_BYTES 40

typedef struct frame {
    ssmc_node *node;
    size_t base; /* its first child in json_reader.children */
} frame;

typedef struct json_reader {
    loader *ld;
    const unsigned char *d;
    size_t len;
    size_t p;       /* scan offset */
    ssmc_pos pos;   /* tracked position, at an offset <= p */
    frame *stack;
    size_t depth, stack_cap;
    ssmc_node **children;
    size_t nchildren, children_cap;
    buf text;       /* decoded string being read */
    size_t reports[SSMC_RULE_SSM1011 - SSMC_RULE_SSM1002 + 1];
    bool saw_comment;
} json_reader;

/* --- positions ------------------------------------------------------- */

/* Line breaks are \n, \r\n and a lone \r, as in source.c; a '\r' before a
 * '\n' counts as a column there too, so both agree on every offset.
 *
 * Speed: the source's line map (built once when the file was read) says
 * where each line starts, so moving forward only steps over line starts
 * (usually none or one) instead of looking at every byte; the column is then
 * a byte distance on an ASCII file, or a count of the code points walked
 * otherwise. */
static uint32_t code_points(const unsigned char *d, size_t from, size_t to)
{
    uint32_t n = 0;
    for (size_t i = from; i < to; i++)
        n += (d[i] & 0xC0) != 0x80;
    return n;
}

static ssmc_pos pos_at(json_reader *jr, size_t off)
{
    if (off > jr->len)
        off = jr->len;
    if (off < jr->pos.offset)
        return ssmc_source_pos(jr->ld->source, off); /* not expected; still right */
    const ssmc_source *src = jr->ld->source;
    size_t li = jr->pos.line - 1;
    if (li + 1 < src->line_count && src->line_starts[li + 1] <= off) {
        do
            li++;
        while (li + 1 < src->line_count && src->line_starts[li + 1] <= off);
        size_t start = src->line_starts[li]; /* li > 0: no BOM to skip */
        jr->pos.line = (uint32_t)(li + 1);
        jr->pos.col = 1 + (src->ascii ? (uint32_t)(off - start) : code_points(jr->d, start, off));
    } else {
        jr->pos.col += src->ascii ? (uint32_t)(off - jr->pos.offset)
                                  : code_points(jr->d, jr->pos.offset, off);
    }
    jr->pos.offset = off;
    return jr->pos;
}

static ssmc_span span_to(json_reader *jr, ssmc_pos start, size_t end_off)
{
    ssmc_span s;
    s.start = start;
    s.end = pos_at(jr, end_off);
    return s;
}

static ssmc_span span_at(json_reader *jr, size_t start, size_t end)
{
    ssmc_pos s = pos_at(jr, start);
    return span_to(jr, s, end);
}

/* --- describing what was found ---------------------------------------- */

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '+' || c == '-';
}

static uint32_t decode_cp(const unsigned char *s, size_t n)
{
    if (n == 1)
        return s[0];
    uint32_t cp = s[0] & (0xFF >> (n + 1));
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

static size_t char_len(json_reader *jr, size_t off)
{
    size_t n = utf8_valid_len(jr->d + off, jr->len - off);
    return n ? n : 1;
}

/* End of the token that starts at off: a word, or one character. */
static size_t token_end(json_reader *jr, size_t off)
{
    if (off >= jr->len)
        return jr->len;
    if (!is_word_byte(jr->d[off]))
        return off + char_len(jr, off);
    size_t e = off;
    while (e < jr->len && is_word_byte(jr->d[e]))
        e++;
    return e;
}

/* What a person sees at off, for "..., found X". */
static void describe(json_reader *jr, size_t off, char *out, size_t cap)
{
    if (off >= jr->len) {
        snprintf(out, cap, "the end of the file");
        return;
    }
    const unsigned char *d = jr->d;
    unsigned char c = d[off];
    if (is_word_byte(c)) {
        size_t e = token_end(jr, off);
        int shown = e - off > 24 ? 24 : (int)(e - off);
        snprintf(out, cap, "'%.*s'%s", shown, (const char *)d + off, e - off > 24 ? "..." : "");
    } else if (c == '\t') {
        snprintf(out, cap, "a tab");
    } else if (c == '\n' || c == '\r') {
        snprintf(out, cap, "a line break");
    } else if (c < 0x20 || c == 0x7F) {
        snprintf(out, cap, "control character U+%04X", c);
    } else if (c < 0x80) {
        snprintf(out, cap, "'%c'", c);
    } else {
        size_t n = char_len(jr, off);
        uint32_t cp = decode_cp(d + off, n);
        const char *what = "";
        if (cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019)
            what = ", a typographic quote; JSON needs a plain '\"'";
        else if (cp == 0xA0 || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029 ||
                 (cp >= 0x2000 && cp <= 0x200B))
            what = ", an invisible character";
        snprintf(out, cap, "'%.*s' (U+%04X%s)", (int)n, (const char *)d + off, (unsigned)cp,
                 what);
    }
}

/* --- diagnostics ----------------------------------------------------- */

static ssmc_diag *report(json_reader *jr, ssmc_rule rule, ssmc_span span, const char *fmt, ...)
    SSMC_PRINTF(4, 5);

static ssmc_diag *report(json_reader *jr, ssmc_rule rule, ssmc_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ssmc_diag *d = ssmc_diag_addv(jr->ld->diags, rule, jr->ld->file, span, fmt, ap);
    va_end(ap);
    return d;
}

/* For errors the reader recovers from: false once the rule has been
 * reported MAX_REPORTS_PER_RULE times (the last one says so). */
static bool may_report(json_reader *jr, ssmc_rule rule)
{
    size_t *n = &jr->reports[rule - SSMC_RULE_SSM1002];
    return ++*n <= MAX_REPORTS_PER_RULE;
}

static void note_if_capped(json_reader *jr, ssmc_rule rule, ssmc_diag *d)
{
    if (jr->reports[rule - SSMC_RULE_SSM1002] == MAX_REPORTS_PER_RULE)
        ssmc_diag_add_related(d, jr->ld->file, d->span,
                              "ssmc reports at most %d findings of this kind per file; any "
                              "further ones are not shown",
                              MAX_REPORTS_PER_RULE);
}

static void fail(json_reader *jr)
{
    jr->ld->failed = true;
}

/* Fatal: "expected WHAT, found X" at the token at p. */
static ssmc_diag *expected(json_reader *jr, const char *what)
{
    char found[96];
    describe(jr, jr->p, found, sizeof found);
    ssmc_diag *d = report(jr, SSMC_RULE_SSM1002, span_at(jr, jr->p, token_end(jr, jr->p)),
                          "expected %s, found %s", what, found);
    fail(jr);
    return d;
}

/* Points at the open collection an error is about. */
static void relate_open(json_reader *jr, ssmc_diag *d)
{
    if (jr->depth == 0)
        return;
    ssmc_node *n = jr->stack[jr->depth - 1].node;
    ssmc_loc s = {n->span.start, n->span.start + 1}; /* the bracket */
    ssmc_diag_add_related(d, jr->ld->file, s, "the %s that is still open starts here",
                          n->type == SSMC_NODE_MAP ? "object" : "array");
}

/* --- whitespace and comments ------------------------------------------ */

/* Skips whitespace; reports and skips comments. False after a fatal error
 * (a comment that never ends). */
static bool skip_space(json_reader *jr)
{
    const unsigned char *d = jr->d;
    size_t p = jr->p;
    for (;;) {
        while (p < jr->len && (d[p] == ' ' || d[p] == '\t' || d[p] == '\n' || d[p] == '\r'))
            p++;
        if (p + 1 >= jr->len || d[p] != '/' || (d[p + 1] != '/' && d[p + 1] != '*'))
            break;
        size_t start = p;
        bool closed = true;
        if (d[p + 1] == '/') {
            p += 2;
            while (p < jr->len && d[p] != '\n' && d[p] != '\r')
                p++;
        } else {
            const char *end = NULL;
            for (size_t q = p + 2; q + 1 < jr->len; q++) {
                if (d[q] == '*' && d[q + 1] == '/') {
                    end = (const char *)d + q;
                    break;
                }
            }
            closed = end != NULL;
            p = end ? (size_t)(end - (const char *)d) + 2 : jr->len;
        }
        jr->saw_comment = true;
        if (!closed) {
            report(jr, SSMC_RULE_SSM1004, span_at(jr, start, start + 2),
                   "this comment is never closed (no '*/' before the end of the file); JSON "
                   "has no comments at all");
            jr->p = p;
            fail(jr);
            return false;
        }
        if (may_report(jr, SSMC_RULE_SSM1004)) {
            ssmc_diag *dg = report(jr, SSMC_RULE_SSM1004, span_at(jr, start, p),
                                   "comments are not allowed in JSON; remove it (or write the "
                                   "document in YAML, which has '#' comments, and compile it "
                                   "with 'ssmc compile')");
            note_if_capped(jr, SSMC_RULE_SSM1004, dg);
        }
    }
    jr->p = p;
    return true;
}

/* --- nodes ------------------------------------------------------------ */

static bool over_node_limit(json_reader *jr)
{
    loader *ld = jr->ld;
    if (ld->nodes < ld->limits.max_nodes)
        return false;
    report(jr, SSMC_RULE_SSM1023, span_at(jr, jr->p, jr->p),
           "the document has more than %zu nodes; ssmc stops reading here", ld->limits.max_nodes);
    fail(jr);
    return true;
}

static bool over_scalar_limit(json_reader *jr, ssmc_loc at, size_t len)
{
    loader *ld = jr->ld;
    if (len <= ld->limits.max_scalar_bytes)
        return false;
    report(jr, SSMC_RULE_SSM1024, span_at(jr, at.start, at.end), "this scalar is %zu bytes, over the limit of %zu bytes",
           len, ld->limits.max_scalar_bytes);
    fail(jr);
    return true;
}

static ssmc_node *new_scalar(json_reader *jr, ssmc_node_type type, ssmc_loc span,
                             const char *text, size_t len)
{
    ssmc_node *n = loader_new_node(jr->ld, type, SSMC_STYLE_JSON, span);
    n->str = arena_strndup(jr->ld->doc->arena, text, len);
    n->len = len;
    return n;
}

/* JSON's own words, with an article, for messages. */
static const char *json_kind(const ssmc_node *n)
{
    switch (n->type) {
    case SSMC_NODE_MAP: return "an object";
    case SSMC_NODE_SEQ: return "an array";
    case SSMC_NODE_STRING: return "a string";
    case SSMC_NODE_INT:
    case SSMC_NODE_FLOAT: return "a number";
    case SSMC_NODE_BOOL: return "a boolean";
    default: return "null";
    }
}

static void add_child(json_reader *jr, ssmc_node *n)
{
    if (jr->depth == 0) {
        jr->ld->doc->root = n;
        return;
    }
    GROW(jr->children, jr->children_cap, jr->nchildren + 1);
    jr->children[jr->nchildren++] = n;
}

/* --- strings ---------------------------------------------------------- */

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Number of hex digits (0..4) at off, and their value. */
static size_t read_hex4(json_reader *jr, size_t off, uint32_t *value)
{
    uint32_t v = 0;
    size_t k = 0;
    while (k < 4 && off + k < jr->len && hex_value(jr->d[off + k]) >= 0)
        v = v * 16 + (uint32_t)hex_value(jr->d[off + k++]);
    *value = v;
    return k;
}

static void report_bad_escape(json_reader *jr, size_t at, size_t end, const char *fmt, ...)
    SSMC_PRINTF(4, 5);

static void report_bad_escape(json_reader *jr, size_t at, size_t end, const char *fmt, ...)
{
    if (!may_report(jr, SSMC_RULE_SSM1007))
        return;
    va_list ap;
    va_start(ap, fmt);
    ssmc_diag *d = ssmc_diag_addv(jr->ld->diags, SSMC_RULE_SSM1007, jr->ld->file,
                                  span_at(jr, at, end), fmt, ap);
    va_end(ap);
    note_if_capped(jr, SSMC_RULE_SSM1007, d);
}

static void report_lone_surrogate(json_reader *jr, size_t at, uint32_t cp)
{
    if (!may_report(jr, SSMC_RULE_SSM1008))
        return;
    ssmc_diag *d;
    if (cp < 0xDC00)
        d = report(jr, SSMC_RULE_SSM1008, span_at(jr, at, at + 6),
                   "'\\u%04X' is the first half of a UTF-16 surrogate pair, but no second half "
                   "(\\uDC00-\\uDFFF) follows it; write the pair, or the character itself",
                   (unsigned)cp);
    else
        d = report(jr, SSMC_RULE_SSM1008, span_at(jr, at, at + 6),
                   "'\\u%04X' is the second half of a UTF-16 surrogate pair, without a first "
                   "half (\\uD800-\\uDBFF) before it; write the pair, or the character itself",
                   (unsigned)cp);
    note_if_capped(jr, SSMC_RULE_SSM1008, d);
}

/* Reads the escape at p (d[p] == '\\') into jr->text; returns the offset
 * after it. Bad escapes are reported and kept as written. */
static size_t read_escape(json_reader *jr, size_t p, unsigned char quote)
{
    const unsigned char *d = jr->d;
    unsigned char e = d[p + 1];
    static const char simple_from[] = "\"\\/bfnrt";
    static const char simple_to[] = "\"\\/\b\f\n\r\t";
    const char *hit = e ? strchr(simple_from, e) : NULL;
    if (hit) {
        buf_addc(&jr->text, simple_to[hit - simple_from]);
        return p + 2;
    }
    if (e == '\'' && quote == '\'') {
        /* Already reported as a single-quoted string. */
        buf_addc(&jr->text, '\'');
        return p + 2;
    }
    if (e != 'u') {
        size_t n = char_len(jr, p + 1);
        if (e < 0x20)
            report_bad_escape(jr, p, p + 1 + n,
                              "a backslash before a %s is not an escape in JSON; write '\\n' "
                              "for a line break, or '\\\\' for a backslash",
                              e == '\n' || e == '\r' ? "line break" : "control character");
        else
            report_bad_escape(jr, p, p + 1 + n,
                              "invalid escape '\\%.*s'; JSON has only \\\" \\\\ \\/ \\b \\f \\n "
                              "\\r \\t and \\uXXXX (write '\\\\%.*s' for a backslash followed "
                              "by '%.*s')",
                              (int)n, (const char *)d + p + 1, (int)n, (const char *)d + p + 1,
                              (int)n, (const char *)d + p + 1);
        buf_add(&jr->text, d + p, 1 + n);
        return p + 1 + n;
    }
    uint32_t cp;
    size_t k = read_hex4(jr, p + 2, &cp);
    if (k < 4) {
        report_bad_escape(jr, p, p + 2 + k,
                          "'\\u' must be followed by exactly four hex digits (e.g. \\u00E9)");
        utf8_encode(&jr->text, 0xFFFD);
        return p + 2 + k;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        uint32_t lo;
        if (p + 7 < jr->len && d[p + 6] == '\\' && d[p + 7] == 'u' &&
            read_hex4(jr, p + 8, &lo) == 4 && lo >= 0xDC00 && lo <= 0xDFFF) {
            utf8_encode(&jr->text, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
            return p + 12;
        }
        report_lone_surrogate(jr, p, cp);
        utf8_encode(&jr->text, 0xFFFD);
        return p + 6;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        report_lone_surrogate(jr, p, cp);
        utf8_encode(&jr->text, 0xFFFD);
        return p + 6;
    }
    utf8_encode(&jr->text, cp);
    return p + 6;
}

static const char *control_escape(unsigned char c, char *out, size_t cap)
{
    switch (c) {
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\b': return "\\b";
    case '\f': return "\\f";
    default: snprintf(out, cap, "\\u%04X", c); return out;
    }
}

/* The end of the run from p of bytes a string takes as they are: up to
 * the quote, a backslash or a control character. Strings are most of a
 * JSON document's bytes: for '"' the stops are exactly json_first_escape's. */
static size_t plain_run(const unsigned char *d, size_t p, size_t len, unsigned char quote)
{
    if (quote == '"')
        return p + json_first_escape((const char *)d + p, len - p);
    while (p < len && d[p] != quote && d[p] != '\\' && d[p] >= 0x20)
        p++;
    return p;
}

/* Reads the string at p (a '"', or a '\'' that is reported and read the
 * same way). NULL after a fatal error. */
static ssmc_node *read_string(json_reader *jr)
{
    const unsigned char *d = jr->d;
    unsigned char quote = d[jr->p];
    size_t start = jr->p;
    size_t p = start + 1;
    jr->text.len = 0;
    if (jr->text.data)
        jr->text.data[0] = '\0';
    /* The first raw control character is reported when the string ends,
     * with the number of others, so a pasted script gives one finding. */
    size_t controls = 0;
    unsigned char first_control = 0;
    ssmc_span control_span = {{0, 0, 0}, {0, 0, 0}};
    /* Most strings hold no escape and no control character: then the node
     * takes its text straight from the source, without the decode buffer. */
    {
        size_t q = plain_run(d, p, jr->len, quote);
        if (q < jr->len && d[q] == quote) {
            ssmc_loc span = {(uint32_t)start, (uint32_t)(q + 1)};
            jr->p = q + 1;
            if (quote == '\'' && may_report(jr, SSMC_RULE_SSM1005)) {
                ssmc_diag *dg = report(jr, SSMC_RULE_SSM1005, span_at(jr, start, q + 1),
                                       "single-quoted string; JSON strings use double quotes (\"...\")");
                note_if_capped(jr, SSMC_RULE_SSM1005, dg);
            }
            if (over_scalar_limit(jr, span, q - p))
                return NULL;
            return new_scalar(jr, SSMC_NODE_STRING, span, (const char *)d + p, q - p);
        }
    }
    for (;;) {
        size_t run = p;
        p = plain_run(d, p, jr->len, quote);
        buf_add(&jr->text, d + run, p - run);
        if (p >= jr->len)
            break;
        unsigned char c = d[p];
        if (c == quote)
            break;
        if (c == '\\') {
            if (p + 1 >= jr->len) {
                p++;
                break;
            }
            p = read_escape(jr, p, quote);
            continue;
        }
        /* A raw control character: kept, reported once per string. */
        size_t n = (c == '\r' && p + 1 < jr->len && d[p + 1] == '\n') ? 2 : 1;
        if (controls++ == 0) {
            first_control = c;
            control_span.start = pos_at(jr, p);
            /* A line break ends its own line: the span stays on it. */
            control_span.end = control_span.start;
            control_span.end.col++;
            control_span.end.offset += n;
        }
        buf_add(&jr->text, d + p, n);
        p += n;
    }
    bool closed = p < jr->len;
    if (controls && may_report(jr, SSMC_RULE_SSM1009)) {
        char esc[8];
        const char *name = first_control == '\t'                            ? "tab"
                           : first_control == '\n' || first_control == '\r' ? "line break"
                                                                            : "control character";
        ssmc_diag *dg;
        char more[64] = "";
        if (controls > 1)
            snprintf(more, sizeof more, " (and %zu more in this string)", controls - 1);
        if (first_control == '\n' || first_control == '\r')
            dg = report(jr, SSMC_RULE_SSM1009, control_span,
                        "raw line break in a string%s; a JSON string stays on one line: write "
                        "the break as \\n (or is the closing '%c' missing on this line?)",
                        more, quote);
        else
            dg = report(jr, SSMC_RULE_SSM1009, control_span,
                        "raw %s in a string%s; JSON needs it escaped as %s", name, more,
                        control_escape(first_control, esc, sizeof esc));
        note_if_capped(jr, SSMC_RULE_SSM1009, dg);
    }
    if (!closed) {
        /* At the opening quote, which is where the fix usually goes. */
        report(jr, SSMC_RULE_SSM1002, span_at(jr, start, start + 1),
               "this string is never closed: no %s before the end of the file",
               quote == '"' ? "'\"'" : "\"'\"");
        fail(jr);
        return NULL;
    }
    p++; /* the closing quote */
    ssmc_loc span = {(uint32_t)start, (uint32_t)p};
    jr->p = p;
    if (quote == '\'' && may_report(jr, SSMC_RULE_SSM1005)) {
        ssmc_diag *dg = report(jr, SSMC_RULE_SSM1005, span_at(jr, start, p),
                               "single-quoted string; JSON strings use double quotes (\"...\")");
        note_if_capped(jr, SSMC_RULE_SSM1005, dg);
    }
    if (over_scalar_limit(jr, span, jr->text.len))
        return NULL;
    return new_scalar(jr, SSMC_NODE_STRING, span, jr->text.data ? jr->text.data : "",
                      jr->text.len);
}

/* --- numbers and literals -------------------------------------------- */

typedef enum number_problem {
    NUM_OK,
    NUM_PLUS,
    NUM_SIGN_ONLY,
    NUM_NO_INT_DIGIT,
    NUM_HEX,
    NUM_LEADING_ZERO,
    NUM_NO_FRAC_DIGIT,
    NUM_NO_EXP_DIGIT,
    NUM_GARBAGE
} number_problem;

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [-+]? [0-9]+)? */
static number_problem check_number(const char *s, size_t n, bool *is_int)
{
    size_t i = 0;
    *is_int = true;
    if (n > 0 && s[0] == '+')
        return NUM_PLUS;
    if (i < n && s[i] == '-')
        i++;
    if (i == n)
        return NUM_SIGN_ONLY;
    if (s[i] == '.')
        return NUM_NO_INT_DIGIT;
    if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X'))
        return NUM_HEX;
    if (!is_digit((unsigned char)s[i]))
        return NUM_GARBAGE;
    if (s[i] == '0') {
        i++;
        if (i < n && is_digit((unsigned char)s[i]))
            return NUM_LEADING_ZERO;
    } else {
        while (i < n && is_digit((unsigned char)s[i]))
            i++;
    }
    if (i < n && s[i] == '.') {
        *is_int = false;
        i++;
        if (i == n || !is_digit((unsigned char)s[i]))
            return NUM_NO_FRAC_DIGIT;
        while (i < n && is_digit((unsigned char)s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        *is_int = false;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i == n || !is_digit((unsigned char)s[i]))
            return NUM_NO_EXP_DIGIT;
        while (i < n && is_digit((unsigned char)s[i]))
            i++;
    }
    return i == n ? NUM_OK : NUM_GARBAGE;
}

/* Rewrites b (NUL-terminated) to remove one problem; false when there is
 * no obvious fix. */
static bool fix_number(buf *b, number_problem problem)
{
    char *s = b->data;
    size_t sign = s[0] == '-' ? 1 : 0;
    switch (problem) {
    case NUM_PLUS:
        memmove(s, s + 1, b->len--);
        return true;
    case NUM_NO_INT_DIGIT:
        buf_addc(b, '\0');
        s = b->data;
        memmove(s + sign + 1, s + sign, b->len - sign);
        s[sign] = '0';
        return true;
    case NUM_LEADING_ZERO: {
        size_t z = sign;
        while (s[z] == '0' && is_digit((unsigned char)s[z + 1]))
            z++;
        memmove(s + sign, s + z, b->len - z + 1);
        b->len -= z - sign;
        return true;
    }
    case NUM_NO_FRAC_DIGIT: {
        char *dot = strchr(s, '.');
        memmove(dot, dot + 1, strlen(dot + 1) + 1);
        b->len--;
        return true;
    }
    case NUM_HEX: {
        if (hex_value((unsigned char)s[sign + 2]) < 0)
            return false;
        errno = 0;
        char *end;
        unsigned long long v = strtoull(s + sign + 2, &end, 16);
        if (errno || *end || end == s + sign + 2)
            return false;
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%s%llu", sign ? "-" : "", v);
        b->len = 0;
        buf_adds(b, tmp);
        return true;
    }
    default:
        return false;
    }
}

static const char *number_problem_text(number_problem problem)
{
    switch (problem) {
    case NUM_PLUS: return "a JSON number has no '+' sign";
    case NUM_SIGN_ONLY: return "a '-' must be followed by digits";
    case NUM_NO_INT_DIGIT: return "a JSON number needs a digit before the '.'";
    case NUM_HEX: return "hexadecimal numbers are not JSON";
    case NUM_LEADING_ZERO: return "leading zeros are not allowed in JSON numbers (JSON has no octal)";
    case NUM_NO_FRAC_DIGIT: return "a JSON number needs a digit after the '.'";
    case NUM_NO_EXP_DIGIT: return "the exponent of this number has no digits";
    default: return "this is not a number";
    }
}

/* Types n from its text s (NUL-terminated), which must be a JSON number. */
static void set_number_value(ssmc_node *n, const char *s, bool is_int)
{
    if (is_int) {
        errno = 0;
        long long v = strtoll(s, NULL, 10);
        if (errno != ERANGE) {
            n->type = SSMC_NODE_INT;
            n->val.i = v;
            return;
        }
    }
    /* Beyond int64, or a fraction or exponent: a double (1e400 is +inf). */
    n->type = SSMC_NODE_FLOAT;
    n->val.f = strtod(s, NULL);
}

static ssmc_node *nan_or_infinity(json_reader *jr, size_t start, size_t end)
{
    const char *s = (const char *)jr->d + start;
    size_t n = end - start;
    ssmc_loc span = {(uint32_t)start, (uint32_t)end};
    if (may_report(jr, SSMC_RULE_SSM1010)) {
        ssmc_diag *dg = report(jr, SSMC_RULE_SSM1010, span_at(jr, start, end),
                               "'%.*s' is not JSON: JSON has no NaN or Infinity (use a finite "
                               "number, or a string)",
                               (int)n, s);
        note_if_capped(jr, SSMC_RULE_SSM1010, dg);
    }
    ssmc_node *node = new_scalar(jr, SSMC_NODE_FLOAT, span, s, n);
    node->val.f = s[n - 1] == 'N' ? NAN : s[0] == '-' ? -INFINITY : INFINITY;
    return node;
}

/* Reads a number token at p (a digit, '-', '+' or '.'). Malformed numbers
 * are reported and read as the closest number. */
static ssmc_node *read_number(json_reader *jr)
{
    const unsigned char *d = jr->d;
    size_t start = jr->p, end = start;
    while (end < jr->len && is_word_byte(d[end]))
        end++;
    ssmc_loc span = {(uint32_t)start, (uint32_t)end};
    jr->p = end;
    const char *s = (const char *)d + start;
    size_t n = end - start;
    if (over_scalar_limit(jr, span, n))
        return NULL;
    size_t body = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if ((n - body == 8 && memcmp(s + body, "Infinity", 8) == 0) ||
        (n - body == 3 && memcmp(s + body, "NaN", 3) == 0))
        return nan_or_infinity(jr, start, end);

    ssmc_node *node = new_scalar(jr, SSMC_NODE_INT, span, s, n);
    bool is_int;
    number_problem problem = check_number(s, n, &is_int);
    if (problem == NUM_OK) {
        set_number_value(node, node->str, is_int);
        return node;
    }
    /* Fix what can be fixed, to suggest the JSON form and to give the node
     * the value the author meant. */
    buf fixed;
    buf_init(&fixed);
    buf_add(&fixed, s, n);
    number_problem now = problem;
    for (int round = 0; round < 4 && now != NUM_OK; round++) {
        if (!fix_number(&fixed, now))
            break;
        now = check_number(fixed.data, fixed.len, &is_int);
    }
    if (may_report(jr, SSMC_RULE_SSM1006)) {
        int shown = n > SHOWN_TOKEN_BYTES ? SHOWN_TOKEN_BYTES : (int)n;
        const char *dots = n > SHOWN_TOKEN_BYTES ? "..." : "";
        ssmc_diag *dg;
        if (now == NUM_OK && fixed.len <= SHOWN_TOKEN_BYTES)
            dg = report(jr, SSMC_RULE_SSM1006, span_at(jr, start, end), "'%.*s%s': %s; write %s", shown, s, dots,
                        number_problem_text(problem), fixed.data);
        else if (problem == NUM_GARBAGE)
            dg = report(jr, SSMC_RULE_SSM1006, span_at(jr, start, end),
                        "'%.*s%s' is not a number (a JSON number is digits with an optional "
                        "'-', fraction and exponent; quote it if it is text)",
                        shown, s, dots);
        else
            dg = report(jr, SSMC_RULE_SSM1006, span_at(jr, start, end), "'%.*s%s': %s", shown, s, dots,
                        number_problem_text(problem));
        note_if_capped(jr, SSMC_RULE_SSM1006, dg);
    }
    if (now == NUM_OK)
        set_number_value(node, fixed.data, is_int);
    else
        node->val.i = 0;
    buf_free(&fixed);
    return node;
}

static bool word_is(const unsigned char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* true, false, null; NaN and Infinity are reported and read; any other
 * word is fatal. */
static ssmc_node *read_word(json_reader *jr)
{
    const unsigned char *d = jr->d;
    size_t start = jr->p, end = token_end(jr, start);
    const unsigned char *s = d + start;
    size_t n = end - start;
    ssmc_node *node = NULL;
    if (word_is(s, n, "true") || word_is(s, n, "false")) {
        node = new_scalar(jr, SSMC_NODE_BOOL, (ssmc_loc){(uint32_t)start, (uint32_t)end},
                          (const char *)s, n);
        node->val.b = s[0] == 't';
    } else if (word_is(s, n, "null")) {
        node = new_scalar(jr, SSMC_NODE_NULL, (ssmc_loc){(uint32_t)start, (uint32_t)end},
                          (const char *)s, n);
    } else if (word_is(s, n, "NaN") || word_is(s, n, "Infinity")) {
        node = nan_or_infinity(jr, start, end);
    } else {
        static const char *const wrong_case[][2] = {
            {"True", "true"},   {"TRUE", "true"},   {"False", "false"}, {"FALSE", "false"},
            {"Null", "null"},   {"NULL", "null"},   {"None", "null"},   {"nil", "null"},
            {"undefined", "null"},
        };
        for (size_t i = 0; i < sizeof wrong_case / sizeof wrong_case[0]; i++) {
            if (word_is(s, n, wrong_case[i][0])) {
                report(jr, SSMC_RULE_SSM1002, span_at(jr, start, end),
                       "'%s' is not a JSON value; write %s", wrong_case[i][0], wrong_case[i][1]);
                fail(jr);
                return NULL;
            }
        }
        expected(jr, "a value (a \"string\", number, object, array, true, false or null)");
        return NULL;
    }
    jr->p = end;
    return node;
}

static ssmc_node *read_scalar(json_reader *jr)
{
    if (over_node_limit(jr))
        return NULL;
    unsigned char c = jr->d[jr->p];
    if (c == '"' || c == '\'')
        return read_string(jr);
    if (is_digit(c) || c == '-' || c == '+' || c == '.')
        return read_number(jr);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return read_word(jr);
    ssmc_diag *d = expected(jr, "a value (a \"string\", number, object, array, true, false or "
                                "null)");
    if (jr->p >= jr->len || c == ']' || c == '}')
        relate_open(jr, d);
    return NULL;
}

/* --- collections ------------------------------------------------------ */

static bool open_collection(json_reader *jr, bool is_map)
{
    loader *ld = jr->ld;
    if (over_node_limit(jr))
        return false;
    if (jr->depth >= ld->limits.max_depth) {
        report(jr, SSMC_RULE_SSM1021, span_at(jr, jr->p, jr->p + 1),
               "nesting is deeper than %zu levels; ssmc stops reading here",
               ld->limits.max_depth);
        fail(jr);
        return false;
    }
    ssmc_node *n = loader_new_node(ld, is_map ? SSMC_NODE_MAP : SSMC_NODE_SEQ, SSMC_STYLE_FLOW,
                                   (ssmc_loc){(uint32_t)jr->p, (uint32_t)jr->p});
    GROW(jr->stack, jr->stack_cap, jr->depth + 1);
    jr->stack[jr->depth].node = n;
    jr->stack[jr->depth].base = jr->nchildren;
    jr->depth++;
    jr->p++;
    return true;
}

/* Closes the innermost collection at p (its closing bracket). */
static void close_collection(json_reader *jr)
{
    loader *ld = jr->ld;
    frame *f = &jr->stack[jr->depth - 1];
    ssmc_node *node = f->node;
    size_t count = jr->nchildren - f->base;
    /* No children yet means no array at all: do not offset a NULL. */
    ssmc_node **kids = count ? jr->children + f->base : NULL;
    jr->p++;
    node->span.end = (uint32_t)jr->p;
    if (node->type == SSMC_NODE_SEQ) {
        node->items = arena_alloc(ld->doc->arena, (count ? count : 1) * sizeof *node->items);
        if (count)
            memcpy(node->items, kids, count * sizeof *kids);
        node->count = count;
    } else {
        size_t n = count / 2;
        node->pairs = arena_alloc(ld->doc->arena, (n ? n : 1) * sizeof *node->pairs);
        for (size_t i = 0; i < n; i++) {
            node->pairs[i].key = kids[2 * i];
            node->pairs[i].value = kids[2 * i + 1];
        }
        node->count = n;
        loader_check_duplicate_keys(ld, node);
    }
    jr->nchildren = f->base;
    jr->depth--;
    add_child(jr, node);
}

/* --- the value grammar, without recursion ----------------------------- */

typedef enum want { WANT_VALUE, WANT_KEY, WANT_SEPARATOR } want;

/* Reads one value (the whole document's top level). Returns with
 * ld->failed set, or with the root in ld->doc->root. */
static void read_document(json_reader *jr)
{
    want state = WANT_VALUE;
    while (!jr->ld->failed) {
        if (!skip_space(jr))
            return;
        const unsigned char *d = jr->d;
        unsigned char c = jr->p < jr->len ? d[jr->p] : 0;
        if (state == WANT_VALUE) {
            if (c == '{' || c == '[') {
                bool is_map = c == '{';
                if (!open_collection(jr, is_map) || !skip_space(jr))
                    return;
                if (jr->p < jr->len && d[jr->p] == (is_map ? '}' : ']')) {
                    close_collection(jr);
                    state = WANT_SEPARATOR;
                } else {
                    state = is_map ? WANT_KEY : WANT_VALUE;
                }
                continue;
            }
            if (jr->p >= jr->len) {
                relate_open(jr, expected(jr, "a value"));
                return;
            }
            ssmc_node *n = read_scalar(jr);
            if (!n)
                return;
            add_child(jr, n);
            state = WANT_SEPARATOR;
        } else if (state == WANT_KEY) {
            if (c != '"' && c != '\'') {
                ssmc_diag *dg = expected(jr, "a member name in double quotes");
                if (jr->p >= jr->len || c == ']')
                    relate_open(jr, dg);
                return;
            }
            if (over_node_limit(jr))
                return;
            ssmc_node *key = read_string(jr);
            if (!key)
                return;
            add_child(jr, key);
            if (!skip_space(jr))
                return;
            if (jr->p >= jr->len || d[jr->p] != ':') {
                ssmc_diag *dg = expected(jr, "':' after the member name");
                if (jr->p >= jr->len)
                    relate_open(jr, dg);
                return;
            }
            jr->p++;
            state = WANT_VALUE;
        } else {
            if (jr->depth == 0)
                return;
            bool is_map = jr->stack[jr->depth - 1].node->type == SSMC_NODE_MAP;
            unsigned char close = is_map ? '}' : ']';
            if (c == ',') {
                size_t comma = jr->p;
                jr->p++;
                if (!skip_space(jr))
                    return;
                if (jr->p < jr->len && d[jr->p] == close) {
                    if (may_report(jr, SSMC_RULE_SSM1003)) {
                        ssmc_diag *dg = report(
                            jr, SSMC_RULE_SSM1003, span_at(jr, comma, comma + 1),
                            "trailing comma before '%c'; JSON allows no comma after the last "
                            "%s (remove it)",
                            close, is_map ? "member" : "element");
                        note_if_capped(jr, SSMC_RULE_SSM1003, dg);
                    }
                    close_collection(jr);
                } else {
                    state = is_map ? WANT_KEY : WANT_VALUE;
                }
            } else if (c == close && jr->p < jr->len) {
                close_collection(jr);
            } else {
                ssmc_diag *dg = expected(jr, is_map ? "',' or '}' after a member"
                                                    : "',' or ']' after an element");
                if (jr->p >= jr->len || c == '}' || c == ']') {
                    relate_open(jr, dg);
                } else if (c == '"' || c == '{' || c == '[' || is_word_byte(c)) {
                    /* Another value follows: most likely a comma is missing. */
                    ssmc_loc prev = jr->children[jr->nchildren - 1]->span;
                    prev.start = prev.end;
                    ssmc_diag_add_related(dg, jr->ld->file, prev,
                                          "is a ',' missing here, after the %s?",
                                          is_map ? "previous member" : "previous element");
                }
                return;
            }
        }
    }
}

void load_json(loader *ld)
{
    json_reader jr;
    memset(&jr, 0, sizeof jr);
    jr.ld = ld;
    jr.d = (const unsigned char *)ld->source->data;
    jr.len = ld->source->len;
    buf_init(&jr.text);
    /* A UTF-8 BOM is accepted and is not a column (see source.c). */
    if (jr.len >= 3 && memcmp(jr.d, "\xEF\xBB\xBF", 3) == 0)
        jr.p = 3;
    jr.pos.line = 1;
    jr.pos.col = 1;
    jr.pos.offset = jr.p;

    if (skip_space(&jr)) {
        if (jr.p >= jr.len) {
            ssmc_diag_add(ld->diags, SSMC_RULE_SSM1014, ld->file,
                          span_from_offsets(ld->source, 0, 0),
                          jr.saw_comment ? "the file holds only comments; an SSM document needs "
                                           "at least schemaVersion"
                                         : "the file is empty; an SSM document needs at least "
                                           "schemaVersion");
        } else {
            read_document(&jr);
            if (!ld->failed && skip_space(&jr) && jr.p < jr.len) {
                ssmc_node *root = ld->doc->root;
                char found[96];
                describe(&jr, jr.p, found, sizeof found);
                ssmc_diag *dg = report(&jr, SSMC_RULE_SSM1011,
                                       span_at(&jr, jr.p, token_end(&jr, jr.p)),
                                       "unexpected %s after the end of the document; a JSON "
                                       "document is exactly one value",
                                       found);
                ssmc_loc last = root->span;
                if (root->type == SSMC_NODE_MAP || root->type == SSMC_NODE_SEQ)
                    last.start = last.end - 1; /* the closing bracket */
                ssmc_diag_add_related(dg, ld->file, last,
                                      "the document's value (%s) ends here", json_kind(root));
            }
        }
    }
    if (ld->failed) {
        /* A partial tree is not handed to later stages. */
        ld->doc->root = NULL;
    } else if (ld->doc->root && ld->doc->root->type != SSMC_NODE_MAP && !ld->data_file) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1030, ld->file, ld->doc->root->span,
                      "the document is %s; an SSM document must be an object with "
                      "schemaVersion at the top",
                      json_kind(ld->doc->root));
    }
    free(jr.stack);
    free(jr.children);
    buf_free(&jr.text);
}
