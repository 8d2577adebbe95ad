/* Tests of the source table: line maps (LF, CRLF, lone CR), columns in code
 * points, a UTF-8 BOM, offsets back from positions, and the position cursor
 * agreeing with ssmc_source_pos everywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static uint32_t add(ssmc_sources *s, const char *text, size_t len)
{
    char *data = xmalloc(len + 1);
    memcpy(data, text, len);
    data[len] = '\0';
    return ssmc_sources_add(s, "t", data, len);
}

#define assert_pos(p, l, c)                                                                    \
    do {                                                                                       \
        ssmc_pos p_ = (p);                                                                     \
        if (p_.line != (l) || p_.col != (c))                                                   \
            fail_msg("position %u:%u, expected %u:%u", p_.line, p_.col, (l), (c));             \
    } while (0)

static void test_line_ends(void **state)
{
    (void)state;
    ssmc_sources s = {0};
    const char text[] = "a\nb\r\nc\rd";
    const ssmc_source *src = ssmc_sources_get(&s, add(&s, text, sizeof text - 1));
    assert_int_equal(src->line_count, 4);
    assert_true(src->ascii);
    assert_pos(ssmc_source_pos(src, 0), 1, 1);
    assert_pos(ssmc_source_pos(src, 1), 1, 2);  /* the '\n' itself */
    assert_pos(ssmc_source_pos(src, 2), 2, 1);
    assert_pos(ssmc_source_pos(src, 4), 2, 3);  /* '\n' of CRLF */
    assert_pos(ssmc_source_pos(src, 5), 3, 1);
    assert_pos(ssmc_source_pos(src, 7), 4, 1);  /* after a lone CR */
    assert_pos(ssmc_source_pos(src, 8), 4, 2);  /* end of input */
    assert_pos(ssmc_source_pos(src, 99), 4, 2); /* clamped */
    size_t len;
    const char *line = ssmc_source_line(src, 2, &len);
    assert_int_equal(len, 1);
    assert_memory_equal(line, "b", 1);
    line = ssmc_source_line(src, 3, &len);
    assert_int_equal(len, 1);
    assert_memory_equal(line, "c", 1);
    assert_int_equal(ssmc_source_offset(src, 4, 1), 7);
    assert_int_equal(ssmc_source_offset(src, 2, 99), 3); /* clamped to the line's text */
    ssmc_sources_free(&s);
}

/* The line map is read sixteen bytes at a time: random texts of every
 * length around that, with \n, \r\n, lone \r and non-ASCII bytes at
 * every place in a block, against a byte-by-byte reading. */
static void test_line_map_matches_bytes(void **state)
{
    (void)state;
    srand(17);
    char text[80];
    size_t want[81];
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(rand() % 80);
        bool ascii = true;
        for (size_t i = 0; i < len; i++) {
            int r = rand() % 16;
            text[i] = r == 0 ? '\n' : r == 1 && round % 3 == 0 ? '\r' : r == 2 && round % 5 == 0 ? (char)0xC3 : 'x';
            ascii &= (unsigned char)text[i] < 0x80;
        }
        size_t n = 0;
        want[n++] = 0;
        for (size_t i = 0; i < len; i++)
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
                want[n++] = i + 1;
        ssmc_sources s = {0};
        const ssmc_source *src = ssmc_sources_get(&s, add(&s, text, len));
        assert_int_equal(src->line_count, n);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(src->line_starts[k], want[k]);
        assert_int_equal(src->ascii, ascii);
        ssmc_sources_free(&s);
    }
}

static void test_code_point_columns(void **state)
{
    (void)state;
    ssmc_sources s = {0};
    const char text[] = "\xEF\xBB\xBF" "é€😀x\nab";
    const ssmc_source *src = ssmc_sources_get(&s, add(&s, text, sizeof text - 1));
    assert_false(src->ascii);
    /* The BOM is not a column; offsets inside it clamp to column 1. */
    assert_pos(ssmc_source_pos(src, 0), 1, 1);
    assert_pos(ssmc_source_pos(src, 3), 1, 1);
    assert_pos(ssmc_source_pos(src, 5), 1, 2);   /* € */
    assert_pos(ssmc_source_pos(src, 8), 1, 3);   /* 😀 */
    assert_pos(ssmc_source_pos(src, 12), 1, 4);  /* x */
    assert_pos(ssmc_source_pos(src, 15), 2, 2);
    assert_int_equal(ssmc_source_offset(src, 1, 1), 3);
    assert_int_equal(ssmc_source_offset(src, 1, 4), 12);
    size_t len;
    const char *line = ssmc_source_line(src, 1, &len);
    assert_int_equal(len, 10);
    assert_memory_equal(line, "é", 2);
    ssmc_span sp = span_from_offsets(src, 5, 12);
    assert_pos(sp.start, 1, 2);
    assert_pos(sp.end, 1, 4);
    ssmc_sources_free(&s);
}

/* The cursor must give exactly what ssmc_source_pos gives, whatever order
 * the offsets come in. */
static void test_cursor_agrees(void **state)
{
    (void)state;
    ssmc_sources s = {0};
    buf b;
    buf_init(&b);
    buf_adds(&b, "\xEF\xBB\xBF");
    static const char *const pieces[] = {"a", "é", "€", "😀", "\n", "\r\n", "\r", " "};
    unsigned seed = 12345;
    for (int i = 0; i < 5000; i++) {
        seed = seed * 1103515245u + 12345u;
        buf_adds(&b, pieces[(seed >> 16) % 8]);
    }
    const ssmc_source *src = ssmc_sources_get(&s, add(&s, b.data, b.len));
    /* Offsets at character starts. */
    size_t *starts = xmalloc((b.len + 1) * sizeof *starts);
    size_t n = 0;
    for (size_t o = 3; o <= b.len; o++)
        if (o == b.len || ((unsigned char)b.data[o] & 0xC0) != 0x80)
            starts[n++] = o;
    source_cursor cur;
    source_cursor_init(&cur, src);
    for (size_t i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t k = (seed >> 8) % n;
        /* Mostly forward by a little, sometimes back, sometimes far. */
        size_t o = starts[k];
        ssmc_pos want = ssmc_source_pos(src, o), got = source_cursor_pos(&cur, o);
        if (want.line != got.line || want.col != got.col || want.offset != got.offset)
            fail_msg("offset %zu: cursor %u:%u, expected %u:%u", o, got.line, got.col, want.line,
                     want.col);
    }
    for (size_t i = 0; i < n; i++) {
        ssmc_pos want = ssmc_source_pos(src, starts[i]), got = source_cursor_pos(&cur, starts[i]);
        assert_int_equal(want.line, got.line);
        assert_int_equal(want.col, got.col);
    }
    free(starts);
    buf_free(&b);
    ssmc_sources_free(&s);
}

static void test_empty_source(void **state)
{
    (void)state;
    ssmc_sources s = {0};
    const ssmc_source *src = ssmc_sources_get(&s, add(&s, "", 0));
    assert_int_equal(src->line_count, 1);
    assert_pos(ssmc_source_pos(src, 0), 1, 1);
    size_t len;
    ssmc_source_line(src, 1, &len);
    assert_int_equal(len, 0);
    ssmc_source_line(src, 2, &len);
    assert_int_equal(len, 0);
    assert_null(ssmc_sources_get(&s, 7));
    ssmc_sources_free(&s);
}

/* A node's offsets get their lines and columns only when asked: directly,
 * or when a finding, a related note or a fix is added at them. */
static void test_loc_resolved(void **state)
{
    (void)state;
    ssmc_sources s = {0};
    /* "é" is two bytes, one column; the second line starts at byte 7. */
    uint32_t f = add(&s, "a: \xC3\xA9x\nbb: c\n", 13);
    const ssmc_source *src = ssmc_sources_get(&s, f);
    ssmc_span sp = ssmc_loc_span(src, loc_between(3, 6)); /* "éx" */
    assert_pos(sp.start, 1, 4);
    assert_pos(sp.end, 1, 6);
    assert_int_equal(sp.end.offset, 6);
    sp = ssmc_loc_span(src, loc_between(6, 12)); /* from the line break to after "c" */
    assert_pos(sp.start, 1, 6);
    assert_pos(sp.end, 2, 6);
    /* No position: line 0, whatever the source. */
    assert_int_equal(ssmc_loc_span(src, SSMC_NO_LOC).start.line, 0);
    assert_false(ssmc_loc_known(SSMC_NO_LOC));
    assert_true(ssmc_loc_known(loc_between(0, 0)));
    assert_int_equal(sp.start.offset, 6);
    assert_int_equal(sp.end.offset, 12);

    ssmc_diags d = {.sources = &s};
    ssmc_diag *dg = ssmc_diag_add(&d, SSMC_RULE_SSM1012, f, loc_between(7, 9), "at %s", "bb");
    assert_pos(dg->span.start, 2, 1);
    assert_pos(dg->span.end, 2, 3);
    assert_string_equal(dg->message, "at bb");
    ssmc_diag_add_related(dg, f, loc_between(3, 5), "first %d", 1);
    assert_pos(dg->related[0].span.start, 1, 4);
    assert_pos(dg->related[0].span.end, 1, 5);
    ssmc_diag_add_fix(dg, f, loc_between(7, 9), "b");
    assert_int_equal(dg->fix_count, 1);
    assert_pos(dg->fixes[0].span.start, 2, 1);
    assert_int_equal(dg->fixes[0].span.end.offset, 9);
    /* A span is taken as it is (its own lines and columns). */
    ssmc_span given = {{5, 2, 1}, {5, 3, 2}};
    dg = ssmc_diag_add(&d, SSMC_RULE_SSM1012, f, given, "given");
    assert_pos(dg->span.start, 5, 2);
    /* Without a position: line 0, and an edit there is no fix (it would
     * land at offset 0), taking the finding's other edits with it. */
    dg = ssmc_diag_add(&d, SSMC_RULE_SSM1012, f, SSMC_NO_LOC, "nowhere");
    assert_int_equal(dg->span.start.line, 0);
    ssmc_diag_add_fix(dg, f, loc_between(0, 1), "x");
    assert_int_equal(dg->fix_count, 1);
    ssmc_diag_add_fix(dg, f, SSMC_NO_LOC, "y");
    assert_int_equal(dg->fix_count, 0);
    ssmc_diags_free(&d);
    assert_ptr_equal(d.sources, &s); /* an emptied list keeps its sources */

    /* A released source's bytes are gone: no position rather than a
     * wrong one. */
    ssmc_source_release(s.items[f]);
    assert_int_equal(ssmc_loc_span(s.items[f], loc_between(3, 6)).start.line, 0);
    ssmc_sources_free(&s);
}

/* Columns on a long line of non-ASCII text are counted from the nearest
 * column mark: they must equal a count from the line's start at every
 * byte, marks falling inside multi-byte characters and on other lines. */
static void test_long_line_columns(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    buf_adds(&b, "\xEF\xBB\xBF\xC3\xA9\n"); /* BOM, then "é" */
    size_t line2 = b.len;
    for (int i = 0; b.len < line2 + 3 * SSMC_COL_MARK_BYTES + 100; i++)
        buf_adds(&b, i % 3 == 0 ? "a" : i % 3 == 1 ? "\xC3\xA9" : "\xE2\x82\xAC");
    size_t line3 = b.len + 1;
    buf_adds(&b, "\nx\xC3\xA9y");
    ssmc_sources s = {0};
    const ssmc_source *src = ssmc_sources_get(&s, add(&s, b.data, b.len));
    assert_non_null(src->col_marks);
    for (size_t off = line2; off <= b.len; off++) {
        size_t start = off < line3 ? line2 : line3;
        uint32_t want = 1;
        for (size_t i = start; i < off; i++)
            want += ((unsigned char)b.data[i] & 0xC0) != 0x80;
        ssmc_pos p = ssmc_source_pos(src, off);
        if (p.line != (off < line3 ? 2u : 3u) || p.col != want)
            fail_msg("offset %zu: %u:%u, expected %u:%u", off, p.line, p.col,
                     off < line3 ? 2u : 3u, want);
    }
    assert_pos(ssmc_source_pos(src, 5), 1, 2); /* after the BOM and "é" */
    /* Short lines need no marks, whatever the text. */
    const ssmc_source *short_lines = ssmc_sources_get(&s, add(&s, "\xC3\xA9\n", 3));
    assert_null(short_lines->col_marks);
    ssmc_sources_free(&s);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_line_map_matches_bytes),
        cmocka_unit_test(test_code_point_columns),
        cmocka_unit_test(test_cursor_agrees),
        cmocka_unit_test(test_empty_source),
        cmocka_unit_test(test_loc_resolved),
        cmocka_unit_test(test_long_line_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
