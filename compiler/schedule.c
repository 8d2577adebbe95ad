/* schedule.c — schedule expressions: parsing with positioned findings, and
 * fire times. See schedule.h for the sources.
 *
 * Cron semantics follow the AWS reference (and the Quartz scheduler it
 * descends from): Day-of-week 1-7 = SUN-SAT; 'L' in Day-of-month is the last
 * day of the month, 'LW' the last weekday, 'nW' the weekday nearest to day n
 * without leaving the month; 'dL' in Day-of-week the last such weekday of
 * the month, 'L' alone Saturday (7); 'd#n' the n-th such weekday; ranges may
 * wrap ("FRI-MON", "22-2"); "a/s" counts from a to the field's maximum. */
#include "schedule.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Calendar                                                            */
/* ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
int64_t schedule_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int schedule_days_in_month(int64_t y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* AWS numbering: 1 = Sunday ... 7 = Saturday. 1970-01-01 was a Thursday. */
static int weekday_of_days(int64_t days)
{
    int64_t w = (days + 4) % 7;
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

static int weekday(int64_t y, int m, int d) { return weekday_of_days(schedule_days_from_civil(y, m, d)); }

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void schedule_format_time(int64_t t, char out[32])
{
    int64_t days = floor_div(t, 86400), secs = t - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 32, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60));
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool schedule_parse_time(const char *text, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, s = 0;
    size_t len = strlen(text);
    if (len < 10 || !digits(text, 4, &y) || text[4] != '-' || !digits(text + 5, 2, &mo) ||
        text[7] != '-' || !digits(text + 8, 2, &d))
        return false;
    const char *p = text + 10;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
            return false;
        p += 5;
        if (*p == ':') {
            if (!digits(p + 1, 2, &s))
                return false;
            p += 3;
        }
    }
    if (*p == 'Z' || *p == 'z')
        p++;
    else if (strcmp(p, "+00:00") == 0)
        p += 6;
    if (*p)
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > schedule_days_in_month(y, mo) || h > 23 || mi > 59 || s > 59)
        return false;
    *out = schedule_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return true;
}

/* ------------------------------------------------------------------ */
/* Positions                                                           */
/* ------------------------------------------------------------------ */

schedule_where schedule_where_node(const ssmc_sources *sources, const ssmc_node *node)
{
    schedule_where w;
    memset(&w, 0, sizeof w);
    w.source = ssmc_sources_get(sources, node->file);
    w.file = node->file;
    w.whole = ssmc_loc_span(w.source, loc_of_node(node));
    if (!w.source || node->type != SSMC_NODE_STRING || w.whole.start.line != w.whole.end.line)
        return w;
    size_t start = node->span.start, end = node->span.end;
    if (end > w.source->len || start > end)
        return w;
    const char *raw = w.source->data + start;
    size_t raw_len = end - start;
    /* The text as written must be the decoded string itself, possibly inside
     * one pair of quotes: then offsets inside the string map directly. */
    if (raw_len == node->len && memcmp(raw, node->str, raw_len) == 0) {
        w.direct = true, w.base = start;
    } else if (raw_len == node->len + 2 && (raw[0] == '"' || raw[0] == '\'') &&
               raw[raw_len - 1] == raw[0] && memcmp(raw + 1, node->str, node->len) == 0) {
        w.direct = true, w.base = start + 1;
    }
    return w;
}

schedule_where schedule_where_source(const ssmc_sources *sources, uint32_t file)
{
    schedule_where w;
    memset(&w, 0, sizeof w);
    w.source = ssmc_sources_get(sources, file);
    w.file = file;
    w.direct = true;
    w.whole = span_from_offsets(w.source, 0, w.source->len);
    return w;
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

typedef struct parser {
    const char *text;
    size_t len;
    schedule_context context;
    const schedule_where *where;
    ssmc_diags *diags;
    bool failed;
} parser;

static ssmc_diag *report(parser *p, ssmc_rule rule, size_t start, size_t end, const char *fmt,
                         ...) SSMC_PRINTF(5, 6);

/* The fix "expression bytes [start, end) become text", when the expression
 * is the file's text as written (not decoded from escapes). */
static void report_fix(parser *p, ssmc_diag *d, size_t start, size_t end, const char *text)
{
    const schedule_where *w = p->where;
    if (d && w->direct && w->source && start <= end)
        ssmc_diag_add_fix(d, w->file, span_from_offsets(w->source, w->base + start, w->base + end),
                          text);
}

static ssmc_diag *report(parser *p, ssmc_rule rule, size_t start, size_t end, const char *fmt, ...)
{
    const schedule_where *w = p->where;
    ssmc_span span = w->whole;
    if (w->direct && w->source) {
        if (end < start)
            end = start;
        span = span_from_offsets(w->source, w->base + start, w->base + end);
    }
    va_list ap;
    va_start(ap, fmt);
    ssmc_diag *d = ssmc_diag_addv(p->diags, rule, w->file, span, fmt, ap);
    va_end(ap);
    if (ssmc_rule_get(rule)->severity == SSMC_SEV_ERROR)
        p->failed = true;
    return d;
}

enum { F_SECONDS, F_MINUTES, F_HOURS, F_DOM, F_MONTH, F_DOW, F_YEAR };

typedef struct field_info {
    const char *name;
    int min, max;
    const char *wildcards;     /* beyond , - * / */
} field_info;

static const field_info fields[] = {
    [F_SECONDS] = {"Seconds", 0, 59, ""},
    [F_MINUTES] = {"Minutes", 0, 59, ""},
    [F_HOURS] = {"Hours", 0, 23, ""},
    [F_DOM] = {"Day-of-month", 1, 31, "?LW"},
    [F_MONTH] = {"Month", 1, 12, ""},
    [F_DOW] = {"Day-of-week", 1, 7, "?L#"},
    [F_YEAR] = {"Year", SCHEDULE_YEAR_MIN, SCHEDULE_YEAR_MAX, ""},
};

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

/* One parsed field: the set of values as bits (years offset by YEAR_MIN). */
typedef struct field_set {
    uint64_t bits[4];
} field_set;

static void set_bit(field_set *s, int field, int v)
{
    int i = v - (field == F_YEAR ? SCHEDULE_YEAR_MIN : 0);
    s->bits[i / 64] |= (uint64_t)1 << (i % 64);
}

static bool all_values(const field_set *s, int field)
{
    for (int v = fields[field].min; v <= fields[field].max; v++) {
        int i = v - (field == F_YEAR ? SCHEDULE_YEAR_MIN : 0);
        if (!(s->bits[i / 64] >> (i % 64) & 1))
            return false;
    }
    return true;
}

/* A number or (Month, Day-of-week) a name at text[*i..end). Returns false
 * after reporting. */
static bool parse_value(parser *p, int field, size_t *i, size_t end, int *out)
{
    const char *t = p->text;
    size_t start = *i;
    const field_info *f = &fields[field];
    if (*i < end && isdigit((unsigned char)t[*i])) {
        long v = 0;
        while (*i < end && isdigit((unsigned char)t[*i])) {
            if (v < 100000)
                v = v * 10 + (t[*i] - '0');
            (*i)++;
        }
        if (v < f->min || v > f->max) {
            const char *extra = field == F_DOW && v == 0 ? " (Sunday is 1 or SUN; AWS numbers 1-7 = SUN-SAT)" : "";
            report(p, SSMC_RULE_SSM7004, start, *i, "%s value %ld is out of range %d-%d%s", f->name, v,
                   f->min, f->max, extra);
            return false;
        }
        *out = (int)v;
        return true;
    }
    if (*i < end && isalpha((unsigned char)t[*i])) {
        size_t j = *i;
        while (j < end && isalpha((unsigned char)t[j]))
            j++;
        char word[8] = {0};
        size_t n = j - *i;
        const char *const *names = field == F_MONTH ? month_names : field == F_DOW ? day_names : NULL;
        size_t count = field == F_MONTH ? 12 : 7;
        if (names && n == 3) {
            for (size_t k = 0; k < 3; k++)
                word[k] = (char)toupper((unsigned char)t[*i + k]);
            for (size_t k = 0; k < count; k++) {
                if (strcmp(word, names[k]) == 0) {
                    *out = (int)k + 1;
                    *i = j;
                    return true;
                }
            }
        }
        if (names)
            report(p, SSMC_RULE_SSM7003, start, j, "'%.*s' is not a %s name; use %s", (int)n, t + start,
                   f->name, field == F_MONTH ? "JAN-DEC or 1-12" : "SUN-SAT or 1-7");
        else
            report(p, SSMC_RULE_SSM7003, start, j, "%s takes numbers only (%d-%d), not '%.*s'", f->name,
                   f->min, f->max, (int)n, t + start);
        return false;
    }
    report(p, SSMC_RULE_SSM7003, start, start < end ? start + 1 : start, "expected a %s value (%d-%d)%s",
           f->name, f->min, f->max, start < end ? "" : " here");
    return false;
}

/* Parses one comma-separated item of a plain set field into s. */
static bool parse_set_item(parser *p, int field, size_t start, size_t end, field_set *s)
{
    const char *t = p->text;
    const field_info *f = &fields[field];
    size_t i = start;
    int lo, hi;
    bool star = false;
    if (t[i] == '*') {
        star = true;
        lo = f->min, hi = f->max;
        i++;
    } else {
        if (!parse_value(p, field, &i, end, &lo))
            return false;
        hi = lo;
        if (i < end && t[i] == '-') {
            i++;
            if (!parse_value(p, field, &i, end, &hi))
                return false;
            if (hi < lo && field == F_YEAR) {
                report(p, SSMC_RULE_SSM7004, start, i, "Year range %d-%d runs backwards", lo, hi);
                return false;
            }
        }
    }
    int step = 1;
    bool stepped = false;
    if (i < end && t[i] == '/') {
        size_t s0 = ++i;
        long v = 0;
        while (i < end && isdigit((unsigned char)t[i])) {
            if (v < 100000)
                v = v * 10 + (t[i] - '0');
            i++;
        }
        if (i == s0) {
            report(p, SSMC_RULE_SSM7003, s0 - 1, s0, "'/' needs an increment after it (for example 0/30)");
            return false;
        }
        /* The largest increments Quartz (whose syntax AWS cron follows)
         * accepts: 59 for Seconds and Minutes, 23 for Hours, else the
         * field's largest value. */
        long size = field == F_YEAR ? f->max - f->min : f->max;
        if (v < 1 || v > size) {
            report(p, SSMC_RULE_SSM7004, s0, i, "%s increment %ld is out of range 1-%ld", f->name, v, size);
            return false;
        }
        step = (int)v;
        stepped = true;
        if (!star && hi == lo)
            hi = f->max;    /* "a/s": from a to the end of the range */
    }
    if (i < end) {
        char c = t[i];
        if (strchr("?LW#", c) && !strchr(f->wildcards, c))
            report(p, SSMC_RULE_SSM7003, i, i + 1, "'%c' is not allowed in the %s field", c, f->name);
        else
            report(p, SSMC_RULE_SSM7003, i, end, "unexpected '%.*s' in the %s field", (int)(end - i), t + i,
                   f->name);
        return false;
    }
    (void)stepped;
    /* Walk the range (wrapping past the maximum for "FRI-MON", "22-2"). */
    int size = f->max - f->min + 1;
    int span = hi >= lo ? hi - lo : hi + size - lo;
    for (int k = 0; k <= span; k += step) {
        int v = lo + k;
        if (v > f->max)
            v -= size;
        set_bit(s, field, v);
    }
    return true;
}

/* A field with L, W, '#' or '?' outside a three-letter name (JUL, WED)
 * takes the special forms, which stand alone. */
static bool is_plain_set(const char *t, size_t start, size_t end)
{
    for (size_t i = start; i < end;) {
        if (t[i] == '?' || t[i] == '#')
            return false;
        if (!isalpha((unsigned char)t[i])) {
            i++;
            continue;
        }
        size_t j = i;
        bool lw = false;
        while (j < end && isalpha((unsigned char)t[j])) {
            int c = toupper((unsigned char)t[j]);
            lw = lw || c == 'L' || c == 'W';
            j++;
        }
        if (lw && j - i != 3)
            return false;
        i = j;
    }
    return true;
}

/* Day-of-month specials: L, LW, nW. Returns true if handled (ok or reported). */
static bool parse_dom_special(parser *p, size_t start, size_t end, schedule *out)
{
    const char *t = p->text;
    size_t n = end - start;
    if (n == 1 && (t[start] == 'L' || t[start] == 'l')) {
        out->dom_mode = CRON_DOM_LAST;
        return true;
    }
    if (n == 2 && toupper((unsigned char)t[start]) == 'L' && toupper((unsigned char)t[start + 1]) == 'W') {
        out->dom_mode = CRON_DOM_LAST_WEEKDAY;
        return true;
    }
    if (n >= 2 && toupper((unsigned char)t[end - 1]) == 'W' && isdigit((unsigned char)t[start])) {
        size_t i = start;
        int v;
        if (!parse_value(p, F_DOM, &i, end - 1, &v))
            return true;
        if (i != end - 1) {
            report(p, SSMC_RULE_SSM7003, i, end - 1, "'W' follows a single day of the month (for example 15W)");
            return true;
        }
        out->dom_mode = CRON_DOM_NEAREST_WEEKDAY;
        out->dom_day = v;
        return true;
    }
    if (toupper((unsigned char)t[start]) == 'L' && n > 1 && t[start + 1] == '-')
        report(p, SSMC_RULE_SSM7003, start, end,
               "offsets from the last day ('L-n') are not part of the AWS cron syntax; use L or LW");
    else
        report(p, SSMC_RULE_SSM7003, start, end,
               "'%.*s' is not valid in Day-of-month; use L (last day), LW (last weekday) or nW "
               "(weekday nearest day n)", (int)n, t + start);
    return true;
}

/* Day-of-week specials: L, dL, d#n. */
static void parse_dow_special(parser *p, size_t start, size_t end, schedule *out)
{
    const char *t = p->text;
    size_t n = end - start;
    if (n == 1 && toupper((unsigned char)t[start]) == 'L') {
        out->dow_mode = CRON_DOW_SET;   /* 'L' alone is the last day of the week: Saturday */
        out->dow = 1u << 7;
        return;
    }
    size_t i = start;
    int d;
    if (!parse_value(p, F_DOW, &i, end, &d))
        return;
    if (i < end && toupper((unsigned char)t[i]) == 'L' && i + 1 == end) {
        out->dow_mode = CRON_DOW_LAST;
        out->dow_day = d;
        return;
    }
    if (i < end && t[i] == '#') {
        size_t s0 = ++i;
        long v = 0;
        while (i < end && isdigit((unsigned char)t[i])) {
            if (v < 1000)
                v = v * 10 + (t[i] - '0');
            i++;
        }
        if (i == s0 || i != end) {
            report(p, SSMC_RULE_SSM7003, s0 - 1, end, "'#' is followed by the week of the month, 1-5 "
                   "(for example TUE#3)");
            return;
        }
        if (v < 1 || v > 5) {
            report(p, SSMC_RULE_SSM7004, s0, i, "week of the month %ld is out of range 1-5", v);
            return;
        }
        out->dow_mode = CRON_DOW_NTH;
        out->dow_day = d;
        out->dow_nth = (int)v;
        return;
    }
    report(p, SSMC_RULE_SSM7003, i, end, "unexpected '%.*s' in the Day-of-week field; use dL (last "
           "weekday d of the month) or d#n (n-th weekday d)", (int)(end - i), t + i);
}

/* Parses field `field` at text[start..end) into out. */
static void parse_field(parser *p, int field, size_t start, size_t end, schedule *out, field_set *set)
{
    const char *t = p->text;
    memset(set, 0, sizeof *set);
    const field_info *f = &fields[field];
    if (end - start == 1 && t[start] == '?') {
        if (field != F_DOM && field != F_DOW)
            report(p, SSMC_RULE_SSM7003, start, end, "'?' is allowed only in Day-of-month and Day-of-week, "
                   "not in %s; use *", f->name);
        else if (field == F_DOM)
            out->dom_mode = CRON_DOM_ANY;
        else
            out->dow_mode = CRON_DOW_ANY;
        return;
    }
    bool special = !is_plain_set(t, start, end);
    if (special && (field == F_DOM || field == F_DOW)) {
        /* Specials stand alone: no lists. */
        for (size_t i = start; i < end; i++) {
            if (t[i] == ',') {
                const char *what = memchr(t + start, '#', end - start) ? "'#'" : "L and W";
                report(p, SSMC_RULE_SSM7003, i, i + 1, "%s cannot be combined with other values in the %s "
                       "field; write a single expression", what, f->name);
                return;
            }
            if (t[i] == '?') {
                report(p, SSMC_RULE_SSM7003, i, i + 1, "'?' stands alone in the %s field", f->name);
                return;
            }
        }
        if (field == F_DOM)
            parse_dom_special(p, start, end, out);
        else
            parse_dow_special(p, start, end, out);
        return;
    }
    size_t i = start;
    bool ok = true;
    while (i <= end) {
        size_t j = i;
        while (j < end && t[j] != ',')
            j++;
        if (j == i) {
            report(p, SSMC_RULE_SSM7003, i, i + (i < end), "empty value in the %s list", f->name);
            return;
        }
        if (!parse_set_item(p, field, i, j, set))
            ok = false;
        i = j + 1;
    }
    if (!ok)
        return;
    switch (field) {
    case F_SECONDS: out->seconds = set->bits[0]; break;
    case F_MINUTES: out->minutes = set->bits[0]; break;
    case F_HOURS: out->hours = (uint32_t)set->bits[0]; break;
    case F_DOM: out->dom_mode = CRON_DOM_SET, out->dom = (uint32_t)set->bits[0]; break;
    case F_MONTH: out->months = (uint16_t)set->bits[0]; break;
    case F_DOW: out->dow_mode = CRON_DOW_SET, out->dow = (uint8_t)set->bits[0]; break;
    case F_YEAR: memcpy(out->years, set->bits, sizeof out->years); break;
    }
}

/* The shortest gap, in seconds, between two fire times of a day's
 * seconds x minutes x hours grid, including across midnight. */
static long shortest_gap(const schedule *s)
{
    long first = -1, prev = -1, best = LONG_MAX;
    for (int h = 0; h < 24; h++) {
        if (!(s->hours >> h & 1))
            continue;
        for (int m = 0; m < 60; m++) {
            if (!(s->minutes >> m & 1))
                continue;
            for (int sec = 0; sec < 60; sec++) {
                if (!(s->seconds >> sec & 1))
                    continue;
                long t = h * 3600L + m * 60L + sec;
                if (prev >= 0 && t - prev < best)
                    best = t - prev;
                if (first < 0)
                    first = t;
                prev = t;
            }
        }
    }
    if (first >= 0 && prev != first && first + 86400 - prev < best)
        best = first + 86400 - prev;
    return best;
}

static void parse_cron(parser *p, size_t open, size_t close, schedule *out)
{
    const char *t = p->text;
    size_t starts[8], ends[8];
    size_t n = 0;
    size_t i = open;
    while (i < close) {
        while (i < close && (t[i] == ' ' || t[i] == '\t'))
            i++;
        if (i >= close)
            break;
        size_t s = i;
        while (i < close && t[i] != ' ' && t[i] != '\t')
            i++;
        if (n < 8)
            starts[n] = s, ends[n] = i;
        n++;
    }
    if (n != 6 && n != 7) {
        const char *hint = n == 5 ? "; add the Year field, for example cron(0 2 ? * MON *)" : "";
        size_t at = n > 7 ? starts[7] : open, to = n > 7 ? close : close;
        report(p, SSMC_RULE_SSM7002, at, to,
               "cron expression has %zu field%s; Systems Manager takes 6 (Minutes Hours Day-of-month Month "
               "Day-of-week Year) or 7 with a leading Seconds field%s", n, n == 1 ? "" : "s", hint);
        return;
    }
    int first = n == 7 ? F_SECONDS : F_MINUTES;
    field_set sets[7];
    memset(sets, 0, sizeof sets);
    out->seconds = 1;    /* second 0 unless a Seconds field says otherwise */
    bool before = p->failed;
    p->failed = false;
    for (size_t k = 0; k < n; k++)
        parse_field(p, first + (int)k, starts[k], ends[k], out, &sets[first + (int)k]);
    bool field_failed = p->failed;
    p->failed = p->failed || before;
    size_t dom = starts[F_DOM - first], dow = starts[F_DOW - first];
    size_t dom_end = ends[F_DOM - first], dow_end = ends[F_DOW - first];
    bool dom_q = dom_end - dom == 1 && t[dom] == '?';
    bool dow_q = dow_end - dow == 1 && t[dow] == '?';
    if (dom_q && dow_q)
        report(p, SSMC_RULE_SSM7005, dom, dow_end, "Day-of-month and Day-of-week are both '?'; give a value "
               "in one of them (for example * in Day-of-month)");
    else if (!dom_q && !dow_q) {
        /* Suggest the whole corrected expression: '?' goes where '*' was,
         * else in Day-of-month. */
        bool in_dow = dow_end - dow == 1 && t[dow] == '*' && !(dom_end - dom == 1 && t[dom] == '*');
        size_t a = in_dow ? dow : dom, b = in_dow ? dow_end : dom_end;
        report(p, SSMC_RULE_SSM7005, dom, dow_end, "Day-of-month and Day-of-week both have a value; use '?' "
               "in one of them: %.*s?%.*s", (int)a, t, (int)(p->len - b), t + b);
    }
    if (field_failed)
        return;
    if (p->context == SCHEDULE_ASSOCIATION) {
        if (n == 7 && out->seconds != 1)
            report(p, SSMC_RULE_SSM7006, starts[0], ends[0], "the Seconds field of an association's cron "
                   "expression can only be 0");
        if (!all_values(&sets[F_MONTH], F_MONTH))
            report(p, SSMC_RULE_SSM7007, starts[F_MONTH - first], ends[F_MONTH - first],
                   "State Manager doesn't support specifying months in cron expressions for associations; "
                   "use * in the Month field");
        long gap = shortest_gap(out);
        if (gap < 30 * 60) {
            char every[32];
            if (gap % 60 == 0)
                snprintf(every, sizeof every, "%ld minute%s", gap / 60, gap == 60 ? "" : "s");
            else
                snprintf(every, sizeof every, "%ld seconds", gap);
            report(p, SSMC_RULE_SSM7008, starts[F_MINUTES - first], ends[F_MINUTES - first],
                   "this schedule fires every %s; associations run at most every 30 minutes (for example "
                   "0/30 in Minutes)", every);
        }
    }
    if (p->failed)
        return;
    out->kind = SCHEDULE_CRON;
    int64_t first_fire;
    if (!schedule_cron_next(out, 0, &first_fire)) {
        report(p, SSMC_RULE_SSM7013, open, close, "this cron expression never fires: no date from %d to %d "
               "matches its Day-of-month, Month, Day-of-week and Year fields together",
               SCHEDULE_YEAR_MIN, SCHEDULE_YEAR_MAX);
        out->kind = SCHEDULE_INVALID;
    }
}

static void parse_rate(parser *p, size_t open, size_t close, schedule *out)
{
    const char *t = p->text;
    size_t i = open;
    while (i < close && t[i] == ' ')
        i++;
    size_t num = i;
    long v = 0;
    while (i < close && isdigit((unsigned char)t[i])) {
        if (v < 1000000000)
            v = v * 10 + (t[i] - '0');
        i++;
    }
    size_t num_end = i;
    if (num_end == num) {
        report(p, SSMC_RULE_SSM7009, num, num < close ? num + 1 : num,
               "a rate expression starts with a positive integer, as in rate(30 minutes)");
        return;
    }
    if (v == 0) {
        report(p, SSMC_RULE_SSM7009, num, num_end, "the rate value must be a positive integer, not 0");
        return;
    }
    size_t sp = i;
    while (i < close && t[i] == ' ')
        i++;
    if (i == sp && i < close) {
        report(p, SSMC_RULE_SSM7009, i, i + 1, "put a space between the value and the unit");
        return;
    }
    size_t unit = i;
    while (i < close && t[i] != ' ')
        i++;
    size_t unit_end = i;
    while (i < close && t[i] == ' ')
        i++;
    if (i < close) {
        report(p, SSMC_RULE_SSM7009, i, close, "a rate expression has two fields, a value and a unit");
        return;
    }
    static const char *const units[] = {"minute", "minutes", "hour", "hours", "day", "days"};
    static const int64_t unit_seconds[] = {60, 60, 3600, 3600, 86400, 86400};
    char word[16] = {0};
    size_t wl = unit_end - unit;
    int found = -1;
    if (wl > 0 && wl < sizeof word) {
        memcpy(word, t + unit, wl);
        for (int k = 0; k < 6; k++)
            if (strcmp(word, units[k]) == 0)
                found = k;
    }
    if (found < 0) {
        const char *guess = wl > 0 && wl < sizeof word ? did_you_mean(word, units, 6) : NULL;
        if (wl == 0)
            report(p, SSMC_RULE_SSM7009, unit, unit, "the rate needs a unit: minute(s), hour(s) or day(s)");
        else if (guess)
            report_fix(p,
                       report(p, SSMC_RULE_SSM7009, unit, unit_end,
                              "unknown rate unit '%.*s'; did you mean '%s'?", (int)wl, t + unit,
                              guess),
                       unit, unit_end, guess);
        else
            report(p, SSMC_RULE_SSM7009, unit, unit_end, "unknown rate unit '%.*s'; use minute(s), hour(s) "
                   "or day(s)", (int)wl, t + unit);
        return;
    }
    bool plural = found % 2 == 1;
    if (plural != (v != 1)) {
        const char *right = units[v == 1 ? found - 1 : found + 1];
        report_fix(p,
                   report(p, SSMC_RULE_SSM7010, unit, unit_end,
                          "rate(%ld %s) must be written rate(%ld %s): the unit is singular for 1 "
                          "and plural otherwise",
                          v, units[found], v, right),
                   unit, unit_end, right);
    }
    int64_t secs = (int64_t)v * unit_seconds[found];
    if (p->context == SCHEDULE_ASSOCIATION && (secs < 30 * 60 || secs >= 31 * 86400))
        report(p, SSMC_RULE_SSM7011, num, unit_end, "associations support rates of 30 minutes or more and "
               "less than 31 days; %s", secs < 30 * 60 ? "use at least rate(30 minutes)"
                                                       : "use at most rate(30 days), or a cron expression");
    if (p->failed)
        return;
    out->kind = SCHEDULE_RATE;
    out->rate_seconds = secs;
}

static void parse_at(parser *p, size_t open, size_t close, schedule *out)
{
    const char *t = p->text;
    /* yyyy-mm-ddThh:mm:ss, 19 characters; each part reported where it is. */
    static const struct { size_t at, n; const char *what; int min, max; } parts[] = {
        {0, 4, "year", SCHEDULE_YEAR_MIN, SCHEDULE_YEAR_MAX}, {5, 2, "month", 1, 12}, {8, 2, "day", 1, 31},
        {11, 2, "hour", 0, 23}, {14, 2, "minute", 0, 59}, {17, 2, "second", 0, 59},
    };
    static const char seps[] = "--T::";
    size_t n = close - open;
    const char *s = t + open;
    bool shape = n == 19;
    for (size_t k = 0; shape && k < 5; k++)
        if (s[parts[k].at + parts[k].n] != seps[k])
            shape = false;
    int vals[6] = {0};
    for (size_t k = 0; shape && k < 6; k++)
        if (!digits(s + parts[k].at, (int)parts[k].n, &vals[k]))
            shape = false;
    if (!shape) {
        report(p, SSMC_RULE_SSM7012, open, close, "expected at(yyyy-mm-ddThh:mm:ss) in UTC, for example "
               "at(2026-07-07T15:55:00)");
        return;
    }
    for (size_t k = 0; k < 6; k++) {
        int max = parts[k].max;
        if (k == 2 && vals[1] >= 1 && vals[1] <= 12)
            max = schedule_days_in_month(vals[0], vals[1]);
        if (vals[k] < parts[k].min || vals[k] > max) {
            size_t a = open + parts[k].at;
            report(p, SSMC_RULE_SSM7012, a, a + parts[k].n, "%s %d is out of range %d-%d%s", parts[k].what,
                   vals[k], parts[k].min, max, k == 2 && vals[1] == 2 && vals[2] == 29
                   ? " (not a leap year)" : "");
            return;
        }
    }
    out->kind = SCHEDULE_AT;
    out->at = schedule_days_from_civil(vals[0], vals[1], vals[2]) * 86400 + vals[3] * 3600 + vals[4] * 60 +
              vals[5];
}

bool schedule_parse(const char *text, size_t len, schedule_context context, const schedule_where *where,
                    ssmc_diags *diags, schedule *out)
{
    memset(out, 0, sizeof *out);
    parser p = {text, len, context, where, diags, false};
    size_t open = 0;
    while (open < len && isalpha((unsigned char)text[open]))
        open++;
    char word[8] = {0};
    if (open < sizeof word)
        for (size_t i = 0; i < open; i++)
            word[i] = (char)tolower((unsigned char)text[i]);
    bool known = strcmp(word, "cron") == 0 || strcmp(word, "rate") == 0 || strcmp(word, "at") == 0;
    if (!known || open >= len || text[open] != '(') {
        if (len == 0)
            report(&p, SSMC_RULE_SSM7001, 0, 0, "the schedule expression is empty; write cron(...), rate(...) "
                   "or at(...)");
        else if (known)
            report(&p, SSMC_RULE_SSM7001, open, open < len ? open + 1 : open, "expected '(' after '%s'", word);
        else
            report(&p, SSMC_RULE_SSM7001, 0, len, "a schedule is cron(...), rate(...) or at(...); for example "
                   "cron(0 2 ? * SUN *) or rate(1 day)");
        return false;
    }
    size_t close = len;
    while (close > open + 1 && text[close - 1] == ' ')
        close--;
    if (text[close - 1] != ')' || close - 1 == open) {
        report(&p, SSMC_RULE_SSM7001, len, len, "missing ')' at the end of the %s expression", word);
        return false;
    }
    if (close != len) {
        report(&p, SSMC_RULE_SSM7001, close, len, "trailing spaces after the expression");
        return false;
    }
    close--;    /* the ')' */
    for (size_t i = open + 1; i < close; i++) {
        if (text[i] == '(' || text[i] == ')') {
            report(&p, SSMC_RULE_SSM7001, i, i + 1, "unexpected '%c' inside the %s expression", text[i], word);
            return false;
        }
    }
    if (word[0] == 'c')
        parse_cron(&p, open + 1, close, out);
    else if (word[0] == 'r')
        parse_rate(&p, open + 1, close, out);
    else
        parse_at(&p, open + 1, close, out);
    if (p.failed)
        out->kind = SCHEDULE_INVALID;
    return !p.failed && out->kind != SCHEDULE_INVALID;
}

/* ------------------------------------------------------------------ */
/* Fire times                                                          */
/* ------------------------------------------------------------------ */

static bool year_ok(const schedule *s, int64_t y)
{
    if (y < SCHEDULE_YEAR_MIN || y > SCHEDULE_YEAR_MAX)
        return false;
    int i = (int)(y - SCHEDULE_YEAR_MIN);
    return s->years[i / 64] >> (i % 64) & 1;
}

static int nearest_weekday(int64_t y, int m, int n)
{
    int dim = schedule_days_in_month(y, m);
    if (n > dim)
        return 0;   /* that day does not exist this month: no fire */
    int w = weekday(y, m, n);
    if (w == 7)     /* Saturday: Friday before, or Monday after the 1st */
        return n == 1 ? 3 : n - 1;
    if (w == 1)     /* Sunday: Monday after, or Friday before the last day */
        return n == dim ? n - 2 : n + 1;
    return n;
}

static bool day_ok(const schedule *s, int64_t y, int m, int d)
{
    int dim = schedule_days_in_month(y, m);
    switch (s->dom_mode) {
    case CRON_DOM_SET: return s->dom >> d & 1;
    case CRON_DOM_LAST: return d == dim;
    case CRON_DOM_LAST_WEEKDAY: {
        int w = weekday(y, m, dim);
        int last = w == 7 ? dim - 1 : w == 1 ? dim - 2 : dim;
        return d == last;
    }
    case CRON_DOM_NEAREST_WEEKDAY: return d == nearest_weekday(y, m, s->dom_day);
    case CRON_DOM_ANY: break;
    }
    int w = weekday(y, m, d);
    switch (s->dow_mode) {
    case CRON_DOW_SET: return s->dow >> w & 1;
    case CRON_DOW_LAST: return w == s->dow_day && d + 7 > dim;
    case CRON_DOW_NTH: return w == s->dow_day && (d - 1) / 7 + 1 == s->dow_nth;
    case CRON_DOW_ANY: return false;   /* both '?': rejected by the parser */
    }
    return false;
}

/* First (h, m, s) of the day at or after `secs` seconds; -1 if none. */
static long first_time_of_day(const schedule *s, long secs)
{
    for (int h = (int)(secs / 3600); h < 24; h++) {
        if (!(s->hours >> h & 1))
            continue;
        int m0 = h == secs / 3600 ? (int)(secs / 60 % 60) : 0;
        for (int m = m0; m < 60; m++) {
            if (!(s->minutes >> m & 1))
                continue;
            int s0 = h == secs / 3600 && m == m0 ? (int)(secs % 60) : 0;
            for (int sec = s0; sec < 60; sec++)
                if (s->seconds >> sec & 1)
                    return h * 3600L + m * 60L + sec;
        }
    }
    return -1;
}

bool schedule_cron_next(const schedule *s, int64_t from, int64_t *out)
{
    if (s->kind != SCHEDULE_CRON)
        return false;
    int64_t min_t = schedule_days_from_civil(SCHEDULE_YEAR_MIN, 1, 1) * 86400;
    if (from < min_t)
        from = min_t;
    int64_t days = floor_div(from, 86400);
    long secs = (long)(from - days * 86400);
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    /* Each step moves to a later day, month or year: at most about
     * 230 * 12 * 31 iterations in all. */
    while (y <= SCHEDULE_YEAR_MAX) {
        if (!year_ok(s, y)) {
            y++, m = 1, d = 1, secs = 0;
            continue;
        }
        if (!(s->months >> m & 1)) {
            if (++m > 12)
                y++, m = 1;
            d = 1, secs = 0;
            continue;
        }
        if (day_ok(s, y, m, d)) {
            long t = first_time_of_day(s, secs);
            if (t >= 0) {
                *out = schedule_days_from_civil(y, m, d) * 86400 + t;
                return true;
            }
        }
        secs = 0;
        if (++d > schedule_days_in_month(y, m)) {
            d = 1;
            if (++m > 12)
                y++, m = 1;
        }
    }
    return false;
}

size_t schedule_fire_times(const schedule *s, int64_t from, int64_t *out, size_t max)
{
    size_t n = 0;
    int64_t end = schedule_days_from_civil(SCHEDULE_YEAR_MAX + 1, 1, 1) * 86400;
    switch (s->kind) {
    case SCHEDULE_CRON:
        while (n < max && schedule_cron_next(s, from, &out[n])) {
            from = out[n] + 1;
            n++;
        }
        break;
    case SCHEDULE_RATE:
        for (int64_t t = from + s->rate_seconds; n < max && t < end; t += s->rate_seconds)
            out[n++] = t;
        break;
    case SCHEDULE_AT:
        if (max > 0 && s->at >= from)
            out[n++] = s->at;
        break;
    case SCHEDULE_INVALID:
        break;
    }
    return n;
}
