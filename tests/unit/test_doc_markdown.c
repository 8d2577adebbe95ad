/* test_doc_markdown.c — the Markdown page renderer (compiler/doc_markdown.c)
 * on trees the golden cases cannot reach through `ssmc doc` (which refuses
 * documents with errors): roots that are not mappings, hostile values that
 * would break the page's structure (pipes, backtick runs, NUL bytes, line
 * breaks in table cells), unknown plugins, malformed preconditions, long
 * values, and determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "doc_markdown.h"

#include <stdlib.h>
#include <string.h>

typedef struct page {
    ssmc_sources sources;
    ssmc_diags diags;
    ssmc_document *doc;
    buf out;
} page;

static void render(page *p, const char *text, size_t len, const char *name)
{
    memset(p, 0, sizeof *p);
    char *data = malloc(len + 1);
    assert_non_null(data);
    memcpy(data, text, len);
    data[len] = '\0';
    uint32_t file = ssmc_sources_add(&p->sources, name, data, len);
    p->doc = ssmc_load(&p->sources, file, NULL, &p->diags);
    buf_init(&p->out);
    doc_markdown_render(&p->sources, p->doc, "title", &p->diags, &p->out);
}

static void render_yaml(page *p, const char *text)
{
    render(p, text, strlen(text), "t.yaml");
}

static void release(page *p)
{
    buf_free(&p->out);
    ssmc_document_free(p->doc);
    ssmc_diags_free(&p->diags);
    ssmc_sources_free(&p->sources);
}

static bool has(const page *p, const char *needle)
{
    return p->out.data && strstr(p->out.data, needle) != NULL;
}

/* Every table row of the page has the same number of unescaped pipes as
 * its header: nothing in a value split a cell. */
static void assert_tables_intact(const page *p)
{
    const char *s = p->out.data;
    int header = -1;
    while (s && *s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n && s[0] == '|') {
            int pipes = 0;
            for (size_t i = 0; i < n; i++)
                if (s[i] == '|' && (i == 0 || s[i - 1] != '\\'))
                    pipes++;
            if (header < 0)
                header = pipes;
            else
                assert_int_equal(pipes, header);
        } else {
            header = -1;
        }
        s = e ? e + 1 : s + n;
    }
}

static void test_not_a_mapping(void **state)
{
    (void)state;
    static const char *const inputs[] = {"", "- a\n- b\n", "just text\n", "null\n", "[1, 2"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        page p;
        render_yaml(&p, inputs[i]);
        assert_string_equal(p.out.data, "# title\n\n");
        release(&p);
    }
}

static void test_hostile_values(void **state)
{
    (void)state;
    static const char doc[] =
        "schemaVersion: '2.2'\n"
        "parameters:\n"
        "  'a|b':\n"
        "    type: String\n"
        "    description: \"one | two\\nthree\\r\\n\\nfour\"\n"
        "    default: \"x``y|z\\0w\"\n"
        "    allowedValues: ['`', '``', '|', \"x``y|z\\0w\"]\n"
        "    allowedPattern: ^(a|b)$\n"
        "mainSteps:\n"
        "  - action: aws:runShellScript\n"
        "    name: \"s|t\\nu\"\n"
        "    inputs:\n"
        "      runCommand: [\"echo '```'\", \"printf '````'\"]\n";
    page p;
    render_yaml(&p, doc);
    assert_tables_intact(&p);
    assert_true(has(&p, "| `a\\|b` | String | optional | ```x``y\\|z\\0w``` | one of `` ` ``, ``` `` ```, `\\|`"));
    assert_true(has(&p, "one \\| two three<br><br>four"));
    assert_true(has(&p, "pattern `^(a\\|b)$`"));
    assert_true(has(&p, "### 1. s\\|t u\n"));
    /* The fence is longer than the longest backtick run of the script. */
    assert_true(has(&p, "`````sh\necho '```'\nprintf '````'\n`````\n"));
    assert_null(memchr(p.out.data, '\0', p.out.len));
    release(&p);
}

static void test_heading_is_one_line(void **state)
{
    (void)state;
    page p;
    render_yaml(&p, "schemaVersion: '2.2'\nmainSteps:\n"
                    "  - action: aws:runShellScript\n    name: \"a\\n# b\"\n"
                    "    inputs: {runCommand: [x]}\n");
    assert_true(has(&p, "### 1. a \\# b\n"));
    release(&p);
}

static void test_platforms(void **state)
{
    (void)state;
    page p;
    render_yaml(&p,
                "schemaVersion: '2.2'\nmainSteps:\n"
                "  - action: aws:runShellScript\n    name: never\n"
                "    precondition: {StringEquals: [platformType, Windows]}\n"
                "    inputs: {runCommand: [x]}\n"
                "  - action: aws:runShellScript\n    name: odd\n"
                "    precondition: {StringLike: [platformType, Linux]}\n"
                "    inputs: {runCommand: [x]}\n"
                "  - action: aws:noSuchPlugin\n    name: unknown\n"
                "  - action: aws:runPowerShellScript\n    name: mac\n"
                "    precondition: {StringEquals: [platformType, macos]}\n"
                "    inputs: {runCommand: [x]}\n");
    assert_true(has(&p, "### 1. never\n\n| Property | Value |\n|---|---|\n"
                        "| Plugin | `aws:runShellScript`"));
    assert_true(has(&p, "| Runs on | none |\n| Precondition | `platformType` equals `Windows` |"));
    assert_true(has(&p, "(not understood by the agent: it fails the step)"));
    assert_true(has(&p, "| Plugin | `aws:noSuchPlugin` (not a Command plugin ssmc knows) |\n"
                        "| Runs on | unknown |"));
    assert_true(has(&p, "| Runs on | macOS |"));
    assert_true(has(&p, "| Platforms | macOS |"));
    release(&p);

    /* Before 2.2 a precondition makes the agent fail the step. */
    render_yaml(&p, "schemaVersion: '2.0'\nmainSteps:\n"
                    "  - action: aws:runShellScript\n    name: s\n"
                    "    precondition: {StringEquals: [platformType, Linux]}\n"
                    "    inputs: {runCommand: [x]}\n");
    assert_true(has(&p, "| Runs on | none |"));
    assert_true(has(&p, "(not supported before schemaVersion 2.2: the agent fails the step)"));
    release(&p);
}

static void test_long_values_are_clipped(void **state)
{
    (void)state;
    buf text;
    buf_init(&text);
    buf_adds(&text, "schemaVersion: '2.2'\nmainSteps:\n  - action: aws:configurePackage\n"
                    "    name: p\n    inputs:\n      name: ");
    for (int i = 0; i < 200; i++)
        buf_adds(&text, "\xc3\xa9"); /* é: clipping must not split it */
    buf_adds(&text, "\n      action: Install\n");
    page p;
    render(&p, text.data, text.len, "t.yaml");
    buf_free(&text);
    assert_true(has(&p, "` …\n"));
    const char *line = strstr(p.out.data, "- `name`: `");
    assert_non_null(line);
    size_t n = strcspn(line, "\n");
    assert_int_equal(utf8_first_invalid(line, n), n);
    release(&p);
}

static void test_deterministic(void **state)
{
    (void)state;
    static const char doc[] =
        "schemaVersion: '2.2'\ndescription: d\nparameters:\n"
        "  p: {type: StringList, default: [a, b], minItems: 1}\n"
        "mainSteps:\n  - action: aws:runShellScript\n    name: s\n"
        "    inputs: {runCommand: '{{ p }}', timeoutSeconds: 60}\n";
    page a, b;
    render_yaml(&a, doc);
    render_yaml(&b, doc);
    assert_int_equal(a.out.len, b.out.len);
    assert_memory_equal(a.out.data, b.out.data, a.out.len);
    assert_true(has(&a, "| `p` | StringList | optional | `[\"a\",\"b\"]` | min items `1` |"));
    assert_true(has(&a, "The commands are the value of the `p` parameter."));
    assert_true(has(&a, "| Timeout | 60 seconds |"));
    release(&a);
    release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_a_mapping),
        cmocka_unit_test(test_hostile_values),
        cmocka_unit_test(test_heading_is_one_line),
        cmocka_unit_test(test_platforms),
        cmocka_unit_test(test_long_values_are_clipped),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
