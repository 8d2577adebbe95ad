/* test_lint_memo.c — a script seen before in the run gets the built-in
 * rules' findings replayed (lint/memo.c): they must be exactly what a
 * fresh run of the rules gives, at the new script's own positions, with
 * its own fixes and notes; a script whose surroundings differ (its
 * parameters here) is linted afresh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"

/* Findings of five rules, a fix of each kind (rule_fix twice, the
 * verbatim one of SSM5101) and a note at a parameter (SSM5008). */
static const char *yaml_doc =
    "schemaVersion: '2.2'\n"
    "description: twin\n"
    "parameters:\n"
    "  Pkg:\n"
    "    type: String\n"
    "  Level:\n"
    "    type: String\n"
    "    default: x\n"
    "mainSteps:\n"
    "  - action: aws:runShellScript\n"
    "    name: install\n"
    "    inputs:\n"
    "      runCommand:\n"
    "        - sudo yum install {{ Pkg }}\n"
    "        - echo ${{ Level }}\n"
    "        - exit 3010\n";

/* The same document as JSON, laid out otherwise: every position differs. */
static const char *json_doc =
    "{\"schemaVersion\": \"2.2\", \"description\": \"twin\",\n"
    " \"parameters\": {\"Pkg\": {\"type\": \"String\"},\n"
    "                \"Level\": {\"type\": \"String\", \"default\": \"x\"}},\n"
    " \"mainSteps\": [{\"action\": \"aws:runShellScript\", \"name\": \"install\",\n"
    "   \"inputs\": {\"runCommand\": [\n"
    "      \"sudo yum install {{ Pkg }}\", \"echo ${{ Level }}\",\n"
    "      \"exit 3010\"]}}]}\n";

/* The same script, but Pkg is constrained: no SSM5008 on it. */
static const char *constrained_doc =
    "{\"schemaVersion\": \"2.2\", \"description\": \"twin\",\n"
    " \"parameters\": {\"Pkg\": {\"type\": \"String\", \"allowedPattern\": \"^[a-z]+$\"},\n"
    "                \"Level\": {\"type\": \"String\", \"default\": \"x\"}},\n"
    " \"mainSteps\": [{\"action\": \"aws:runShellScript\", \"name\": \"install\",\n"
    "   \"inputs\": {\"runCommand\": [\n"
    "      \"sudo yum install {{ Pkg }}\", \"echo ${{ Level }}\",\n"
    "      \"exit 3010\"]}}]}\n";

#define NDOCS 3

typedef struct loaded {
    ssmc_sources sources;
    ssmc_document *docs[NDOCS];
    ssmc_diags load_diags;
} loaded;

static void load_all(loaded *l)
{
    memset(l, 0, sizeof *l);
    const char *texts[NDOCS] = {yaml_doc, json_doc, constrained_doc};
    const char *names[NDOCS] = {"a.yaml", "b.json", "c.json"};
    for (size_t i = 0; i < NDOCS; i++) {
        size_t len = strlen(texts[i]);
        char *data = malloc(len + 1);
        memcpy(data, texts[i], len + 1);
        uint32_t file = ssmc_sources_add(&l->sources, names[i], data, len);
        l->docs[i] = ssmc_load(&l->sources, file, NULL, &l->load_diags);
        assert_non_null(l->docs[i]);
    }
}

static void free_all(loaded *l)
{
    for (size_t i = 0; i < NDOCS; i++)
        ssmc_document_free(l->docs[i]);
    ssmc_diags_free(&l->load_diags);
    ssmc_sources_free(&l->sources);
}

static void check(loaded *l, size_t first, size_t count, ssmc_diags *diags)
{
    ssmc_config config;
    ssmc_config_init(&config);
    config.shellcheck = "off";
    config.pyflakes = "off";
    diags->sources = &l->sources;
    ssmc_check_documents(&l->sources, &l->docs[first], count, &config, diags);
}

static void assert_span_equal(const ssmc_span *a, const ssmc_span *b)
{
    assert_int_equal(a->start.line, b->start.line);
    assert_int_equal(a->start.col, b->start.col);
    assert_int_equal(a->start.offset, b->start.offset);
    assert_int_equal(a->end.line, b->end.line);
    assert_int_equal(a->end.col, b->end.col);
    assert_int_equal(a->end.offset, b->end.offset);
}

static void assert_diag_equal(const ssmc_diag *a, const ssmc_diag *b)
{
    assert_int_equal(a->rule, b->rule);
    assert_int_equal(a->severity, b->severity);
    assert_int_equal(a->file, b->file);
    assert_span_equal(&a->span, &b->span);
    assert_string_equal(a->message, b->message);
    assert_int_equal(a->related_count, b->related_count);
    for (size_t i = 0; i < a->related_count; i++) {
        assert_int_equal(a->related[i].file, b->related[i].file);
        assert_span_equal(&a->related[i].span, &b->related[i].span);
        assert_string_equal(a->related[i].message, b->related[i].message);
    }
    assert_int_equal(a->fix_count, b->fix_count);
    for (size_t i = 0; i < a->fix_count; i++) {
        assert_int_equal(a->fixes[i].file, b->fixes[i].file);
        assert_span_equal(&a->fixes[i].span, &b->fixes[i].span);
        assert_string_equal(a->fixes[i].text, b->fixes[i].text);
    }
}

static size_t count_rule(const ssmc_diags *d, ssmc_rule rule, uint32_t file)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += d->items[i].rule == rule && d->items[i].file == file;
    return n;
}

static void test_replay_equals_fresh(void **state)
{
    (void)state;
    loaded l;
    load_all(&l);
    /* Each document in a run of its own: nothing to replay. */
    ssmc_diags fresh = {0};
    size_t before = lint_memo_replays;
    for (size_t i = 0; i < NDOCS; i++)
        check(&l, i, 1, &fresh);
    assert_int_equal(lint_memo_replays, before);
    /* All in one run: b.json's script is a.yaml's; c.json's is not. */
    ssmc_diags together = {0};
    check(&l, 0, NDOCS, &together);
    assert_int_equal(lint_memo_replays, before + 1);

    assert_int_equal(together.count, fresh.count);
    for (size_t i = 0; i < fresh.count; i++)
        assert_diag_equal(&together.items[i], &fresh.items[i]);

    /* The cases the comparison must cover are there. */
    size_t fixes = 0, related = 0;
    for (size_t i = 0; i < fresh.count; i++)
        if (fresh.items[i].file == 1) {
            fixes += fresh.items[i].fix_count;
            related += fresh.items[i].related_count;
        }
    assert_int_equal(fixes, 3);
    assert_true(related >= 1);
    assert_int_equal(count_rule(&fresh, SSMC_RULE_SSM5004, 1), 1);
    assert_int_equal(count_rule(&fresh, SSMC_RULE_SSM5001, 1), 1);
    assert_int_equal(count_rule(&fresh, SSMC_RULE_SSM5101, 1), 1);
    assert_int_equal(count_rule(&fresh, SSMC_RULE_SSM5006, 1), 1);
    assert_true(count_rule(&fresh, SSMC_RULE_SSM5008, 1) >= 1);
    /* The parameters differ, so c.json's findings differ from b.json's. */
    assert_int_equal(count_rule(&fresh, SSMC_RULE_SSM5008, 2),
                     count_rule(&fresh, SSMC_RULE_SSM5008, 1) - 1);

    ssmc_diags_free(&fresh);
    ssmc_diags_free(&together);
    free_all(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_equals_fresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
