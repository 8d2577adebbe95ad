/* regex.c — PCRE2 patterns of the lint rules, compiled once per process
 * (JIT where the library has it) and kept for the life of the process. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lint.h"

#include <pcre2.h>
#include <string.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define SSMC_HAVE_VALGRIND_H 1
#endif
#endif

static bool ssmc_running_on_valgrind(void)
{
#ifdef SSMC_HAVE_VALGRIND_H
    return RUNNING_ON_VALGRIND != 0;
#else
    return false;
#endif
}

struct lint_regex {
    const char *pattern;
    bool caseless;
    pcre2_code *code;
    pcre2_match_data *md;
    size_t scanned;     /* subject bytes matched against so far */
    bool jit_tried;
    lint_regex *next;
};

/* JIT compiling costs about as much as interpreting a pattern over a few
 * few tens of KB: a run over one small document (a pre-commit hook) never
 * repays it, so a pattern is JIT compiled once it has been run over this
 * much text. */
#define JIT_AFTER_BYTES ((size_t)32 << 10)

static lint_regex *cache;

lint_regex *lint_regex_get(const char *pattern, bool caseless)
{
    /* Every caller passes a string literal: the same pointer each time, so a
     * pointer comparison finds it without a strcmp per cached pattern
     * (this look-up runs several times per rule per script). */
    for (lint_regex *r = cache; r; r = r->next)
        if (r->pattern == pattern && r->caseless == caseless)
            return r;
    for (lint_regex *r = cache; r; r = r->next)
        if (r->caseless == caseless && strcmp(r->pattern, pattern) == 0)
            return r;
    int err;
    PCRE2_SIZE erroff;
    uint32_t opts = PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (caseless)
        opts |= PCRE2_CASELESS;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &err,
                                     &erroff, NULL);
    if (!code)
        return NULL; /* a bug in a built-in pattern; the rule stays silent */
    lint_regex *r = xcalloc(1, sizeof *r);
    r->pattern = pattern;
    r->caseless = caseless;
    r->code = code;
    r->md = pcre2_match_data_create_from_pattern(code, NULL);
    if (!r->md)
        ssmc_out_of_memory();
    r->next = cache;
    cache = r;
    return r;
}

bool lint_regex_group(lint_regex *re, const char *s, size_t len, size_t from, int group,
                      size_t *ms, size_t *me, size_t *gs, size_t *ge)
{
    if (!re || from > len)
        return false;
    re->scanned += len - from;
    if (!re->jit_tried && re->scanned >= JIT_AFTER_BYTES) {
        /* JIT is an optimisation only: without it matching still works
         * (pcre2_match uses the JIT code once there is some). Its machine
         * code reads whole words past the subject (within the page), which
         * valgrind's memcheck reports; under valgrind the interpreter runs
         * instead. */
        re->jit_tried = true;
        if (!ssmc_running_on_valgrind())
            (void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
    }
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, 0, re->md, NULL);
    if (rc < 0)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
    *ms = ov[0];
    *me = ov[1];
    if (gs && ge) {
        if (group < rc && ov[2 * group] != PCRE2_UNSET) {
            *gs = ov[2 * group];
            *ge = ov[2 * group + 1];
        } else {
            *gs = *ms;
            *ge = *me;
        }
    }
    return true;
}

bool lint_contains(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    if (n == 0)
        return true;
    for (const char *p = s, *end = s + len; (size_t)(end - p) >= n;) {
        p = memchr(p, lit[0], (size_t)(end - p) - n + 1);
        if (!p)
            return false;
        if (memcmp(p, lit, n) == 0)
            return true;
        p++;
    }
    return false;
}

bool lint_regex_find(lint_regex *re, const char *s, size_t len, size_t from, size_t *ms,
                     size_t *me)
{
    size_t a, b;
    if (!lint_regex_group(re, s, len, from, 1, &a, &b, ms, me))
        return false;
    return true;
}
