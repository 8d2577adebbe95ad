/* test_run.c — the local runner's status model (agent test vectors for
 * TruncateOutput, StringPrefix boundaries, aggregation, summary) and its
 * process execution with real processes: exact truncation limits, bounded
 * memory under 200 MB of output, timeouts that kill grandchildren. */
#include "run.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

static run_capture cap_of(const char *s)
{
    run_capture c = {0};
    run_capture_add(&c, s, strlen(s));
    return c;
}

static void check_truncate(const char *out, const char *err, size_t capacity, const char *want)
{
    run_capture o = cap_of(out), e = cap_of(err);
    char *got = run_truncate_output(&o, &e, capacity);
    assert_string_equal(got, want);
    free(got);
    run_capture_free(&o);
    run_capture_free(&e);
}

/* The agent's own vectors (iohandler_test.go TestTruncateOutput, capacity
 * 100 over its sample text). */
static void test_truncate_agent_vectors(void **state)
{
    (void)state;
    const char *longm =
        "This is a sample text. This is a sample text. This is a sample text. This is a sample "
        "text. This is a sample text.\nThis is a sample text.";
    check_truncate("", "", 100, "");
    check_truncate("sample output", "", 100, "sample output");
    check_truncate("", "sample error", 100, "\n----------ERROR-------\nsample error");
    check_truncate("sample output", "sample error", 100,
                   "sample output\n----------ERROR-------\nsample error");
    check_truncate(longm, "", 100,
                   "This is a sample text. This is a sample text. This is a sample text. This "
                   "is \n---Output truncated---");
    check_truncate("", longm, 100,
                   "\n----------ERROR-------\nThis is a sample text. This is a sample text. This "
                   "is\n---Error truncated----");
    check_truncate(longm, longm, 100,
                   "This is a sampl\n---Output truncated---\n----------ERROR-------\nThis is a "
                   "sampl\n---Error truncated----");
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* Output: 2499 bytes fit, 2500 do not (the agent's strict `<`). */
static void test_output_limit(void **state)
{
    (void)state;
    for (size_t n = 2499; n <= 2501; n++) {
        char *s = repeat('a', n);
        run_capture o = cap_of(s), e = {0};
        run_capture_add(&e, "", 0);
        char *got = run_truncate_output(&o, &e, RUN_OUTPUT_LIMIT);
        if (n < 2500) {
            assert_string_equal(got, s);
        } else {
            assert_int_equal(strlen(got), 2500);
            assert_true(strcmp(got + 2500 - 23, "\n---Output truncated---") == 0);
        }
        free(got);
        free(s);
        run_capture_free(&o);
        run_capture_free(&e);
    }
}

static void test_string_prefix(void **state)
{
    (void)state;
    for (size_t n = 23999; n <= 24001; n++) {
        char *s = repeat('x', n);
        char *p = run_string_prefix(s, n, RUN_STDOUT_LIMIT, "--output truncated--");
        if (n < 24000)
            assert_string_equal(p, s);
        else {
            assert_int_equal(strlen(p), 24000);
            assert_string_equal(p + 23980, "--output truncated--");
        }
        free(p);
        free(s);
    }
    char *tiny = run_string_prefix("abcdef", 6, 3, "--output truncated--");
    assert_string_equal(tiny, "--o");
    free(tiny);
}

static void test_document_status(void **state)
{
    (void)state;
    run_result r[4];
    memset(r, 0, sizeof r);
    r[0].status = RUN_SUCCESS;
    r[1].status = RUN_SKIPPED;
    assert_int_equal(run_document_status(r, 2), RUN_SUCCESS);
    r[2].status = RUN_CANCELLED;
    assert_int_equal(run_document_status(r, 3), RUN_CANCELLED);
    r[3].status = RUN_TIMED_OUT;
    assert_int_equal(run_document_status(r, 4), RUN_TIMED_OUT);
    r[1].status = RUN_FAILED;
    assert_int_equal(run_document_status(r, 4), RUN_FAILED);
    r[0].status = RUN_SUCCESS_AND_REBOOT;
    assert_int_equal(run_document_status(r, 4), RUN_SUCCESS_AND_REBOOT);
}

static void test_summary(void **state)
{
    (void)state;
    run_step s[4];
    run_result r[4];
    memset(s, 0, sizeof s);
    memset(r, 0, sizeof r);
    const char *names[] = {"a", "b", "c", "d"};
    for (int i = 0; i < 4; i++)
        s[i].name = (char *)names[i];
    r[0].status = RUN_SUCCESS;
    char *one = run_execution_summary(s, r, 1);
    assert_string_equal(one, "1 out of 1 plugin processed, 1 success, 0 failed, 0 timedout, 0 "
                             "skipped. ");
    free(one);
    r[1].status = RUN_FAILED;
    r[1].standard_error = "boom";
    r[2].status = RUN_CANCELLED;   /* processed, in no bucket */
    r[3].status = RUN_NONE;        /* not processed */
    char *mix = run_execution_summary(s, r, 4);
    assert_string_equal(mix, "3 out of 4 plugins processed, 1 success, 1 failed, 0 timedout, 0 "
                             "skipped. \nThe operation b failed because boom.");
    free(mix);
    /* the 510 cap: first 490 bytes and the suffix */
    char *big = repeat('e', 600);
    r[1].standard_error = big;
    char *capped = run_execution_summary(s, r, 4);
    assert_int_equal(strlen(capped), 510);
    assert_string_equal(capped + 490, "--output truncated--");
    free(capped);
    free(big);
}

static void test_status_from_exit(void **state)
{
    (void)state;
    assert_int_equal(run_status_from_exit(0, false, 0), RUN_SUCCESS);
    assert_int_equal(run_status_from_exit(194, false, 0), RUN_SUCCESS_AND_REBOOT);
    assert_int_equal(run_status_from_exit(3010, false, 0), RUN_FAILED);
    assert_int_equal(run_status_from_exit(3010, true, 0), RUN_SUCCESS_AND_REBOOT);
    assert_int_equal(run_status_from_exit(137, false, 0), RUN_FAILED);
    assert_int_equal(run_status_from_exit(137, false, 'T'), RUN_TIMED_OUT);
    assert_int_equal(run_status_from_exit(137, false, 'C'), RUN_CANCELLED);
    assert_int_equal(run_status_from_exit(168, false, 0), RUN_FAILED);   /* 168 is post-processed */
}

/* --- real processes ------------------------------------------------------- */

static void fill_step(run_step *s, const char *name, const char *script, double timeout)
{
    memset(s, 0, sizeof *s);
    s->name = xstrdup(name);
    s->action = xstrdup("aws:runShellScript");
    s->kind = RUN_KIND_SHELL;
    s->execute = true;
    s->script = xstrdup(script);
    s->timeout = timeout;
}

static run_report run_steps_now(run_step *steps, size_t n)
{
    run_options o;
    memset(&o, 0, sizeof o);
    o.timeout_scale = 1;
    run_report rep;
    assert_true(run_document(steps, n, &o, &rep));
    return rep;
}

/* stdout of 23999/24000/24001 bytes, stderr of 7999/8000/8001 bytes. */
static void test_exact_limits_real_process(void **state)
{
    (void)state;
    const size_t outs[] = {23999, 24000, 24001}, errs[] = {7999, 8000, 8001};
    run_step steps[3];
    for (int i = 0; i < 3; i++) {
        char *script = xasprintf("head -c %zu /dev/zero | tr '\\0' o\n"
                                 "head -c %zu /dev/zero | tr '\\0' e >&2\n",
                                 outs[i], errs[i]);
        const char *names[] = {"s0", "s1", "s2"};
        fill_step(&steps[i], names[i], script, 60);
        free(script);
    }
    run_report rep = run_steps_now(steps, 3);
    for (int i = 0; i < 3; i++) {
        const run_result *r = &rep.results[i];
        assert_int_equal(r->status, RUN_SUCCESS);
        size_t lo = strlen(r->standard_output), le = strlen(r->standard_error);
        if (outs[i] < RUN_STDOUT_LIMIT) {
            assert_int_equal(lo, outs[i]);
        } else {
            assert_int_equal(lo, RUN_STDOUT_LIMIT);
            assert_string_equal(r->standard_output + lo - 20, "--output truncated--");
        }
        if (errs[i] < RUN_STDERR_LIMIT) {
            assert_int_equal(le, errs[i]);
        } else {
            assert_int_equal(le, RUN_STDERR_LIMIT);
            assert_string_equal(r->standard_error + le - 20, "--output truncated--");
        }
        /* both halves exceed half of Output: 1227 + marker each */
        assert_int_equal(strlen(r->output), 2500);
        assert_non_null(strstr(r->output, "\n---Output truncated---\n----------ERROR-------\n"));
    }
    run_report_free(&rep);
    for (int i = 0; i < 3; i++)
        run_step_free(&steps[i]);
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* 200 MB through the pipe: the capture keeps a bounded head, counts the
 * rest, and the peak RSS of this process does not grow with it. */
static void test_large_output_bounded(void **state)
{
    (void)state;
    long before = peak_rss_kb();
    const char *argv[] = {"sh", "-c", "yes | head -c 200000000", NULL};
    run_exec_request req = {.argv0 = "sh", .argv = argv, .timeout = 600, .wake_fd = -1};
    run_exec_result res;
    run_exec(&req, &res);
    long after = peak_rss_kb();
    assert_true(res.started);
    assert_int_equal(res.exit_code, 0);
    assert_int_equal(res.killed_by, 0);
    assert_true(res.out.total == 200000000u);
    assert_int_equal(res.out.kept, RUN_CAPTURE_KEEP);
    assert_memory_equal(res.out.data, "y\ny\ny\n", 6);
    printf("peak RSS before %ld KiB, after %ld KiB\n", before, after);
    /* generous: 200 MB kept in memory would add ~195000 KiB */
    assert_true(after - before < 20000);
    run_exec_result_free(&res);
}

/* A timeout kills the main process and a grandchild that holds stdout.
 * The timeout leaves the shell ample time to start even on a loaded CI
 * machine, so the test asserts behaviour, not speed. */
static void test_timeout_kills_grandchild(void **state)
{
    (void)state;
    char *dir = xstrdup("/tmp/ssmc-test-run-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char *pidfile = xasprintf("%s/pid", dir);
    char *script = xasprintf("sleep 100 & echo $! > %s; echo started; wait", pidfile);
    const char *argv[] = {"sh", "-c", script, NULL};
    run_exec_request req = {.argv0 = "sh", .argv = argv, .timeout = 3, .wake_fd = -1};
    run_exec_result res;
    run_exec(&req, &res);
    assert_int_equal(res.killed_by, 'T');
    assert_int_equal(res.exit_code, 137);
    assert_string_equal(res.out.data, "started\n");
    FILE *f = fopen(pidfile, "r");
    assert_non_null(f);
    int pid = 0;
    assert_int_equal(fscanf(f, "%d", &pid), 1);
    fclose(f);
    /* The grandchild is gone (a zombie at most, reaped by init). SIGKILL
     * reaches it asynchronously, so wait for its state to show it (up to
     * 10 s, which only a hung kill would use up): this asserts that it
     * dies, not how fast. */
    char *proc = xasprintf("/proc/%d/stat", pid);
    char proc_state = 'R';
    for (int tries = 0; tries < 1000; tries++) {
        FILE *p = fopen(proc, "r");
        if (!p) {
            proc_state = 'X'; /* already reaped */
            break;
        }
        char buf2[512] = {0};
        size_t n = fread(buf2, 1, sizeof buf2 - 1, p);
        fclose(p);
        (void)n;
        char *rp = strrchr(buf2, ')');
        assert_non_null(rp);
        proc_state = rp[2];
        if (proc_state == 'Z' || proc_state == 'X')
            break;
        struct timespec ten_ms = {0, 10 * 1000 * 1000};
        nanosleep(&ten_ms, NULL);
    }
    assert_true(proc_state == 'Z' || proc_state == 'X');
    free(proc);
    unlink(pidfile);
    rmdir(dir);
    free(pidfile);
    free(script);
    free(dir);
    run_exec_result_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncate_agent_vectors),
        cmocka_unit_test(test_output_limit),
        cmocka_unit_test(test_string_prefix),
        cmocka_unit_test(test_document_status),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_status_from_exit),
        cmocka_unit_test(test_exact_limits_real_process),
        cmocka_unit_test(test_large_output_bounded),
        cmocka_unit_test(test_timeout_kills_grandchild),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
