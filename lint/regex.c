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

/* Needles tracked per pattern; a pattern with more is run wherever one of
 * its literals may occur, without the per-needle bookkeeping. */
#define MAX_NEEDLES 8

/* One compiled form of a pattern, made on first need (most scripts need
 * few patterns), with its own count towards JIT_AFTER_BYTES. */
typedef struct compiled_form {
    pcre2_code *code;
    bool tried, jit_tried;
    size_t scanned;     /* subject bytes matched against so far */
} compiled_form;

struct lint_regex {
    const char *pattern;
    bool caseless;
    compiled_form plain;
    /* The same pattern compiled anchored, for the searches that try it only
     * where a needle starts (LINT_STARTS_AT_NEEDLE): PCRE2's JIT does not
     * take PCRE2_ANCHORED at match time, so passing it there would run the
     * interpreter at every try. A pattern only ever tried so is never
     * compiled plain. */
    compiled_form anchored;
    pcre2_match_data *md; /* for either form: they capture the same groups */
    /* Literals one of which every match contains (NULL: none known), and
     * whether every match lies within one line (see lint_regex_needing). */
    const char *const *needles;
    unsigned needle_flags;
    size_t needle_count;
    lint_needle needle[MAX_NEEDLES];    /* the first MAX_NEEDLES, prepared */
    lint_regex *next;
};

/* A run over one small document (a pre-commit hook) never repays JIT
 * compiling every pattern, so a pattern is JIT compiled once it has been
 * run over this much text. Measured (RelWithDebInfo, corpus -j1, CPU):
 * 32 KB 0.231 s, 4 KB 0.219 s, 0 (always) 0.216 s; on three mid-sized
 * Command documents checked one per run, 4 KB costs nothing and 0 costs
 * 17% more. */
#define JIT_AFTER_BYTES ((size_t)4 << 10)

/* A run that has matched this much text in all is a batch (a directory, a
 * CI run): from then on every pattern is JIT compiled on its next use,
 * since the run will use it again. Measured (RelWithDebInfo, CPU, medians
 * of 15-21 alternating runs): the corpus's 302 Command documents in one
 * run 4% faster than with the 4 KB rule alone (JIT for every pattern from
 * the start: 6.5%, but a single small document 14% slower); checking one
 * document of 2, 26 or 48 KB costs the same as before (16 KB here: up to
 * 13% more on one of them). */
#define JIT_ALL_AFTER_BYTES ((size_t)64 << 10)
static size_t total_scanned;

/* What an anchored try counts for towards JIT_AFTER_BYTES: it reads a
 * few bytes past the needle, not the rest of the subject. */
#define ANCHORED_TRY_BYTES 128

static lint_regex *cache;

static pcre2_code *compile_pattern(const char *pattern, bool caseless, uint32_t extra)
{
    int err;
    PCRE2_SIZE erroff;
    uint32_t opts = PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | extra;
    if (caseless)
        opts |= PCRE2_CASELESS;
    return pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &err, &erroff, NULL);
}

/* JIT is an optimisation only: without it matching still works (pcre2_match
 * uses the JIT code once there is some). Its machine code reads whole words
 * past the subject (within the page), which valgrind's memcheck reports;
 * under valgrind the interpreter runs instead. */
static void jit_once(pcre2_code *code, bool *tried)
{
    *tried = true;
    if (!ssmc_running_on_valgrind())
        (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
}

/* The patterns by the address of their text: every caller passes a string
 * literal, the same pointer each time, and this look-up runs for every rule
 * of every script (a list walk was 3% of a run over many small scripts). */
#define BY_PTR_SLOTS 256
static struct {
    const char *key;
    bool caseless;
    lint_regex *re;
} by_ptr[BY_PTR_SLOTS];

static size_t ptr_slot(const char *pattern, bool caseless)
{
    uintptr_t h = (uintptr_t)pattern * 2 + caseless;
    return (size_t)((h * (uintptr_t)0x9E3779B97F4A7C15u) >> (sizeof h * 8 - 8)) % BY_PTR_SLOTS;
}

lint_regex *lint_regex_get(const char *pattern, bool caseless)
{
    size_t slot = ptr_slot(pattern, caseless);
    for (size_t i = 0; i < BY_PTR_SLOTS; i++) {
        size_t k = (slot + i) % BY_PTR_SLOTS;
        if (!by_ptr[k].key)
            break;
        if (by_ptr[k].key == pattern && by_ptr[k].caseless == caseless)
            return by_ptr[k].re;
    }
    lint_regex *found = NULL;
    for (lint_regex *r = cache; r && !found; r = r->next)
        if (r->caseless == caseless && strcmp(r->pattern, pattern) == 0)
            found = r;
    lint_regex *r = found;
    if (!r) {
        r = xcalloc(1, sizeof *r);
        r->pattern = pattern;
        r->caseless = caseless;
        r->next = cache;
        cache = r;
    }
    for (size_t i = 0; i < BY_PTR_SLOTS; i++) {
        size_t k = (slot + i) % BY_PTR_SLOTS;
        if (!by_ptr[k].key) {
            by_ptr[k].key = pattern;
            by_ptr[k].caseless = caseless;
            by_ptr[k].re = r;
            break;
        }
    }
    return r;
}

lint_regex *lint_regex_needing(const char *pattern, bool caseless, const char *const *needles,
                               unsigned flags)
{
    lint_regex *r = lint_regex_get(pattern, caseless);
    if (r && !r->needles) {
        r->needles = needles;
        r->needle_flags = flags;
        for (r->needle_count = 0; needles[r->needle_count]; r->needle_count++)
            if (r->needle_count < MAX_NEEDLES)
                lint_needle_init(&r->needle[r->needle_count], needles[r->needle_count],
                                 strlen(needles[r->needle_count]),
                                 (flags & LINT_NEEDLES_CASELESS) != 0);
    }
    return r;
}

/* Where each needle next occurs, kept across the rounds of one search so
 * that a needle is scanned for once per search, not once per round.
 * at[k] is SIZE_MAX when needle k does not occur at or after from[k]. */
typedef struct needle_scan {
    size_t at[MAX_NEEDLES], from[MAX_NEEDLES];
    bool known[MAX_NEEDLES];
} needle_scan;

static size_t first_needle(const lint_regex *re, const lint_lits *lits, const char *s, size_t len,
                           size_t pos, needle_scan *ns)
{
    size_t best = SIZE_MAX;
    if (re->needle_count > MAX_NEEDLES)
        return pos; /* too many to track: every position may start one */
    for (size_t k = 0; k < re->needle_count; k++) {
        if (ns->known[k] && (ns->at[k] == SIZE_MAX ? ns->from[k] <= pos : ns->at[k] >= pos)) {
            if (ns->at[k] < best)
                best = ns->at[k];
            continue;
        }
        ns->known[k] = true;
        ns->from[k] = pos;
        ns->at[k] = lint_lits_find(lits, &re->needle[k], s, len, pos);
        if (ns->at[k] < best)
            best = ns->at[k];
    }
    return best;
}

static bool match_at(lint_regex *re, const char *s, size_t len, size_t from, uint32_t options,
                     int group, size_t *ms, size_t *me, size_t *gs, size_t *ge);

bool lint_regex_group(lint_regex *re, const lint_lits *lits, const char *s, size_t len,
                      size_t from, int group, size_t *ms, size_t *me, size_t *gs, size_t *ge)
{
    if (!re || from > len)
        return false;
    if (!re->needles)
        return match_at(re, s, len, from, 0, group, ms, me, gs, ge);
    /* A needle the script cannot hold is known absent everywhere. */
    unsigned absent = 0;
    if (lits) {
        bool any = false;
        for (size_t k = 0; k < re->needle_count; k++) {
            lint_needle extra;
            if (k >= MAX_NEEDLES)
                lint_needle_init(&extra, re->needles[k], strlen(re->needles[k]),
                                 (re->needle_flags & LINT_NEEDLES_CASELESS) != 0);
            bool may = lint_lits_may_hold(lits, k < MAX_NEEDLES ? &re->needle[k] : &extra);
            any |= may;
            if (!may && k < MAX_NEEDLES)
                absent |= 1u << k;
        }
        if (!any)
            return false;
    }
    needle_scan ns;
    memset(&ns, 0, sizeof ns);
    for (size_t k = 0; k < MAX_NEEDLES; k++)
        if (absent & 1u << k) {
            ns.known[k] = true;
            ns.at[k] = SIZE_MAX;
        }
    if (re->needle_flags & LINT_STARTS_AT_NEEDLE) {
        /* Only where a needle starts, anchored: the leftmost such match
         * is the leftmost match. */
        for (size_t pos = from; pos < len;) {
            size_t hit = first_needle(re, lits, s, len, pos, &ns);
            if (hit == SIZE_MAX)
                return false;
            if (match_at(re, s, len, hit, PCRE2_ANCHORED, group, ms, me, gs, ge))
                return true;
            pos = hit + 1;
        }
        return false;
    }
    if (!(re->needle_flags & LINT_LINE_LOCAL))
        return first_needle(re, lits, s, len, from, &ns) != SIZE_MAX &&
               match_at(re, s, len, from, 0, group, ms, me, gs, ge);
    /* Only the lines holding a needle, each up to and with its newline:
     * no match crosses one, so what follows cannot change a match. */
    for (size_t pos = from; pos <= len;) {
        size_t hit = first_needle(re, lits, s, len, pos, &ns);
        if (hit == SIZE_MAX)
            return false;
        size_t ls = hit;
        while (ls > pos && s[ls - 1] != '\n')
            ls--;
        const char *nl = memchr(s + hit, '\n', len - hit);
        size_t eol = nl ? (size_t)(nl - s) : len;
        if (match_at(re, s, eol < len ? eol + 1 : len, ls, 0, group, ms, me, gs, ge))
            return true;
        pos = eol + 1;
    }
    return false;
}

/* The form compiled (once) with the extra options; false if it does not
 * compile. */
static bool form_ready(const lint_regex *re, compiled_form *form, uint32_t extra)
{
    if (!form->tried) {
        form->tried = true;
        form->code = compile_pattern(re->pattern, re->caseless, extra);
    }
    return form->code != NULL;
}

static bool match_at(lint_regex *re, const char *s, size_t len, size_t from, uint32_t options,
                     int group, size_t *ms, size_t *me, size_t *gs, size_t *ge)
{
    compiled_form *form = &re->plain;
    size_t work = len - from;
    if ((options & PCRE2_ANCHORED) && form_ready(re, &re->anchored, PCRE2_ANCHORED)) {
        form = &re->anchored;
        options &= ~(uint32_t)PCRE2_ANCHORED;
        work = ANCHORED_TRY_BYTES;
    } else if (!form_ready(re, form, 0)) {
        return false; /* a bug in a built-in pattern; the rule stays silent */
    }
    pcre2_code *code = form->code;
    if (!re->md && !(re->md = pcre2_match_data_create_from_pattern(code, NULL)))
        ssmc_out_of_memory();
    form->scanned += work;
    total_scanned += work;
    if (!form->jit_tried &&
        (form->scanned >= JIT_AFTER_BYTES || total_scanned >= JIT_ALL_AFTER_BYTES))
        jit_once(code, &form->jit_tried);
    int rc = pcre2_match(code, (PCRE2_SPTR)s, len, from, options, re->md, NULL);
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

bool lint_regex_find(lint_regex *re, const lint_lits *lits, const char *s, size_t len,
                     size_t from, size_t *ms, size_t *me)
{
    size_t a, b;
    if (!lint_regex_group(re, lits, s, len, from, 1, &a, &b, ms, me))
        return false;
    return true;
}
