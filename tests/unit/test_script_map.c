/* test_script_map.c — the position map of assembled scripts: every scalar
 * style, escapes, folding, chomping, indentation indicators, and the
 * joining of runCommand items. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"

typedef struct fixture {
    ssmc_sources sources;
    ssmc_diags diags;
    ssmc_document *doc;
    lint_script *scripts;
    size_t count, cap;
} fixture;

static void load(fixture *f, const char *name, const char *text)
{
    memset(f, 0, sizeof *f);
    size_t len = strlen(text);
    char *data = malloc(len + 1);
    memcpy(data, text, len + 1);
    uint32_t file = ssmc_sources_add(&f->sources, name, data, len);
    f->doc = ssmc_load(&f->sources, file, NULL, &f->diags);
    assert_non_null(f->doc->root);
    script_map_fallbacks = 0;
    script_collect(&f->sources, f->doc, &f->scripts, &f->count, &f->cap);
}

static void unload(fixture *f)
{
    for (size_t i = 0; i < f->count; i++)
        script_free(&f->scripts[i]);
    free(f->scripts);
    ssmc_document_free(f->doc);
    ssmc_diags_free(&f->diags);
    ssmc_sources_free(&f->sources);
}

/* Every byte copied verbatim maps onto the same byte of the source. */
static void assert_map_consistent(const fixture *f, const lint_script *sc)
{
    const ssmc_source *src = f->sources.items[sc->file];
    assert_int_equal(sc->map.count, sc->text.len);
    for (size_t i = 0; i < sc->text.len; i++) {
        size_t start, end;
        script_runs_at(&sc->map, i, &start, &end);
        assert_true(start <= end);
        assert_true(end <= src->len);
        if (end - start == 1 && sc->text.data[i] != '\n' && sc->text.data[i] != ' ')
            assert_int_equal(src->data[start], sc->text.data[i]);
    }
}

/* The position of the first occurrence of needle in script n. */
static void assert_at(const fixture *f, size_t n, const char *needle, uint32_t line, uint32_t col)
{
    assert_true(n < f->count);
    const lint_script *sc = &f->scripts[n];
    const char *hit = strstr(sc->text.data, needle);
    if (!hit)
        fail_msg("'%s' not in script %zu: '%s'", needle, n, sc->text.data);
    size_t a = (size_t)(hit - sc->text.data);
    ssmc_span sp = script_span(sc, a, a + strlen(needle));
    if (sp.start.line != line || sp.start.col != col)
        fail_msg("'%s' at %u:%u, expected %u:%u", needle, sp.start.line, sp.start.col, line, col);
}

static void test_plain_and_quoted(void **state)
{
    (void)state;
    fixture f;
    load(&f, "a.yaml",
         "schemaVersion: '2.2'\n"
         "mainSteps:\n"
         "  - action: aws:runShellScript\n"
         "    name: s\n"
         "    inputs:\n"
         "      runCommand:\n"
         "        - echo plain\n"                           /* 7 */
         "        - 'it''s single'\n"                       /* 8 */
         "        - \"tab\\there \\u00e9 \\\"q\\\" end\"\n" /* 9 */
         "        - plain folded\n"                         /* 10 */
         "          continued  here\n"                      /* 11 */
         "\n"
         "          para\n"                                 /* 13 */
         "        - \"dq folded\n"                          /* 14 */
         "          next \\\n"                              /* 15 */
         "          joined\"\n"                             /* 16 */
         "        - &anc !!str tagged value\n");            /* 17 */
    assert_int_equal(f.count, 1);
    assert_int_equal(script_map_fallbacks, 0);
    const lint_script *sc = &f.scripts[0];
    assert_string_equal(sc->text.data, "echo plain\nit's single\ntab\there \xc3\xa9 \"q\" end\n"
                                       "plain folded continued  here\npara\n"
                                       "dq folded next joined\ntagged value");
    assert_map_consistent(&f, sc);
    assert_at(&f, 0, "plain", 7, 16);
    assert_at(&f, 0, "single", 8, 18);
    assert_at(&f, 0, "here", 9, 17);
    assert_at(&f, 0, "\"q\"", 9, 29);
    assert_at(&f, 0, "end", 9, 35);
    assert_at(&f, 0, "continued", 11, 11);
    assert_at(&f, 0, "para", 13, 11);
    assert_at(&f, 0, "next", 15, 11);
    assert_at(&f, 0, "joined", 16, 11);
    assert_at(&f, 0, "tagged", 17, 22);
    unload(&f);
}

static void test_block_scalars(void **state)
{
    (void)state;
    fixture f;
    load(&f, "b.yaml",
         "schemaVersion: '2.2'\n"
         "mainSteps:\n"
         "  - action: aws:runShellScript\n"
         "    name: s\n"
         "    inputs:\n"
         "      runCommand:\n"
         "        - |\n"
         "          #!/bin/bash\n"           /* 8 */
         "          if true; then\n"         /* 9 */
         "            yum install x\n"       /* 10 */
         "          fi\n"                    /* 11 */
         "\n"
         "        - >-\n"
         "          folded one\n"            /* 14 */
         "          two\n"                   /* 15 */
         "\n"
         "            more indented\n"       /* 17 */
         "          three\n"                 /* 18 */
         "        - |2+\n"
         "            indicator kept\n"      /* 20 */
         "\n"
         "        - |-  # comment\n"
         "          strip\n"                 /* 23 */
         "  - action: aws:runPowerShellScript\n"
         "    name: p\n"
         "    inputs:\n"
         "      runCommand: [\"Write-Host 1\", 'Restart-Computer']\n");
    assert_int_equal(f.count, 2);
    assert_int_equal(script_map_fallbacks, 0);
    const lint_script *sc = &f.scripts[0];
    assert_string_equal(sc->text.data,
                        "#!/bin/bash\nif true; then\n  yum install x\nfi\n\n"
                        "folded one two\n\n  more indented\nthree\n"
                        "  indicator kept\n\n\nstrip");
    assert_map_consistent(&f, sc);
    assert_at(&f, 0, "yum", 10, 13);
    assert_at(&f, 0, "fi", 11, 11);
    assert_at(&f, 0, "two", 15, 11);
    assert_at(&f, 0, "more", 17, 13);
    assert_at(&f, 0, "three", 18, 11);
    assert_at(&f, 0, "indicator", 20, 13);
    assert_at(&f, 0, "strip", 23, 11);
    assert_int_equal(f.scripts[1].lang, SCRIPT_POWERSHELL);
    assert_at(&f, 1, "Restart", 27, 37);
    unload(&f);
}

static void test_whole_value_list(void **state)
{
    (void)state;
    fixture f;
    load(&f, "c.yaml",
         "schemaVersion: '2.2'\n"
         "parameters:\n"
         "  commands:\n"
         "    type: StringList\n"
         "    default:\n"
         "      - echo one\n"          /* 6 */
         "      - echo {{ x }}\n"      /* 7 */
         "  empty:\n"
         "    type: StringList\n"
         "mainSteps:\n"
         "  - action: aws:runShellScript\n"
         "    name: s\n"
         "    inputs:\n"
         "      runCommand: '{{ commands }}'\n"
         "  - action: aws:runShellScript\n"
         "    name: t\n"
         "    inputs:\n"
         "      runCommand: '{{ empty }}'\n");
    assert_int_equal(f.count, 1);
    assert_string_equal(f.scripts[0].text.data, "echo one\necho {{ x }}");
    assert_at(&f, 0, "{{ x }}", 7, 14);
    assert_int_equal(f.scripts[0].ref_count, 1);
    unload(&f);
}

static void test_schema_12(void **state)
{
    (void)state;
    fixture f;
    load(&f, "d.yaml",
         "schemaVersion: '1.2'\n"
         "runtimeConfig:\n"
         "  aws:runShellScript:\n"
         "    properties:\n"
         "      - id: '0.aws:runShellScript'\n"
         "        runCommand: [\"a\", \"b \\\\ c\"]\n");
    assert_int_equal(f.count, 1);
    assert_string_equal(f.scripts[0].text.data, "a\nb \\ c");
    assert_at(&f, 0, "c", 6, 33);
    assert_string_equal(f.scripts[0].step, "0.aws:runShellScript");
    unload(&f);
}

static void test_join_newline_after_empty_item(void **state)
{
    (void)state;
    fixture f;
    load(&f, "e.yaml",
         "mainSteps:\n"
         "  - action: aws:runShellScript\n"
         "    inputs:\n"
         "      runCommand: ['', '#!/bin/bash']\n");
    assert_int_equal(f.count, 1);
    assert_string_equal(f.scripts[0].text.data, "\n#!/bin/bash");
    assert_at(&f, 0, "#!", 4, 25);
    unload(&f);
}

/* Runs give back every entry they were made of: verbatim copies, repeated
 * entries (an escape's bytes, a joining newline) and single ones. */
static void test_runs_round_trip(void **state)
{
    (void)state;
    uint32_t start[] = {0, 5, 6, 7, 10, 10, 12, 20, 21};
    uint32_t end[] = {0, 6, 7, 8, 12, 12, 13, 21, 22};
    script_map map = {start, end, 9, 9};
    script_runs runs = {0};
    script_runs_add(&runs, &map);
    assert_int_equal(runs.count, 9);
    assert_int_equal(runs.run_count, 5);
    for (size_t i = 0; i < 9; i++) {
        size_t s, e;
        script_runs_at(&runs, i, &s, &e);
        assert_int_equal(s, start[i]);
        assert_int_equal(e, end[i]);
    }
    free(runs.runs);
}

/* A kept map costs a run per source line of a block scalar, not an entry
 * per byte: each line is a verbatim copy up to its newline, and the next
 * starts past the indentation. */
static void test_runs_per_line(void **state)
{
    (void)state;
    char text[8192] = "schemaVersion: '2.2'\n"
                      "mainSteps:\n"
                      "  - action: aws:runShellScript\n"
                      "    name: s\n"
                      "    inputs:\n"
                      "      runCommand:\n"
                      "        - |\n";
    for (int i = 0; i < 50; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "          echo line %d\n", i);
    fixture f;
    load(&f, "r.yaml", text);
    assert_int_equal(f.count, 1);
    const lint_script *sc = &f.scripts[0];
    assert_map_consistent(&f, sc);
    /* 50 lines, and the final line break (mapped to the scalar's end) */
    assert_int_equal(sc->map.run_count, 51);
    assert_at(&f, 0, "line 0", 8, 16);
    assert_at(&f, 0, "line 49", 57, 16);
    unload(&f);
}

/* A JSON string node as the JSON reader makes it (style JSON, span over
 * the quotes): escapes and surrogate pairs map to their backslash. */
static void test_json_string(void **state)
{
    (void)state;
    const char *text = "[\"a\\tb\\n\\u00e9\\ud83d\\ude00 $x\"]";
    ssmc_sources sources = {0};
    size_t len = strlen(text);
    char *data = malloc(len + 1);
    memcpy(data, text, len + 1);
    uint32_t file = ssmc_sources_add(&sources, "j.json", data, len);
    const ssmc_source *src = ssmc_sources_get(&sources, file);
    ssmc_node node;
    memset(&node, 0, sizeof node);
    node.type = SSMC_NODE_STRING;
    node.style = SSMC_STYLE_JSON;
    node.span = loc_between(1, len - 1);
    node.str = "a\tb\n\xc3\xa9\xf0\x9f\x98\x80 $x";
    node.len = strlen(node.str);
    buf out;
    buf_init(&out);
    script_map map = {0};
    assert_true(script_map_scalar(src, &node, &out, &map));
    assert_int_equal(map.count, node.len);
    assert_int_equal(map.start[1], 3);  /* \t */
    assert_int_equal(map.start[4], 8);  /* first byte of \u00e9 */
    assert_int_equal(map.start[6], 14); /* the surrogate pair */
    assert_int_equal(map.end[6], 26);
    assert_int_equal(map.start[11], 27); /* $ */
    buf_free(&out);
    free(map.start);
    free(map.end);
    ssmc_sources_free(&sources);
}

/* One document from text, as source `name`; it must load. */
static ssmc_document *load_text(ssmc_sources *sources, ssmc_diags *diags, const char *name,
                                const char *text)
{
    size_t len = strlen(text);
    char *data = malloc(len + 1);
    assert_non_null(data);
    memcpy(data, text, len + 1);
    uint32_t file = ssmc_sources_add(sources, name, data, len);
    ssmc_document *doc = ssmc_load(sources, file, NULL, diags);
    assert_non_null(doc->root);
    return doc;
}

/* A step "a" whose runCommand items are of every kind the map must place:
 * empty, null, mapping and nested items and each scalar style. */
#define STEP_A_WITH_EVERY_ITEM_KIND                                                        \
    "  - action: aws:runShellScript\n"                                                      \
    "    name: a\n"                                                                         \
    "    inputs:\n"                                                                         \
    "      runCommand:\n"                                                                   \
    EVERY_ITEM_KIND
#define EVERY_ITEM_KIND                                                                    \
    "        - ''\n"                                                                        \
    "        -\n"                                                                           \
    "        - ~\n"                                                                         \
    "        - echo key: value\n"                                                           \
    "        - [nested]\n"                                                                  \
    "        - plain  words\n"                                                              \
    "        - 'it''s'\n"                                                                   \
    "        - \"tab\\there \\u00e9\"\n"                                                     \
    "        - |\n"                                                                         \
    "          block\n"                                                                     \
    "          two\n"                                                                       \
    "        - >-\n"                                                                        \
    "          folded\n"                                                                    \
    "          text\n"

/* A finding's span is computed from the items it needs before the whole
 * map is built (script_span on a fresh script): for every range of every
 * script it must equal the span the built map gives. Empty, null, mapping
 * and nested items and every scalar style, in YAML and JSON. */
typedef struct span_check {
    size_t scripts;
} span_check;

static bool same_span(ssmc_span x, ssmc_span y)
{
    return x.start.offset == y.start.offset && x.end.offset == y.end.offset &&
           x.start.line == y.start.line && x.start.col == y.start.col &&
           x.end.line == y.end.line && x.end.col == y.end.col;
}

/* Source ranges found (verbatim) before the map was built. */
static size_t unbuilt_ranges;

static void check_unbuilt_spans(lint_script *sc, void *user)
{
    span_check *c = user;
    size_t n = sc->text.len + 2;
    ssmc_span *before = malloc(n * n * sizeof *before);
    assert_non_null(before);
    assert_true(sc->map.count == 0);
    /* Each span as the first findings of a fresh script get it (the
     * counter is what bounds the spans made without the map). */
    /* And each source range (a fix) the same way. */
    typedef struct range {
        bool ok;
        size_t sa, sb;
    } range;
    range *ranges = calloc(n * n, sizeof *ranges);
    assert_non_null(ranges);
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            sc->unbuilt_spans = 0;
            before[a * n + b] = script_span(sc, a, b);
        }
    /* script_span did not build the map, until the findings are many */
    assert_true(sc->map.count == 0 && (sc->map_one || sc->map_item_count));
    /* A range within one item of several does not build it either; one
     * that needs more does, and the ranges after it come from the map. */
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            sc->unbuilt_spans = 0;
            range *r = &ranges[a * n + b];
            r->ok = script_source_range(sc, a, b, &r->sa, &r->sb);
            unbuilt_ranges += sc->map.count == 0 && r->ok;
        }
    for (unsigned k = 0; k <= SCRIPT_UNBUILT_SPANS; k++)
        (void)script_span(sc, 0, 1);
    assert_true(sc->map_one == NULL && sc->map_item_count == 0);
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            if (!same_span(before[a * n + b], script_span(sc, a, b)))
                fail_msg("script %zu, [%zu, %zu): unbuilt %u-%u, built %u-%u", c->scripts, a, b,
                         before[a * n + b].start.offset, before[a * n + b].end.offset,
                         script_span(sc, a, b).start.offset, script_span(sc, a, b).end.offset);
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            const range *r = &ranges[a * n + b];
            size_t sa = 0, sb = 0;
            bool ok = script_source_range(sc, a, b, &sa, &sb);
            if (ok != r->ok || (ok && (sa != r->sa || sb != r->sb)))
                fail_msg("script %zu, [%zu, %zu): source range unbuilt %d %zu-%zu, built %d %zu-%zu",
                         c->scripts, a, b, r->ok, r->sa, r->sb, ok, sa, sb);
        }
    free(ranges);
    free(before);
    c->scripts++;
    script_free(sc);
}

static size_t unbuilt_spans_of(const char *name, const char *text)
{
    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    ssmc_document *doc = load_text(&sources, &diags, name, text);
    span_check c = {0};
    script_collect_each(&sources, doc, check_unbuilt_spans, &c);
    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return c.scripts;
}

static void test_spans_before_the_map(void **state)
{
    (void)state;
    unbuilt_ranges = 0;
    assert_int_equal(unbuilt_spans_of("u.yaml",
                                      "schemaVersion: '2.2'\n"
                                      "mainSteps:\n"
                                      STEP_A_WITH_EVERY_ITEM_KIND
                                      "        -\n"
                                      "  - action: aws:runShellScript\n"
                                      "    name: b\n"
                                      "    inputs:\n"
                                      "      runCommand: ['', '', x]\n"
                                      "  - action: aws:runPowerShellScript\n"
                                      "    name: c\n"
                                      "    inputs:\n"
                                      "      runCommand: ['Write-Host 1', '']\n"),
                     3);
    assert_int_equal(unbuilt_spans_of("u.json",
                                      "{\"schemaVersion\": \"2.2\", \"mainSteps\": [{\"action\": "
                                      "\"aws:runShellScript\", \"name\": \"a\", \"inputs\": "
                                      "{\"runCommand\": [\"\", \"a\\tb\", null, \"\\u00e9 x\", \"\"]}}]}"),
                     1);
    assert_true(unbuilt_ranges > 0);
}

/* A script kept past its tree (ShellCheck, pyflakes) has its items
 * detached and its map built later, from the source alone: every span
 * must be the one the map built while the tree was there gives. The tree
 * is freed first, so a pointer left into it is a use after free under the
 * sanitizers. */
static void check_detached(const char *name, const char *text, size_t expect_scripts)
{
    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    ssmc_document *doc = load_text(&sources, &diags, name, text);
    lint_script *eager = NULL;
    size_t neager = 0, cap = 0;
    script_collect(&sources, doc, &eager, &neager, &cap);
    lint_script *kept = NULL;
    size_t nkept = 0;
    cap = 0;
    script_collect_detached(&sources, doc, &kept, &nkept, &cap);
    ssmc_document_free(doc);
    assert_int_equal(nkept, expect_scripts);
    assert_int_equal(neager, nkept);
    for (size_t i = 0; i < nkept; i++) {
        lint_script *sc = &kept[i];
        assert_true(sc->map.count == 0);
        size_t n = sc->text.len + 2;
        for (size_t a = 0; a < n; a++)
            for (size_t b = 0; b < n; b++)
                if (!same_span(script_span(&eager[i], a, b), script_span(sc, a, b)))
                    fail_msg("%s script %zu, [%zu, %zu): detached %u-%u, eager %u-%u", name, i, a,
                             b, script_span(sc, a, b).start.offset,
                             script_span(sc, a, b).end.offset,
                             script_span(&eager[i], a, b).start.offset,
                             script_span(&eager[i], a, b).end.offset);
        assert_int_equal(sc->map.count, sc->text.len);
        script_free(sc);
        script_free(&eager[i]);
    }
    free(kept);
    free(eager);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
}

static void test_detached_items(void **state)
{
    (void)state;
    check_detached("d.yaml",
                   "schemaVersion: '2.2'\n"
                   "parameters:\n"
                   "  commands:\n"
                   "    type: StringList\n"
                   "    default: [echo one, 'echo \"two\"']\n"
                   "mainSteps:\n"
                   STEP_A_WITH_EVERY_ITEM_KIND
                   "        - 42\n"
                   "  - action: aws:runShellScript\n"
                   "    name: b\n"
                   "    inputs:\n"
                   "      runCommand:\n"
                   "        - |\n"
                   "          #!/bin/bash\n"
                   "          echo \"$1\"\n"
                   "  - action: aws:runShellScript\n"
                   "    name: c\n"
                   "    inputs:\n"
                   "      runCommand: \"{{ commands }}\"\n"
                   "  - action: aws:runShellScript\n"
                   "    name: d\n"
                   "    inputs:\n"
                   "      runCommand: echo bare string\n",
                   4);
    check_detached("d.json",
                   "{\"schemaVersion\": \"2.2\", \"mainSteps\": [{\"action\": "
                   "\"aws:runShellScript\", \"name\": \"a\", \"inputs\": "
                   "{\"runCommand\": [\"\", \"a\\tb\", null, \"\\u00e9 x\", \"\"]}}]}",
                   1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quoted),
        cmocka_unit_test(test_block_scalars),
        cmocka_unit_test(test_whole_value_list),
        cmocka_unit_test(test_schema_12),
        cmocka_unit_test(test_join_newline_after_empty_item),
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_runs_per_line),
        cmocka_unit_test(test_runs_round_trip),
        cmocka_unit_test(test_spans_before_the_map),
        cmocka_unit_test(test_detached_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
