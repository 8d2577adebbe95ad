/* test_emit.c — canonical JSON, normalized YAML, SHA-256, atomic writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"

typedef struct loaded {
    ssmc_sources sources;
    ssmc_diags diags;
    ssmc_document *doc;
} loaded;

static void load_text(loaded *l, const char *name, const char *text)
{
    memset(l, 0, sizeof *l);
    size_t len = strlen(text);
    char *data = malloc(len + 1);
    memcpy(data, text, len + 1);
    uint32_t f = ssmc_sources_add(&l->sources, name, data, len);
    l->doc = ssmc_load(&l->sources, f, NULL, &l->diags);
}

static void unload(loaded *l)
{
    ssmc_document_free(l->doc);
    ssmc_diags_free(&l->diags);
    ssmc_sources_free(&l->sources);
}

static char *to_json(const char *yaml, bool compact)
{
    loaded l;
    load_text(&l, "t.yaml", yaml);
    assert_non_null(l.doc->root);
    buf b;
    buf_init(&b);
    emit_options o = {compact, true};
    const ssmc_node *bad = NULL;
    bool ok = emit_json(&b, l.doc->root, &o, &bad);
    unload(&l);
    if (!ok) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

static void test_key_order(void **state)
{
    (void)state;
    char *j = to_json("mainSteps:\n"
                      "  - inputs: {runCommand: [echo]}\n"
                      "    name: a\n"
                      "    zzz: 1\n"
                      "    action: aws:runShellScript\n"
                      "parameters:\n"
                      "  P:\n"
                      "    default: x\n"
                      "    extra: 1\n"
                      "    type: String\n"
                      "custom: 1\n"
                      "description: d\n"
                      "schemaVersion: '2.2'\n",
                      false);
    assert_string_equal(j, "{\n"
                           "  \"schemaVersion\": \"2.2\",\n"
                           "  \"description\": \"d\",\n"
                           "  \"parameters\": {\n"
                           "    \"P\": {\n"
                           "      \"type\": \"String\",\n"
                           "      \"default\": \"x\",\n"
                           "      \"extra\": 1\n"
                           "    }\n"
                           "  },\n"
                           "  \"mainSteps\": [\n"
                           "    {\n"
                           "      \"action\": \"aws:runShellScript\",\n"
                           "      \"name\": \"a\",\n"
                           "      \"inputs\": {\n"
                           "        \"runCommand\": [\n"
                           "          \"echo\"\n"
                           "        ]\n"
                           "      },\n"
                           "      \"zzz\": 1\n"
                           "    }\n"
                           "  ],\n"
                           "  \"custom\": 1\n"
                           "}\n");
    free(j);
}

/* Numbers keep their written text when it is a JSON number (1e3 stays
 * 1e3); YAML-only forms (0x1F, 0o17) are re-emitted as values. */
static void test_scalars(void **state)
{
    (void)state;
    char *j = to_json("schemaVersion: 2.2\n"
                      "a: 0x1F\n"
                      "b: 0o17\n"
                      "c: 1.5\n"
                      "d: 1e3\n"
                      "e: ~\n"
                      "f: true\n"
                      "g: \"x/y\\u00e9\\t\\u0001\"\n"
                      "h: []\n"
                      "i: {}\n"
                      "j: 0.1\n",
                      true);
    assert_string_equal(j, "{\"schemaVersion\":\"2.2\",\"a\":31,\"b\":15,\"c\":1.5,\"d\":1e3,"
                           "\"e\":null,\"f\":true,\"g\":\"x/y\xc3\xa9\\t\\u0001\",\"h\":[],"
                           "\"i\":{},\"j\":0.1}\n");
    free(j);
}

static void test_anchors_merge(void **state)
{
    (void)state;
    char *j = to_json("base: &b {x: 1, y: 2}\n"
                      "m:\n"
                      "  <<: *b\n"
                      "  y: 3\n"
                      "r: *b\n",
                      true);
    assert_string_equal(j, "{\"base\":{\"x\":1,\"y\":2},\"m\":{\"y\":3,\"x\":1},"
                           "\"r\":{\"x\":1,\"y\":2}}\n");
    free(j);
}

static void test_nan_refused(void **state)
{
    (void)state;
    assert_null(to_json("a: .nan\n", false));
}

static void test_format_double(void **state)
{
    (void)state;
    char t[40];
    assert_true(emit_format_double(1.0, t));
    assert_string_equal(t, "1.0");
    assert_true(emit_format_double(1e20, t));
    assert_string_equal(t, "1.0e+20");
    assert_true(emit_format_double(0.1, t));
    assert_string_equal(t, "0.1");
    assert_true(emit_format_double(-2.5e-7, t));
    assert_string_equal(t, "-2.5e-07");
    assert_true(emit_format_double(1000.0, t));
    assert_string_equal(t, "1000.0");
    assert_true(emit_format_double(123.456, t));
    assert_string_equal(t, "123.456");
    assert_true(emit_format_double(1.0 / 3.0, t));
    assert_true(strtod(t, NULL) == 1.0 / 3.0);
}

static void test_yaml_quotes(void **state)
{
    (void)state;
    const char *quoted[] = {"yes", "No", "on", "OFF", "y", "n", "null", "~", "", "0755",
                            "1:30", "1_000", ".5", "-1", "+1", " lead", "trail ", "true",
                            "<<", "=", ".inf"};
    for (size_t i = 0; i < sizeof quoted / sizeof quoted[0]; i++)
        assert_true(emit_yaml_needs_quotes(quoted[i], strlen(quoted[i])));
    const char *plain[] = {"hello", "aws:runShellScript", "yesno", "x1", "Linux"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        assert_false(emit_yaml_needs_quotes(plain[i], strlen(plain[i])));
}

static void test_yaml_output(void **state)
{
    (void)state;
    loaded l;
    load_text(&l, "t.yaml",
              "mainSteps:\n"
              "- name: s\n"
              "  action: aws:runShellScript\n"
              "  inputs:\n"
              "    runCommand: ['echo a', 'yes', '0755']\n"
              "    script: \"line1\\nline2\\n\"\n"
              "schemaVersion: '2.2'\n"
              "num: 1.5e3\n");
    buf b;
    buf_init(&b);
    char *err = NULL;
    assert_true(emit_yaml(&b, l.doc->root, NULL, &err));
    assert_string_equal(b.data, "schemaVersion: '2.2'\n"
                                "mainSteps:\n"
                                "- action: aws:runShellScript\n"
                                "  name: s\n"
                                "  inputs:\n"
                                "    runCommand:\n"
                                "    - echo a\n"
                                "    - 'yes'\n"
                                "    - '0755'\n"
                                "    script: |\n"
                                "      line1\n"
                                "      line2\n"
                                "num: 1.5e3\n");
    buf_free(&b);
    unload(&l);
}

static void test_sha256(void **state)
{
    (void)state;
    char hex[65];
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    sha256_hex(million, 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

static void test_atomic_write(void **state)
{
    (void)state;
    char dir[] = "/tmp/ssmc-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/out.json", dir);
    char *err = NULL;
    assert_true(atomic_write_file(path, "old\n", 4, &err));
    chmod(path, 0640);
    assert_true(atomic_write_file(path, "new\n", 4, &err));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(st.st_size, 4);
    /* issue 18: never keep setuid or group/other write from the old file */
    chmod(path, 04777);
    assert_true(atomic_write_file(path, "newer\n", 6, &err));
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0755);
    /* a symlink is replaced by a new 0644 & ~umask file; its target is untouched */
    char *target = xasprintf("%s/target", dir);
    char *link = xasprintf("%s/link.json", dir);
    assert_true(atomic_write_file(target, "target\n", 7, &err));
    chmod(target, 06777);
    assert_int_equal(symlink(target, link), 0);
    mode_t mask = umask(022);
    assert_true(atomic_write_file(link, "via link\n", 9, &err));
    umask(mask);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0644);
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_size, 7);
    assert_int_equal(st.st_mode & 07777, 06777);
    unlink(link);
    unlink(target);
    free(link);
    free(target);
    char *missing = xasprintf("%s/no/such/dir/out.json", dir);
    assert_false(atomic_write_file(missing, "x", 1, &err));
    assert_non_null(err);
    free(err);
    err = NULL;
    assert_false(atomic_write_file("/dev/full", "x", 1, &err));
    assert_non_null(strstr(err, "No space"));
    free(err);
    unlink(path);
    rmdir(dir);
    free(path);
    free(missing);
}

/* emit_json with an expected text: true only for exactly that text; it
 * stops at the first map entry or list item past a difference, without
 * writing the rest of the tree. */
static bool emits_expected(const char *yaml, const char *expect, size_t *written,
                           const ssmc_node **bad)
{
    loaded l;
    load_text(&l, "t.yaml", yaml);
    assert_non_null(l.doc->root);
    buf b;
    buf_init(&b);
    emit_options o = {true, true, expect, strlen(expect)};
    *bad = NULL;
    bool ok = emit_json(&b, l.doc->root, &o, bad);
    *written = b.len;
    buf_free(&b);
    unload(&l);
    return ok;
}

static void test_expect_stops_early(void **state)
{
    (void)state;
    size_t written;
    const ssmc_node *bad;
    const char *doc = "schemaVersion: '2.2'\nmainSteps: [1, 2, 3]\nextra: long enough\n";
    assert_true(emits_expected(doc, "{\"schemaVersion\":\"2.2\",\"mainSteps\":[1,2,3],"
                                    "\"extra\":\"long enough\"}\n", &written, &bad));
    /* differs in the first list item: the later entries are never written */
    assert_false(emits_expected(doc, "{\"schemaVersion\":\"2.2\",\"mainSteps\":[9,2,3],"
                                     "\"extra\":\"long enough\"}\n", &written, &bad));
    assert_null(bad);
    assert_true(written < strlen("{\"schemaVersion\":\"2.2\",\"mainSteps\":[1,2,"));
    /* a prefix of the output, and the output plus more, are no match */
    assert_false(emits_expected(doc, "{\"schemaVersion\":\"2.2\"", &written, &bad));
    assert_false(emits_expected(doc, "{\"schemaVersion\":\"2.2\",\"mainSteps\":[1,2,3],"
                                     "\"extra\":\"long enough\"}\n\n", &written, &bad));
    assert_null(bad);
}

/* The size check skips the tree of a YAML text of at most (56 KB - 16) / 6
 * bytes without an alias (validate_document.c): such a text is at most six
 * times its bytes (plus 16) as compact JSON. The worst cases known, then
 * random texts over the bytes that grow most: keys without values in flow
 * mappings, escapes, empty items, keywords, tags. */
static void assert_within_bound(const char *text)
{
    loaded l;
    load_text(&l, "t.yaml", text);
    if (l.doc->root && (l.doc->syntax_ok || l.doc->recovered) && !l.doc->aliased) {
        buf b;
        buf_init(&b);
        emit_options o = {true, true, NULL, 0};
        const ssmc_node *bad = NULL;
        if (emit_json(&b, l.doc->root, &o, &bad) && b.len - 1 > 6 * strlen(text) + 16)
            fail_msg("%zu bytes of YAML are %zu bytes of JSON: [%s]", strlen(text), b.len - 1,
                     text);
        buf_free(&b);
    }
    unload(&l);
}

static void test_yaml_json_size_bound(void **state)
{
    (void)state;
    assert_within_bound("{a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p}");
    assert_within_bound("[\"\\0\\0\\0\\0\\0\\0\\0\\0\\a\\e\\v\"]");
    assert_within_bound("-\n-\n-\n-\n-\n-\n");
    assert_within_bound("a:\nb:\nc:\nd:\n");
    assert_within_bound("[n,n,n,n,n,~,~,~]");
    assert_within_bound("? \n? b\n");
    assert_within_bound("- !GetAtt a.b\n- !Ref x\n- !Sub ''\n- !If [a, b, c]\n");
    assert_within_bound("<<: {a: 1, b: [c, d]}\n");
    static const char *const pieces[] = {
        "{", "}", "[", "]", ",", ":", ": ", " ", "\n", "- ", "? ", "a", "b", "n", "~", "y",
        "\"\\0\"", "\"\\e\\a\"", "\"", "'", "\t", "!Ref ", "!GetAtt ", "!Sub ", "!!str ",
        "!!null ", "&x ", "<<: ", "|\n", ">\n", "0x1", "1e9", ".inf", "#c\n",
    };
    uint64_t seed = 0x2545f4914f6cdd1dull;
    char text[256];
    for (int round = 0; round < 4000; round++) {
        size_t len = 0;
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t count = 1 + (size_t)(seed >> 33) % 40;
        for (size_t i = 0; i < count; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            const char *p = pieces[(seed >> 35) % (sizeof pieces / sizeof *pieces)];
            size_t n = strlen(p);
            if (len + n >= sizeof text)
                break;
            memcpy(text + len, p, n);
            len += n;
        }
        text[len] = '\0';
        assert_within_bound(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expect_stops_early),
        cmocka_unit_test(test_yaml_json_size_bound),
        cmocka_unit_test(test_key_order),     cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_anchors_merge), cmocka_unit_test(test_nan_refused),
        cmocka_unit_test(test_format_double), cmocka_unit_test(test_yaml_quotes),
        cmocka_unit_test(test_yaml_output),   cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_atomic_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
