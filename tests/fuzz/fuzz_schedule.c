/* fuzz_schedule.c — libFuzzer target for the schedule-expression parser
 * (compiler/schedule.h: cron(...), rate(...), at(...)) and its fire-time
 * computation, as `ssmc schedule EXPR` and association checks use them.
 *
 * Input: one option byte (bit 0: State Manager association rules instead of
 * the general ones), two bytes choosing the start time (days after
 * 2020-01-01, times 86400, plus the same two bytes as seconds), then the
 * expression.
 *
 * Checks, beyond "no crash, no hang": findings inside the expression's
 * source; a usable rate has a positive interval; fire times are at or
 * after the start, strictly increasing, each one its own next fire time,
 * and print and re-read as the same instant; schedule_parse_time agrees
 * with schedule_format_time on whatever it accepts. */
#include "fuzz_common.h"

#include "schedule.h"

enum { MAX_FIRES = 8 };

static void round_trip(int64_t t)
{
    char text[32];
    schedule_format_time(t, text);
    int64_t back;
    FUZZ_ASSERT(schedule_parse_time(text, &back));
    FUZZ_ASSERT(back == t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    schedule_context context = (data[0] & 1) ? SCHEDULE_ASSOCIATION : SCHEDULE_GENERAL;
    unsigned pick = (unsigned)data[1] << 8 | data[2];
    int64_t from = (schedule_days_from_civil(2020, 1, 1) + pick) * 86400 + pick;
    data += 3, size -= 3;

    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    char *text = fuzz_copy(data, size);
    uint32_t file = ssmc_sources_add(&sources, "<expression>", text, size);
    schedule_where where = schedule_where_source(&sources, file);
    schedule s;
    memset(&s, 0, sizeof s);
    bool ok = schedule_parse(text, size, context, &where, &diags, &s);
    fuzz_check_diags(&sources, &diags);
    if (ok) {
        FUZZ_ASSERT(ssmc_diags_count_at_least(&diags, SSMC_SEV_ERROR) == 0);
        if (s.kind == SCHEDULE_RATE)
            FUZZ_ASSERT(s.rate_seconds > 0);
        int64_t fires[MAX_FIRES];
        size_t n = schedule_fire_times(&s, from, fires, MAX_FIRES);
        FUZZ_ASSERT(n <= MAX_FIRES);
        for (size_t i = 0; i < n; i++) {
            FUZZ_ASSERT(fires[i] >= from);
            if (i)
                FUZZ_ASSERT(fires[i] > fires[i - 1]);
            if (s.kind == SCHEDULE_CRON) {
                int64_t again;
                FUZZ_ASSERT(schedule_cron_next(&s, fires[i], &again));
                FUZZ_ASSERT(again == fires[i]);
            }
            round_trip(fires[i]);
        }
    }
    /* The time parser on its own, on the same text (up to its first NUL). */
    int64_t t;
    if (schedule_parse_time(text, &t) && t >= 0)
        round_trip(t);

    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return 0;
}
