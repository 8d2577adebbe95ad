/* test_lint_shellcheck.c — the ShellCheck runner's failure paths: a
 * missing explicit program, and a program that never ends (killed at the
 * timeout, reported, never hangs the run). */
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

#include "lint.h"

static const char *doc =
    "schemaVersion: '2.2'\n"
    "mainSteps:\n"
    "  - action: aws:runShellScript\n"
    "    name: s\n"
    "    inputs:\n"
    "      runCommand: [set -e, echo hi]\n";

static void run(const char *shellcheck, ssmc_diags *diags)
{
    ssmc_sources sources = {0};
    size_t len = strlen(doc);
    char *data = malloc(len + 1);
    memcpy(data, doc, len + 1);
    uint32_t file = ssmc_sources_add(&sources, "a.yaml", data, len);
    ssmc_document *d = ssmc_load(&sources, file, NULL, diags);
    ssmc_config config;
    ssmc_config_init(&config);
    config.shellcheck = shellcheck;
    ssmc_check_documents(&sources, &d, 1, &config, diags);
    ssmc_document_free(d);
    ssmc_sources_free(&sources);
}

static size_t count_rule(const ssmc_diags *diags, ssmc_rule rule)
{
    size_t n = 0;
    for (size_t i = 0; i < diags->count; i++)
        n += diags->items[i].rule == rule;
    return n;
}

static void test_missing_program(void **state)
{
    (void)state;
    ssmc_diags diags = {0};
    run("/nonexistent/shellcheck", &diags);
    assert_int_equal(count_rule(&diags, SSMC_RULE_SSM5022), 1);
    ssmc_diags_free(&diags);
}

static void test_hanging_program_is_killed(void **state)
{
    (void)state;
    char dir[] = "/tmp/ssmc-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/shellcheck", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\nexec sleep 30\n", f);
    fclose(f);
    chmod(path, 0755);
    shellcheck_timeout_ms = 300;
    size_t before = shellcheck_processes;
    ssmc_diags diags = {0};
    run(path, &diags);
    assert_int_equal(shellcheck_processes, before + 1);
    assert_int_equal(count_rule(&diags, SSMC_RULE_SSM5023), 1);
    ssmc_diags_free(&diags);
    unlink(path);
    rmdir(dir);
}

static void test_off(void **state)
{
    (void)state;
    size_t before = shellcheck_processes;
    ssmc_diags diags = {0};
    run("off", &diags);
    assert_int_equal(shellcheck_processes, before);
    assert_int_equal(count_rule(&diags, SSMC_RULE_SSM5021) + count_rule(&diags, SSMC_RULE_SSM5022), 0);
    ssmc_diags_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_program),
        cmocka_unit_test(test_hanging_program_is_killed),
        cmocka_unit_test(test_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
