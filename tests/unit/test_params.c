/* test_params.c — parameter checks: allowedPattern compiles and stays
 * within what Go RE2 (agent) and Java (API) can run, the agent's unanchored
 * match, default values against type, allowedValues, allowedPattern and
 * limits (maps as their JSON text), and that JSON text itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "params.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    ssmc_sources sources;
    ssmc_diags diags;
    ssmc_config config;
    ssmc_document *doc;
    vctx v;
} fixture;

static void load(fixture *f, const char *text)
{
    memset(f, 0, sizeof *f);
    ssmc_config_init(&f->config);
    uint32_t file = ssmc_sources_add(&f->sources, "doc.yaml", xstrdup(text), strlen(text));
    f->doc = ssmc_load(&f->sources, file, NULL, &f->diags);
    assert_non_null(f->doc->root);
    assert_int_equal(f->diags.count, 0);
    f->v.sources = &f->sources;
    f->v.source = ssmc_sources_get(&f->sources, file);
    f->v.doc = f->doc;
    f->v.config = &f->config;
    f->v.diags = &f->diags;
    f->v.file = file;
    f->v.root = f->doc->root;
    f->v.kind = KIND_COMMAND;
    f->v.version = "2.2";
    f->v.version_major = 2;
    f->v.version_minor = 2;
    f->v.parameters = ssmc_map_get(f->doc->root, "parameters");
}

static void unload(fixture *f)
{
    ssmc_document_free(f->doc);
    ssmc_diags_free(&f->diags);
    ssmc_sources_free(&f->sources);
}

/* The rule ids found, in order, joined with spaces. */
static const char *rules_of(const fixture *f)
{
    static char out[256];
    out[0] = '\0';
    for (size_t i = 0; i < f->diags.count; i++) {
        size_t n = strlen(out);
        snprintf(out + n, sizeof out - n, "%s%s", i ? " " : "", ssmc_rule_get(f->diags.items[i].rule)->id);
    }
    return out;
}

/* Checks one allowedPattern (YAML single-quoted) and returns the rules found. */
static const char *pattern_rules(const char *pattern, params_regex **re_out)
{
    static fixture f;
    char text[512];
    snprintf(text, sizeof text, "p: '%s'\n", pattern);
    load(&f, text);
    params_regex *re = params_pattern_check(&f.v, "p", ssmc_map_get(f.doc->root, "p"));
    static char out[256];
    snprintf(out, sizeof out, "%s", rules_of(&f));
    if (re_out)
        *re_out = re;
    else
        params_pattern_free(re);
    unload(&f);
    return out;
}

static void test_pattern_portability(void **state)
{
    (void)state;
    assert_string_equal(pattern_rules("^[a-z]+$", NULL), "");
    assert_string_equal(pattern_rules("^(?=a)[a-z]$", NULL), "SSM3014");
    assert_string_equal(pattern_rules("^(?<!a)b$", NULL), "SSM3014");
    assert_string_equal(pattern_rules("^(a)\\1$", NULL), "SSM3014");
    assert_string_equal(pattern_rules("^a++$", NULL), "SSM3014");
    assert_string_equal(pattern_rules("^(?>ab)$", NULL), "SSM3014");
    assert_string_equal(pattern_rules("^a\\Z", NULL), "SSM3014");
    /* Escapes and classes that look alike but are portable. */
    assert_string_equal(pattern_rules("^[\\1(?=]+$", NULL), "");
    assert_string_equal(pattern_rules("^a+?b*$", NULL), "");
    assert_string_equal(pattern_rules("^(?:ab|cd)\\+$", NULL), "");
    assert_string_equal(pattern_rules("^(?i)abc$", NULL), "");
}

static void test_pattern_compile_and_anchor(void **state)
{
    (void)state;
    assert_string_equal(pattern_rules("abc", NULL), "SSM3015");
    assert_string_equal(pattern_rules("^abc", NULL), "SSM3015");
    assert_string_equal(pattern_rules("^(abc$", NULL), "SSM3013");
    /* The fault is placed at its column: p: '^(abc$  -> after the pattern. */
    fixture f;
    load(&f, "p: '[a-'\n");
    params_regex *re = params_pattern_check(&f.v, "p", ssmc_map_get(f.doc->root, "p"));
    assert_null(re);
    assert_int_equal(f.diags.count, 1);
    assert_string_equal(ssmc_rule_get(f.diags.items[0].rule)->id, "SSM3013");
    assert_int_equal(f.diags.items[0].span.start.line, 1);
    assert_true(f.diags.items[0].span.start.col >= 5);
    unload(&f);
}

static void test_pattern_match_is_search(void **state)
{
    (void)state;
    params_regex *re = NULL;
    pattern_rules("[0-9]+", &re); /* unanchored: reported, and still compiled */
    assert_non_null(re);
    assert_int_equal(params_pattern_match(re, "abc123", 6), 1); /* Go MatchString searches */
    assert_int_equal(params_pattern_match(re, "abc", 3), 0);
    params_pattern_free(re);
    pattern_rules("^[a-z]+$", &re);
    assert_int_equal(params_pattern_match(re, "abc1", 4), 0);
    assert_int_equal(params_pattern_match(re, "", 0), 0);
    params_pattern_free(re);
}

/* Compiled patterns are cached by text and options (params_pattern.c):
 * the same text compiled for the agent (Go: '$' only at the very end) and
 * for Automation (Java: '$' also before a final newline) are two entries;
 * a hit still reports the pattern's findings; a pattern in use survives
 * more distinct patterns than the cache holds, and evicted ones compile
 * again to the same verdicts. */
static void test_pattern_cache(void **state)
{
    (void)state;
    params_regex *go = NULL;
    assert_string_equal(pattern_rules("^abc$", &go), "");
    assert_int_equal(params_pattern_match(go, "abc\n", 4), 0);
    fixture f;
    load(&f, "p: '^abc$'\n");
    f.v.kind = KIND_AUTOMATION;
    params_regex *java = params_pattern_check(&f.v, "p", ssmc_map_get(f.doc->root, "p"));
    assert_int_equal(params_pattern_match(java, "abc\n", 4), 1);
    params_pattern_free(java);
    unload(&f);
    assert_string_equal(pattern_rules("abc", NULL), "SSM3015");
    assert_string_equal(pattern_rules("abc", NULL), "SSM3015");
    char pat[64], val[64];
    for (int i = 0; i < 600; i++) {
        snprintf(pat, sizeof pat, "^v%d$", i);
        snprintf(val, sizeof val, "v%d", i);
        bool compiled;
        assert_true(params_pattern_search(pat, 0, val, strlen(val), &compiled) >= 0);
        assert_true(compiled);
        assert_int_equal(params_pattern_search(pat, 0, "v", 1, &compiled), PCRE2_ERROR_NOMATCH);
        assert_true(params_pattern_matches(pat, val, strlen(val), &compiled));
        assert_false(params_pattern_matches(pat, "x", 1, &compiled));
    }
    assert_int_equal(params_pattern_match(go, "abc", 3), 1); /* held: not evicted */
    assert_int_equal(params_pattern_match(go, "abc\n", 4), 0);
    params_pattern_free(go);
    bool compiled = true;
    assert_true(params_pattern_matches("^(a$", "a", 1, &compiled)); /* does not compile: left to validation */
    assert_false(compiled);
}

static const char *param_rules(const char *parameters)
{
    static fixture f;
    char text[2048];
    snprintf(text, sizeof text, "schemaVersion: '2.2'\nparameters:\n%s", parameters);
    load(&f, text);
    validate_parameters(&f.v);
    static char out[256];
    snprintf(out, sizeof out, "%s", rules_of(&f));
    unload(&f);
    return out;
}

static void test_default_values(void **state)
{
    (void)state;
    assert_string_equal(param_rules("  p: {type: String, default: abc}\n"), "");
    assert_string_equal(param_rules("  p: {type: String, default: 5}\n"), "SSM3008");
    assert_string_equal(param_rules("  p: {type: StringList, default: abc}\n"), "SSM3008");
    assert_string_equal(param_rules("  p: {type: String, default: c, allowedValues: [a, b]}\n"),
                        "SSM3009");
    assert_string_equal(param_rules("  p: {type: String, default: b, allowedValues: [a, b]}\n"), "");
    assert_string_equal(param_rules("  p: {type: String, default: '', allowedValues: [a, b]}\n"),
                        "SSM3009");
    assert_string_equal(param_rules("  p: {type: String, default: ab1, allowedPattern: '^[a-z]+$'}\n"),
                        "SSM3010");
    assert_string_equal(param_rules("  p: {type: StringList, default: [ab, c1], allowedPattern: '^[a-z]+$'}\n"),
                        "SSM3010");
    assert_string_equal(param_rules("  p: {type: String, default: abcdef, maxChars: 3}\n"), "SSM3011");
    assert_string_equal(param_rules("  p: {type: String, default: '{{ssm:/a/b}}', maxChars: 3}\n"), "");
    assert_string_equal(param_rules("  p: {type: String, minChars: 5, maxChars: 3}\n"), "SSM3012");
}

static void test_map_defaults_as_json(void **state)
{
    (void)state;
    /* Keys are sorted in the agent's JSON text, so this pattern fits. */
    assert_string_equal(param_rules("  p:\n    type: StringMap\n    default: {b: '2', a: '1'}\n"
                                    "    allowedPattern: '^\\{\"a\":\"1\",\"b\":\"2\"\\}$'\n"),
                        "SSM3005");
    assert_string_equal(param_rules("  p:\n    type: StringMap\n    default: {b: '2', a: '1'}\n"
                                    "    allowedPattern: '^\\{\"b\":'\n"),
                        "SSM3005 SSM3015 SSM3010");
    /* {"a":"1","b":"2"} is 17 characters. */
    assert_string_equal(param_rules("  p: {type: StringMap, default: {b: '2', a: '1'}, maxChars: 17}\n"),
                        "SSM3005");
    assert_string_equal(param_rules("  p: {type: StringMap, default: {b: '2', a: '1'}, maxChars: 16}\n"),
                        "SSM3005 SSM3011");
}

static void test_json_text(void **state)
{
    (void)state;
    fixture f;
    load(&f, "v: {z: [1, true, null], a: 'x<y & \"q\"\\n', m: {k: 1.5}}\n");
    buf b;
    buf_init(&b);
    validate_json_text(&b, ssmc_map_get(f.doc->root, "v"));
    buf_addc(&b, '\0');
    assert_string_equal(b.data,
                        "{\"a\":\"x\\u003cy \\u0026 \\\"q\\\"\\\\n\",\"m\":{\"k\":1.5},\"z\":[1,true,null]}");
    buf_free(&b);
    unload(&f);
}

static void test_json_object_in_string(void **state)
{
    (void)state;
    fixture f;
    load(&f, "s: '{\"path\": \"s3://b/k\", \"n\": 2}'\nt: 'path=s3://b/k'\nu: '[1]'\n");
    ssmc_node *map = validate_json_object(&f.v, ssmc_map_get(f.doc->root, "s"));
    assert_non_null(map);
    assert_int_equal(map->type, SSMC_NODE_MAP);
    assert_int_equal(map->count, 2);
    assert_string_equal(map->pairs[0].key->str, "path");
    assert_string_equal(map->pairs[0].value->str, "s3://b/k");
    /* Positions point into the string: "path" starts at column 6. */
    assert_int_equal(ssmc_loc_span(f.v.source, map->pairs[0].key->span).start.col, 6);
    assert_int_equal(ssmc_loc_span(f.v.source, map->pairs[0].value->span).start.col, 14);
    assert_int_equal(map->pairs[1].value->type, SSMC_NODE_INT);
    assert_int_equal(map->pairs[1].value->val.i, 2);
    assert_null(validate_json_object(&f.v, ssmc_map_get(f.doc->root, "t")));
    assert_null(validate_json_object(&f.v, ssmc_map_get(f.doc->root, "u")));
    unload(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_portability),
        cmocka_unit_test(test_pattern_compile_and_anchor),
        cmocka_unit_test(test_pattern_match_is_search),
        cmocka_unit_test(test_pattern_cache),
        cmocka_unit_test(test_default_values),
        cmocka_unit_test(test_map_defaults_as_json),
        cmocka_unit_test(test_json_text),
        cmocka_unit_test(test_json_object_in_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
