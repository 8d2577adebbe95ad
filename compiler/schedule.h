/* schedule.h — Systems Manager schedule expressions: cron(...), rate(...) and
 * at(...), as State Manager associations and maintenance windows take them.
 * Parses with findings at exact positions inside the expression, and
 * computes fire times (UTC, seconds since the epoch).
 *
 * Sources: AWS Systems Manager User Guide, "Reference: Cron and rate
 * expressions for Systems Manager" (reference-cron-and-rate-expressions.md,
 * awsdocs/aws-systems-manager-user-guide, and the live page
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html);
 * the field table of the EventBridge cron reference (eb-cron-expressions);
 * spec section 7.2. */
#ifndef SSMC_SCHEDULE_H
#define SSMC_SCHEDULE_H

#include "internal.h"

enum { SCHEDULE_YEAR_MIN = 1970, SCHEDULE_YEAR_MAX = 2199 };

typedef enum schedule_kind {
    SCHEDULE_INVALID = 0,
    SCHEDULE_CRON,
    SCHEDULE_RATE,
    SCHEDULE_AT
} schedule_kind;

/* Which restrictions apply on top of the general cron/rate grammar. */
typedef enum schedule_context {
    SCHEDULE_GENERAL = 0,     /* any Systems Manager schedule */
    SCHEDULE_ASSOCIATION      /* State Manager: >= 30 minutes, no months, seconds 0 */
} schedule_context;

typedef enum cron_dom_mode {
    CRON_DOM_ANY = 0,         /* ? */
    CRON_DOM_SET,             /* values, ranges, steps, * */
    CRON_DOM_LAST,            /* L */
    CRON_DOM_LAST_WEEKDAY,    /* LW */
    CRON_DOM_NEAREST_WEEKDAY  /* nW */
} cron_dom_mode;

typedef enum cron_dow_mode {
    CRON_DOW_ANY = 0,         /* ? */
    CRON_DOW_SET,             /* 1-7 = SUN-SAT */
    CRON_DOW_LAST,            /* dL: the last such weekday of the month */
    CRON_DOW_NTH              /* d#n: the n-th such weekday of the month */
} cron_dow_mode;

typedef struct schedule {
    schedule_kind kind;
    /* cron: one bit per allowed value */
    uint64_t seconds;         /* bits 0..59 */
    uint64_t minutes;         /* bits 0..59 */
    uint32_t hours;           /* bits 0..23 */
    uint32_t dom;             /* bits 1..31 (CRON_DOM_SET) */
    uint16_t months;          /* bits 1..12 */
    uint8_t dow;              /* bits 1..7 (CRON_DOW_SET) */
    uint64_t years[4];        /* bit (year - SCHEDULE_YEAR_MIN) */
    cron_dom_mode dom_mode;
    int dom_day;              /* n of nW */
    cron_dow_mode dow_mode;
    int dow_day, dow_nth;     /* d of dL and d#n; n of d#n */
    /* rate */
    int64_t rate_seconds;
    /* at */
    int64_t at;
} schedule;

/* Where the expression's characters are: when direct, character i of the
 * expression is byte base+i of the source (a one-line scalar without
 * escapes, or the expression given on the command line); otherwise every
 * finding gets the whole scalar's span. */
typedef struct schedule_where {
    const ssmc_source *source;
    uint32_t file;
    bool direct;
    size_t base;
    ssmc_span whole;
} schedule_where;

/* The location of a scalar node's text (see schedule_where). */
schedule_where schedule_where_node(const ssmc_sources *sources, const ssmc_node *node);
/* The whole of a source is the expression (ssmc schedule EXPR). */
schedule_where schedule_where_source(const ssmc_sources *sources, uint32_t file);

/* Parses and checks an expression; findings go to diags. Returns true (and
 * fills *out) when the expression is usable for fire-time computation,
 * i.e. there was no error finding. */
bool schedule_parse(const char *text, size_t len, schedule_context context,
                    const schedule_where *where, ssmc_diags *diags, schedule *out);

/* The first cron fire time at or after `from`; false when there is none up
 * to the end of year SCHEDULE_YEAR_MAX (the search is bounded). */
bool schedule_cron_next(const schedule *s, int64_t from, int64_t *out);

/* Up to max fire times from `from` on (cron: at or after from; rate: from +
 * k * interval, from being the association's creation; at: the one time if
 * not before from). Returns how many were written. */
size_t schedule_fire_times(const schedule *s, int64_t from, int64_t *out, size_t max);

/* ISO 8601 UTC: "2026-11-26T16:30:00Z" (the Z, and :SS, optional on input;
 * "2026-11-26" alone means midnight). */
bool schedule_parse_time(const char *text, int64_t *out);
void schedule_format_time(int64_t t, char out[32]);

/* Calendar helpers (proleptic Gregorian, UTC). */
int64_t schedule_days_from_civil(int64_t y, int m, int d);
int schedule_days_in_month(int64_t y, int m);

#endif
