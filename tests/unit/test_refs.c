/* test_refs.c — the {{ ... }} scanner (refs.c): token kinds, the agent's
 * whitespace classes, the whole-value rule, {{{ x }}}, Parameter Store and
 * other prefixed forms, unclosed braces. Each expectation follows the agent
 * (parameters.go: {{\s*NAME\s*}}; parameterstore: \{\{ *ssm:[/\w.:-]+ *\}\}). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "refs.h"

#include <stdio.h>
#include <string.h>

typedef struct collected {
    char text[512]; /* "kind:inside|kind:inside|..." */
    size_t starts[8], ends[8];
    bool ssm_form[8];
    int count;
} collected;

static const char *const kind_names[] = {"param", "ssm", "secure", "resolve", "automation", "other"};

static bool collect(const ref_token *t, const char *s, void *user)
{
    collected *c = user;
    size_t n = strlen(c->text);
    snprintf(c->text + n, sizeof c->text - n, "%s%s:%.*s", c->count ? "|" : "", kind_names[t->kind],
             (int)t->name_len, s + t->name_start);
    if (c->count < 8) {
        c->starts[c->count] = t->start;
        c->ends[c->count] = t->end;
        c->ssm_form[c->count] = t->agent_ssm_form;
    }
    c->count++;
    return true;
}

static collected scan(const char *s)
{
    collected c;
    memset(&c, 0, sizeof c);
    refs_scan(s, strlen(s), collect, &c);
    return c;
}

static void test_kinds(void **state)
{
    (void)state;
    collected c = scan("echo {{ name }} {{ssm:/app/db}} {{ssm-secure:token}} {{resolve:ssm:x}} "
                       "{{ automation:EXECUTION_ID }} {{ global:REGION }} {{ Step.Output }} "
                       "{{ .State.Health }} {{ my_param }}");
    assert_string_equal(c.text, "param:name|ssm:ssm:/app/db|secure:ssm-secure:token|resolve:resolve:ssm:x|"
                                "automation:automation:EXECUTION_ID|automation:global:REGION|"
                                "automation:Step.Output|other:.State.Health|other:my_param");
    assert_int_equal(c.starts[0], 5);
    assert_int_equal(c.ends[0], 15);
}

static void test_whitespace(void **state)
{
    (void)state;
    /* RE2 \s around a parameter name: space, tab, CR, LF, FF, VT. */
    collected c = scan("{{\tname\n}}|{{\r\f\vname }}|{{name}}");
    assert_string_equal(c.text, "param:name|param:name|param:name");
    assert_true(refs_is_space('\v'));
    assert_false(refs_is_space('\0'));
    assert_false(refs_is_space('_'));
    /* Parameter Store references allow spaces only. */
    c = scan("{{ ssm:/a/b-c.d:3 }}|{{\tssm:/a}}|{{ssm:}}|{{ssm:a b}}");
    assert_int_equal(c.count, 4);
    assert_true(c.ssm_form[0]);
    assert_false(c.ssm_form[1]);
    assert_false(c.ssm_form[2]);
    assert_false(c.ssm_form[3]);
}

static void test_whole_value(void **state)
{
    (void)state;
    ref_token t;
    assert_true(refs_whole_value("{{ list }}", 10, &t));
    assert_int_equal(t.name_start, 3);
    assert_int_equal(t.name_len, 4);
    assert_true(refs_whole_value("{{\nlist\t}}", 10, NULL));
    assert_false(refs_whole_value(" {{ list }}", 11, NULL));
    assert_false(refs_whole_value("{{ list }} ", 11, NULL));
    assert_false(refs_whole_value("{{ a }}{{ b }}", 14, NULL));
    assert_false(refs_whole_value("{{ my_list }}", 13, NULL)); /* not [a-zA-Z0-9]+ */
    assert_false(refs_whole_value("{{ssm:/x}}", 10, NULL));
    assert_false(refs_whole_value("", 0, NULL));
}

static void test_triple_braces(void **state)
{
    (void)state;
    /* {{{ x }}}: the agent's regex matches the innermost pair; the outer
     * braces stay as text. */
    collected c = scan("{{{ x }}}");
    assert_string_equal(c.text, "param:x");
    assert_int_equal(c.starts[0], 1);
    assert_int_equal(c.ends[0], 8);
    assert_false(refs_whole_value("{{{ x }}}", 9, NULL));
}

static void test_unclosed(void **state)
{
    (void)state;
    assert_int_equal(scan("{{ name").count, 0);
    assert_int_equal(scan("{{ name }").count, 0);
    assert_int_equal(scan("{ name }}").count, 0);
    assert_int_equal(scan("{{").count, 0);
    assert_int_equal(scan("").count, 0);
    /* An unclosed opening is text; the later token still counts. */
    collected c = scan("{{ a {{ b }} c }}");
    assert_string_equal(c.text, "param:b");
    assert_int_equal(c.starts[0], 5);
    c = scan("${x} {{}} {{ }}");
    assert_string_equal(c.text, "other:|other:");
}

static void test_looks_like_name(void **state)
{
    (void)state;
    assert_true(refs_looks_like_name("my_param", 8));
    assert_true(refs_looks_like_name("my-param", 8));
    assert_true(refs_looks_like_name("$param", 6));
    assert_false(refs_looks_like_name(".State", 6));
    assert_false(refs_looks_like_name("if x", 4));
    assert_false(refs_looks_like_name("", 0));
    assert_false(refs_looks_like_name("$", 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),          cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_whole_value),    cmocka_unit_test(test_triple_braces),
        cmocka_unit_test(test_unclosed),       cmocka_unit_test(test_looks_like_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
