/* lsp_text.c — the text of an open document, its incremental edits, and
 * the conversion between byte offsets and LSP positions.
 *
 * Line breaks are \n, \r\n and a lone \r (LSP 3.17, "Text Documents"), the
 * same as the ssmc source table counts them. A character is counted in the
 * negotiated encoding: UTF-16 code units (a code point above U+FFFF is two),
 * bytes, or code points. A byte that is not valid UTF-8 counts as one unit
 * in every encoding, as the loader counts it as one column. */
#include "lsp.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static size_t line_end(const lsp_text *t, size_t line);

static void index_lines(lsp_text *t)
{
    t->line_count = 0;
    GROW(t->lines, t->line_cap, 1);
    t->lines[t->line_count++] = 0;
    const char *d = t->bytes.data;
    for (size_t i = 0; i < t->bytes.len; i++) {
        char c = d[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= t->bytes.len || d[i + 1] != '\n'))) {
            GROW(t->lines, t->line_cap, t->line_count + 1);
            t->lines[t->line_count++] = i + 1;
        }
    }
}

void lsp_text_set(lsp_text *t, const char *s, size_t len)
{
    if (!t->bytes.data)
        buf_init(&t->bytes);
    t->bytes.len = 0;
    buf_add(&t->bytes, s, len);
    index_lines(t);
}

void lsp_text_free(lsp_text *t)
{
    buf_free(&t->bytes);
    free(t->lines);
    memset(t, 0, sizeof *t);
}

void lsp_text_replace(lsp_text *t, size_t start, size_t end, const char *s, size_t len)
{
    buf *b = &t->bytes;
    if (end > b->len)
        end = b->len;
    if (start > end)
        start = end;
    size_t tail = b->len - end;
    if (len > end - start)
        buf_reserve(b, len - (end - start));
    memmove(b->data + start + len, b->data + end, tail);
    memcpy(b->data + start, s, len);
    b->len = start + len + tail;
    b->data[b->len] = '\0';
    /* An edit next to a \r\n pair can join or split it, so the whole index
     * is rebuilt: linear, and far below the cost of the check that follows. */
    index_lines(t);
}

const char *lsp_text_line(const lsp_text *t, size_t line, size_t *len)
{
    size_t start = t->lines[line];
    *len = line_end(t, line) - start;
    return t->bytes.data + start;
}

/* The end of line `line` without its line break. */
static size_t line_end(const lsp_text *t, size_t line)
{
    size_t end = line + 1 < t->line_count ? t->lines[line + 1] : t->bytes.len;
    const char *d = t->bytes.data;
    while (end > t->lines[line] && (d[end - 1] == '\n' || d[end - 1] == '\r'))
        end--;
    return end;
}

/* Bytes and units of the character at s (avail > 0). */
static size_t char_at(const char *s, size_t avail, lsp_encoding enc, uint32_t *units)
{
    size_t n = utf8_valid_len((const unsigned char *)s, avail);
    if (n == 0) {
        *units = 1;
        return 1;
    }
    *units = enc == LSP_ENC_UTF8 ? (uint32_t)n : enc == LSP_ENC_UTF16 && n == 4 ? 2 : 1;
    return n;
}

size_t lsp_text_offset(const lsp_text *t, lsp_encoding enc, uint32_t line, uint32_t character)
{
    if (line >= t->line_count)
        return t->bytes.len;
    size_t i = t->lines[line], end = line_end(t, line);
    uint32_t count = 0;
    while (i < end && count < character) {
        uint32_t u;
        size_t n = char_at(t->bytes.data + i, end - i, enc, &u);
        if (count + u > character)
            break; /* inside a character: stay before it */
        count += u;
        i += n;
    }
    return i;
}

uint32_t lsp_units(const char *line, size_t byte, lsp_encoding enc)
{
    uint32_t count = 0;
    size_t i = 0;
    while (i < byte) {
        uint32_t u;
        i += char_at(line + i, byte - i, enc, &u);
        count += u;
    }
    return count;
}

size_t lsp_text_line_of(const lsp_text *t, size_t offset)
{
    size_t lo = 0, hi = t->line_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->lines[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void lsp_text_position(const lsp_text *t, lsp_encoding enc, size_t offset, uint32_t *line,
                       uint32_t *character)
{
    if (offset > t->bytes.len)
        offset = t->bytes.len;
    size_t lo = lsp_text_line_of(t, offset);
    size_t end = line_end(t, lo);
    if (offset > end)
        offset = end;
    *line = (uint32_t)lo;
    *character = lsp_units(t->bytes.data + t->lines[lo], offset - t->lines[lo], enc);
}

json_t *lsp_text_pos_json(const lsp_text *t, lsp_encoding enc, size_t offset)
{
    uint32_t line, ch;
    lsp_text_position(t, enc, offset, &line, &ch);
    return json_pack("{s:I,s:I}", "line", (json_int_t)line, "character", (json_int_t)ch);
}

json_t *lsp_text_range_json(const lsp_text *t, lsp_encoding enc, size_t start, size_t end)
{
    return json_pack("{s:o,s:o}", "start", lsp_text_pos_json(t, enc, start), "end",
                     lsp_text_pos_json(t, enc, end));
}

bool lsp_text_read_pos(const lsp_text *t, lsp_encoding enc, const json_t *pos, size_t *offset)
{
    json_t *l = json_object_get(pos, "line"), *c = json_object_get(pos, "character");
    if (!json_is_integer(l) || !json_is_integer(c) || json_integer_value(l) < 0 ||
        json_integer_value(c) < 0)
        return false;
    json_int_t line = json_integer_value(l), ch = json_integer_value(c);
    *offset = lsp_text_offset(t, enc, line > UINT32_MAX ? UINT32_MAX : (uint32_t)line,
                              ch > UINT32_MAX ? UINT32_MAX : (uint32_t)ch);
    return true;
}

bool lsp_text_read_range(const lsp_text *t, lsp_encoding enc, const json_t *range, size_t *start,
                         size_t *end)
{
    if (!lsp_text_read_pos(t, enc, json_object_get(range, "start"), start) ||
        !lsp_text_read_pos(t, enc, json_object_get(range, "end"), end))
        return false;
    if (*end < *start)
        return false;
    return true;
}

char *lsp_uri_to_path(const char *uri)
{
    static const char scheme[] = "file://";
    if (!uri || strncmp(uri, scheme, sizeof scheme - 1) != 0)
        return NULL;
    const char *p = uri + sizeof scheme - 1;
    if (strncmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return NULL;
    buf out;
    buf_init(&out);
    for (; *p && *p != '?' && *p != '#'; p++) {
        if (*p == '%') {
            char hex[3] = {p[1], p[1] ? p[2] : '\0', '\0'};
            long c = isxdigit((unsigned char)hex[0]) && isxdigit((unsigned char)hex[1])
                         ? strtol(hex, NULL, 16)
                         : 0;
            if (c == 0) { /* not %XX, or a NUL no path can hold */
                buf_free(&out);
                return NULL;
            }
            buf_addc(&out, (char)c);
            p += 2;
        } else {
            buf_addc(&out, *p);
        }
    }
    return buf_steal(&out);
}

char *lsp_path_to_uri(const char *path)
{
    buf out;
    buf_init(&out);
    buf_adds(&out, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/", c))
            buf_addc(&out, (char)c);
        else
            buf_printf(&out, "%%%02X", c);
    }
    return buf_steal(&out);
}
