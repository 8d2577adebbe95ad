/* test_substitute.c — {{ }} substitution as the agent does it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "plan.h"

static ssmc_arena *arena;
static ssmc_node *str_v, *list_v, *int_v, *map_v, *dollar_v;
static sub_param params[5];

static int setup(void **state)
{
    (void)state;
    arena = arena_new();
    str_v = node_new_string(arena, "a parameter", 11);
    json_t *j = json_loads("[\"a\", \"plane\"]", 0, NULL);
    list_v = node_from_json(arena, j);
    json_decref(j);
    int_v = node_new(arena, SSMC_NODE_INT);
    int_v->val.i = 5;
    j = json_loads("{\"z\": \"<&>\", \"a\": 1.5}", 0, NULL);
    map_v = node_from_json(arena, j);
    json_decref(j);
    dollar_v = node_new_string(arena, "$$x $HOME ${1} $0 $ $-", 22);
    params[0] = (sub_param){"param1", str_v};
    params[1] = (sub_param){"param2", list_v};
    params[2] = (sub_param){"param3", int_v};
    params[3] = (sub_param){"m", map_v};
    params[4] = (sub_param){"d", dollar_v};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(arena);
    return 0;
}

static void check_text(const char *in, const char *want)
{
    size_t n;
    char *out = sub_text(in, strlen(in), params, 5, &n, NULL);
    assert_string_equal(out, want);
    free(out);
}

static void test_embedded(void **state)
{
    (void)state;
    /* The agent's own test cases (parameters_test.go). */
    check_text("put {{ param1 }} here", "put a parameter here");
    check_text("put {{ param2 }} here", "put [\"a\",\"plane\"] here");
    check_text("put {{ param3 }} here", "put 5 here");
    check_text("A {{param1}} is a {{\tparam1\n}}.", "A a parameter is a a parameter.");
    /* Go's json.Marshal: keys sorted, HTML characters escaped. */
    check_text("m={{m}}", "m={\"a\":1.5,\"z\":\"\\u003c\\u0026\\u003e\"}");
    /* Unknown names, other forms and vertical tab (not RE2 \s) stay. */
    check_text("{{ nope }} {{ssm:x}} {{\vparam1}}", "{{ nope }} {{ssm:x}} {{\vparam1}}");
    /* Leftmost match inside extra braces. */
    check_text("{{{ param3 }}}", "{5}");
}

static void test_dollar_template(void **state)
{
    (void)state;
    /* ReplaceAllString expands the value as a template. */
    check_text("<{{d}}>", "<$x   {{d}} $ $->");
}

static void test_whole_value(void **state)
{
    (void)state;
    assert_ptr_equal(sub_whole_token("{{ param2 }}", 12, params, 5)->value, list_v);
    assert_null(sub_whole_token("{{ param2 }} ", 13, params, 5));
    assert_null(sub_whole_token("a {{ param2 }}", 14, params, 5));
    assert_null(sub_whole_token("{{ comm }}", 10, params, 5));
}

static void test_tree(void **state)
{
    (void)state;
    json_t *j = json_loads("{\"runCommand\": \"{{ param2 }}\", \"{{ param1 }}\": [\"x {{param3}}\", 7],"
                           " \"n\": \"{{param3}}\"}",
                           JSON_PRESERVE_ORDER, NULL);
    ssmc_node *in = node_from_json(arena, j);
    json_decref(j);
    ssmc_node *out = sub_tree(arena, in, params, 5, NULL);
    json_t *r = node_to_json(out);
    char *s = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(s, "{\"runCommand\":[\"a\",\"plane\"],\"{{ param1 }}\":[\"x 5\",7],\"n\":5}");
    free(s);
    json_decref(r);
}

static void test_go_json_numbers(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    double values[] = {1e21, 1e20, 1e-7, 0.000001, 123.5, -0.0};
    const char *want[] = {"1e+21", "100000000000000000000", "1e-7", "0.000001", "123.5", "-0"};
    for (size_t i = 0; i < 6; i++) {
        ssmc_node *f = node_new(arena, SSMC_NODE_FLOAT);
        f->val.f = values[i];
        b.len = 0;
        sub_go_json(&b, f);
        assert_string_equal(b.data, want[i]);
    }
    buf_free(&b);
}

static void test_ssm(void **state)
{
    (void)state;
    json_t *j = json_loads("{\"/a\": \"A\", \"list\": [\"x\", \"y\"], \"sec\": {\"Type\": "
                           "\"SecureString\", \"Value\": \"s\"}}",
                           0, NULL);
    ssmc_node *values = node_from_json(arena, j);
    json_decref(j);
    j = json_loads("[\"{{ssm:/a}} and {{ ssm:/a }}\", \"{{ssm:list}}\", \"{{ssm:missing}}\"]", 0,
                   NULL);
    ssmc_node *in = node_from_json(arena, j);
    json_decref(j);
    ssm_store st = {values, false, NULL, NULL, 0, NULL};
    ssmc_node *out = ssm_resolve_tree(arena, in, &st);
    json_t *r = node_to_json(out);
    char *s = json_dumps(r, JSON_COMPACT);
    assert_string_equal(s, "[\"A and A\",\"x\",\"y\",\"{{ssm:missing}}\"]");
    assert_null(st.error);
    free(s);
    json_decref(r);
    ssm_store_free(&st);

    st = (ssm_store){values, true, NULL, NULL, 0, NULL};
    ssm_resolve_tree(arena, in, &st);
    assert_string_equal(st.error, "Input contains invalid parameters [missing]");
    ssm_store_free(&st);

    ssmc_node *embedded = node_new_string(arena, "x {{ssm:list}}", 14);
    st = (ssm_store){values, true, NULL, NULL, 0, NULL};
    ssm_resolve_tree(arena, embedded, &st);
    assert_string_equal(st.error, "Parameter list of type StringList cannot be used as a String");
    ssm_store_free(&st);
}

/* The plan's text budget: substitution stops once it is spent and keeps
 * the rest as written; a value pasted whole costs its text too. */
static void test_budget(void **state)
{
    (void)state;
    const char *in = "{{ param1 }}-{{ param1 }}-{{ param1 }}";
    size_t n;
    sub_budget b = {100, false};
    char *out = sub_text(in, strlen(in), params, 5, &n, &b);
    assert_string_equal(out, "a parameter-a parameter-a parameter");
    assert_false(b.spent);
    assert_int_equal(b.left, 100 - n);
    free(out);
    /* 11 bytes per value: the second one passes 15, the rest is kept. */
    b = (sub_budget){15, false};
    out = sub_text(in, strlen(in), params, 5, &n, &b);
    assert_string_equal(out, "a parameter-a parameter-{{ param1 }}");
    assert_true(b.spent);
    assert_int_equal(b.left, 0);
    free(out);
    /* Spent: nothing more is substituted, in a string or in a tree. */
    out = sub_text(in, strlen(in), params, 5, &n, &b);
    assert_string_equal(out, in);
    free(out);
    ssmc_node *whole = node_new_string(arena, "{{ param1 }}", 12);
    assert_ptr_equal(sub_tree(arena, whole, params, 5, &b), whole);
    /* A value pasted whole is charged its length (and quotes). */
    b = (sub_budget){100, false};
    assert_ptr_equal(sub_tree(arena, whole, params, 5, &b), str_v);
    assert_int_equal(b.left, 100 - 13);
    b = (sub_budget){5, false};
    sub_tree(arena, whole, params, 5, &b);
    assert_true(b.spent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_embedded),   cmocka_unit_test(test_dollar_template),
        cmocka_unit_test(test_whole_value), cmocka_unit_test(test_tree),
        cmocka_unit_test(test_go_json_numbers), cmocka_unit_test(test_ssm),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
