/* Tests of fix edits: overlapping edits within one finding drop the fix,
 * the apply pass takes each finding's edits all or none and skips findings
 * that collide with one already taken, and replacement scalars keep the
 * quoting style of the text they replace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static uint32_t add(ssmc_sources *s, const char *text)
{
    size_t len = strlen(text);
    char *data = xmalloc(len + 1);
    memcpy(data, text, len + 1);
    return ssmc_sources_add(s, "t", data, len);
}

static ssmc_diag *finding(ssmc_diags *diags)
{
    ssmc_span none = {{0, 0, 0}, {0, 0, 0}};
    return ssmc_diag_add(diags, SSMC_RULE_SSM2002, 0, none, "x");
}

static void test_overlap_drops_fix(void **state)
{
    (void)state;
    ssmc_sources s = {0};
    uint32_t f = add(&s, "abcdef");
    ssmc_diags diags = {0};
    ssmc_diag *d = finding(&diags);
    ssmc_diag_add_fix_offsets(d, &s, f, 0, 2, "X");
    ssmc_diag_add_fix_offsets(d, &s, f, 4, 4, "Y");
    assert_int_equal(d->fix_count, 2);
    assert_int_equal(d->fixes[1].span.start.col, 5);
    ssmc_diag_add_fix_offsets(d, &s, f, 1, 3, "Z");
    assert_int_equal(d->fix_count, 0);
    assert_null(d->fixes);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&s);
}

static void test_apply(void **state)
{
    (void)state;
    ssmc_sources s = {0};
    uint32_t f = add(&s, "one two three");
    ssmc_diags diags = {0};
    ssmc_diag_add_fix_offsets(finding(&diags), &s, f, 8, 13, "3");       /* three -> 3 */
    ssmc_diag_add_fix_offsets(finding(&diags), &s, f, 4, 7, "2");        /* two -> 2 */
    ssmc_diag_add_fix_offsets(finding(&diags), &s, f, 5, 6, "W");        /* collides with two */
    ssmc_diag *both = finding(&diags);                                   /* all or none */
    ssmc_diag_add_fix_offsets(both, &s, f, 0, 0, "[");
    ssmc_diag_add_fix_offsets(both, &s, f, 9, 9, "]");
    finding(&diags);                                                     /* no fix */
    bool taken[5];
    size_t len, applied;
    char *out = ssmc_fix_apply(&s, f, &diags, taken, &len, &applied);
    assert_string_equal(out, "one 2 3");
    assert_int_equal(len, 7);
    assert_int_equal(applied, 2);
    assert_true(taken[0] && taken[1]);
    assert_false(taken[2] || taken[3] || taken[4]);
    free(out);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&s);
}

static void test_insert_before_replace(void **state)
{
    (void)state;
    ssmc_sources s = {0};
    uint32_t f = add(&s, "sudo yum install x");
    ssmc_diags diags = {0};
    ssmc_diag_add_fix_offsets(finding(&diags), &s, f, 0, 5, "");     /* drop sudo */
    ssmc_diag_add_fix_offsets(finding(&diags), &s, f, 16, 16, " -y");
    size_t len, applied;
    char *out = ssmc_fix_apply(&s, f, &diags, NULL, &len, &applied);
    assert_string_equal(out, "yum install -y x");
    assert_int_equal(applied, 2);
    free(out);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&s);
}

static void test_scalar_styles(void **state)
{
    (void)state;
    struct {
        ssmc_style style;
        const char *text;
        bool force;
        const char *want;
    } cases[] = {
        {SSMC_STYLE_PLAIN, "aws:runShellScript", false, "aws:runShellScript"},
        {SSMC_STYLE_PLAIN, "2.2", true, "'2.2'"},
        {SSMC_STYLE_PLAIN, "yes", false, "'yes'"},
        {SSMC_STYLE_PLAIN, "it's", false, "'it''s'"},
        {SSMC_STYLE_PLAIN, "a: b", false, "'a: b'"},
        {SSMC_STYLE_SINGLE_QUOTED, "Name", false, "'Name'"},
        {SSMC_STYLE_DOUBLE_QUOTED, "say \"hi\"", false, "\"say \\\"hi\\\"\""},
        {SSMC_STYLE_JSON, "2.2", true, "\"2.2\""},
        {SSMC_STYLE_SINGLE_QUOTED, "a\nb", false, "\"a\\nb\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf b;
        buf_init(&b);
        fix_scalar_text(&b, cases[i].style, cases[i].text, cases[i].force);
        assert_string_equal(b.data, cases[i].want);
        buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlap_drops_fix),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_insert_before_replace),
        cmocka_unit_test(test_scalar_styles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
