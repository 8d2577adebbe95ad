/* test_schedule.c — schedule expressions: calendar helpers, fire times at
 * month ends, leap years and every special character, the bounded search,
 * and findings at positions inside a YAML scalar. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "schedule.h"

#include <stdlib.h>
#include <string.h>

static int64_t at(const char *iso)
{
    int64_t t = 0;
    assert_true(schedule_parse_time(iso, &t));
    return t;
}

/* Parses expr (association rules unless general) with no finding expected. */
static schedule parse_ok(const char *expr, bool general)
{
    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    uint32_t f = ssmc_sources_add(&sources, "<expression>", xstrdup(expr), strlen(expr));
    schedule_where w = schedule_where_source(&sources, f);
    schedule s;
    bool ok = schedule_parse(expr, strlen(expr), general ? SCHEDULE_GENERAL : SCHEDULE_ASSOCIATION, &w, &diags, &s);
    if (!ok || diags.count)
        fail_msg("%s: %s", expr, diags.count ? diags.items[0].message : "not ok");
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return s;
}

/* The rule and column of the first finding of a wrong expression. */
static void expect_finding(const char *expr, bool general, const char *rule_id, uint32_t col)
{
    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    uint32_t f = ssmc_sources_add(&sources, "<expression>", xstrdup(expr), strlen(expr));
    schedule_where w = schedule_where_source(&sources, f);
    schedule s;
    assert_false(schedule_parse(expr, strlen(expr), general ? SCHEDULE_GENERAL : SCHEDULE_ASSOCIATION, &w, &diags, &s));
    assert_true(diags.count >= 1);
    assert_string_equal(ssmc_rule_get(diags.items[0].rule)->id, rule_id);
    assert_int_equal(diags.items[0].span.start.line, 1);
    assert_int_equal(diags.items[0].span.start.col, col);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
}

static void expect_times(const char *expr, bool general, const char *from, const char *const *want, size_t n)
{
    schedule s = parse_ok(expr, general);
    int64_t got[16];
    size_t count = schedule_fire_times(&s, at(from), got, n);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        char text[32];
        schedule_format_time(got[i], text);
        if (strcmp(text, want[i]) != 0)
            fail_msg("%s from %s: #%zu is %s, want %s", expr, from, i, text, want[i]);
    }
}

static void test_calendar(void **state)
{
    (void)state;
    assert_int_equal(schedule_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(schedule_days_in_month(2028, 2), 29);
    assert_int_equal(schedule_days_in_month(2100, 2), 28);
    assert_int_equal(schedule_days_in_month(2000, 2), 29);
    assert_int_equal(schedule_days_in_month(2026, 4), 30);
    char text[32];
    schedule_format_time(at("2026-11-26T16:30:00Z"), text);
    assert_string_equal(text, "2026-11-26T16:30:00Z");
    int64_t t;
    assert_true(schedule_parse_time("2026-11-26", &t));
    assert_false(schedule_parse_time("2027-02-29T00:00:00Z", &t));
    assert_false(schedule_parse_time("2026-11-26T24:00:00Z", &t));
    assert_false(schedule_parse_time("tomorrow", &t));
}

static void test_seed_every_half_hour(void **state)
{
    (void)state;
    static const char *const want[] = {"2026-11-26T23:30:00Z", "2026-11-27T00:00:00Z", "2026-11-27T00:30:00Z"};
    expect_times("cron(0 0/30 * 1/1 * ? *)", false, "2026-11-26T23:00:01Z", want, 3);
}

static void test_month_ends_and_leap_years(void **state)
{
    (void)state;
    static const char *const last[] = {"2028-02-29T00:00:00Z", "2028-03-31T00:00:00Z", "2028-04-30T00:00:00Z"};
    expect_times("cron(0 0 L * ? *)", false, "2028-02-01T00:00:00Z", last, 3);
    static const char *const feb29[] = {"2096-02-29T00:00:00Z", "2104-02-29T00:00:00Z"};
    expect_times("cron(0 0 29 2 ? *)", true, "2095-01-01T00:00:00Z", feb29, 2);
    static const char *const d31[] = {"2026-12-31T00:00:00Z", "2027-01-31T00:00:00Z", "2027-03-31T00:00:00Z"};
    expect_times("cron(0 0 31 * ? *)", false, "2026-12-01T00:00:00Z", d31, 3);
}

static void test_weekday_specials(void **state)
{
    (void)state;
    /* 2026-02-28 is a Saturday, 2026-05-31 a Sunday. */
    static const char *const lw[] = {"2026-02-27T09:00:00Z", "2026-03-31T09:00:00Z"};
    expect_times("cron(0 9 LW * ? *)", false, "2026-02-01T00:00:00Z", lw, 2);
    /* 15W: 2026-08-15 is a Saturday -> Friday 14; 2026-11-15 a Sunday -> Monday 16. */
    static const char *const w15[] = {"2026-08-14T09:00:00Z", "2026-09-15T09:00:00Z", "2026-10-15T09:00:00Z",
                                      "2026-11-16T09:00:00Z"};
    expect_times("cron(0 9 15W * ? *)", false, "2026-08-01T00:00:00Z", w15, 4);
    /* 1W never goes back into the previous month: 2026-08-01 is a Saturday. */
    static const char *const w1[] = {"2026-08-03T09:00:00Z"};
    expect_times("cron(0 9 1W * ? *)", false, "2026-07-02T00:00:00Z", w1, 1);
    static const char *const nth[] = {"2026-03-10T00:00:00Z", "2026-04-14T00:00:00Z"};
    expect_times("cron(0 0 ? * 3#2 *)", false, "2026-03-01T00:00:00Z", nth, 2);
    static const char *const lastsun[] = {"2026-03-29T00:00:00Z", "2026-04-26T00:00:00Z"};
    expect_times("cron(0 0 ? * 1L *)", false, "2026-03-01T00:00:00Z", lastsun, 2);
    /* 'L' alone in Day-of-week is Saturday (7). */
    static const char *const sat[] = {"2026-11-28T00:00:00Z", "2026-12-05T00:00:00Z"};
    expect_times("cron(0 0 ? * L *)", false, "2026-11-26T00:00:00Z", sat, 2);
    static const char *const wrap[] = {"2026-11-27T00:00:00Z", "2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z",
                                       "2026-11-30T00:00:00Z", "2026-12-04T00:00:00Z"};
    expect_times("cron(0 0 ? * fri-mon *)", false, "2026-11-26T00:00:01Z", wrap, 5);
}

static void test_rate_and_at(void **state)
{
    (void)state;
    static const char *const r[] = {"2026-01-01T00:30:00Z", "2026-01-01T01:00:00Z"};
    expect_times("rate(30 minutes)", false, "2026-01-01T00:00:00Z", r, 2);
    static const char *const a[] = {"2028-02-29T10:00:00Z"};
    expect_times("at(2028-02-29T10:00:00)", false, "2028-02-29T10:00:00Z", a, 1);
    schedule s = parse_ok("at(2028-02-29T10:00:00)", false);
    int64_t t;
    assert_int_equal(schedule_fire_times(&s, at("2028-02-29T10:00:01Z"), &t, 1), 0);
}

static void test_bounded_search(void **state)
{
    (void)state;
    schedule s = parse_ok("cron(0 12 1 * ? 2020)", false);
    int64_t t;
    assert_false(schedule_cron_next(&s, at("2026-01-01T00:00:00Z"), &t));
    assert_true(schedule_cron_next(&s, at("2019-01-01T00:00:00Z"), &t));
    s = parse_ok("cron(0 12 1 * ? 2199)", false);
    assert_true(schedule_cron_next(&s, at("2199-12-01T12:00:00Z"), &t));
    assert_false(schedule_cron_next(&s, at("2199-12-01T12:00:01Z"), &t));
    expect_finding("cron(0 0 30 2 ? *)", true, "SSM7013", 6);
    expect_finding("cron(0 0 ? 2 2#5 2027)", true, "SSM7013", 6);
}

static void test_findings(void **state)
{
    (void)state;
    expect_finding("cron(0 24 * * ? *)", false, "SSM7004", 8);
    expect_finding("cron(0 2 * * MON *)", false, "SSM7005", 10);
    expect_finding("cron(0 2 ? * ? *)", false, "SSM7005", 10);
    expect_finding("cron(15 0/30 * * * ? *)", false, "SSM7006", 6);
    expect_finding("cron(0 2 1 FEB ? *)", false, "SSM7007", 12);
    expect_finding("cron(0/10 * * * ? *)", false, "SSM7008", 6);
    expect_finding("rate(1 minutes)", false, "SSM7010", 8);
    expect_finding("rate(29 minutes)", false, "SSM7011", 6);
    expect_finding("rate(31 days)", false, "SSM7011", 6);
    expect_finding("at(2026-13-01T00:00:00)", false, "SSM7012", 9);
    expect_finding("every day", false, "SSM7001", 1);
    expect_finding("cron(0 2 ? * TUE#3,FRI *)", false, "SSM7003", 19);
    /* Near misses stay clean. */
    parse_ok("cron(0 2 ? * TUE#3 *)", false);
    parse_ok("rate(30 minutes)", false);
    parse_ok("rate(30 days)", false);
    parse_ok("rate(1 minute)", true);
    parse_ok("cron(0/5 * * * ? *)", true);
    parse_ok("cron(0 2 1 FEB ? *)", true);
    parse_ok("cron(0 0/30 * * * ? *)", false);
    parse_ok("CRON(0 2 ? * sun *)", false);
}

/* A finding inside a quoted YAML scalar points at the character in the file. */
static void test_position_in_file(void **state)
{
    (void)state;
    const char *text = "Name: X\nScheduleExpression:  \"cron(0 2 * * MON *)\"\n";
    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    uint32_t f = ssmc_sources_add(&sources, "a.yaml", xstrdup(text), strlen(text));
    ssmc_document *doc = ssmc_load(&sources, f, NULL, &diags);
    assert_non_null(doc->root);
    const ssmc_node *n = ssmc_map_get(doc->root, "ScheduleExpression");
    schedule_where w = schedule_where_node(&sources, n);
    assert_true(w.direct);
    schedule s;
    assert_false(schedule_parse(n->str, n->len, SCHEDULE_ASSOCIATION, &w, &diags, &s));
    assert_int_equal(diags.count, 1);
    assert_int_equal(diags.items[0].span.start.line, 2);
    assert_int_equal(diags.items[0].span.start.col, 32);   /* the '*' of Day-of-month */
    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_seed_every_half_hour),
        cmocka_unit_test(test_month_ends_and_leap_years),
        cmocka_unit_test(test_weekday_specials),
        cmocka_unit_test(test_rate_and_at),
        cmocka_unit_test(test_bounded_search),
        cmocka_unit_test(test_findings),
        cmocka_unit_test(test_position_in_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
