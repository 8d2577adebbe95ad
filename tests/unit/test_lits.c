/* test_lits.c — the literal prefilters of the lint rules (lits.c): the
 * pair set of a short script and the index of a longer one must answer
 * every look-up exactly as a plain search does, in the text and in a code
 * view of it (the same bytes with some blanked), case folded or not, for
 * literals whose key was registered before the index was built, after it,
 * or never (past the key limit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 12345;

static uint32_t next_rand(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static unsigned char fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static size_t naive(const char *s, size_t len, size_t from, const char *lit, size_t n,
                    bool caseless)
{
    for (size_t p = from; p + n <= len; p++) {
        size_t k = 0;
        while (k < n && (caseless ? fold((unsigned char)s[p + k]) == fold((unsigned char)lit[k])
                                  : s[p + k] == lit[k]))
            k++;
        if (k == n)
            return p;
    }
    return n == 0 && from <= len ? from : SIZE_MAX;
}

/* Scripts made of these, so that literals occur often, in both cases,
 * across line ends and next to blanks. */
static const char *const pieces[] = {"sudo ", "Sudo", "exit ", "EXIT", "curl", "secret", "se", "cr",
                                     "ex",    "it",   "\n",    " ",    "#",    "|",      "rm",  "-rf",
                                     "sh",    "xi",   "set",   "ud",   "\t",   "ASIA",   "$?",  "é"};

static char *random_text(size_t len)
{
    char *s = malloc(len + 1);
    size_t i = 0;
    while (i < len) {
        const char *p = pieces[next_rand() % (sizeof pieces / sizeof *pieces)];
        for (size_t k = 0; p[k] && i < len; k++)
            s[i++] = p[k];
    }
    s[len] = '\0';
    return s;
}

/* A code view: some bytes blanked (comments, line joins). */
static char *blanked(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    memcpy(c, s, len + 1);
    for (size_t i = 0; i < len; i++)
        if (next_rand() % 7 == 0)
            c[i] = ' ';
    return c;
}

static const char *const literals[] = {"sudo", "exit", "secret", "curl", "se",  "sh",   "$?",
                                       "x",    "rm -rf", "ASIA", "it\nse", "#|", "crex", "exits",
                                       "xi",   "é",    "",     NULL};

/* Every literal, from many starting points and with shortened subjects,
 * both ways round: the answer must be the plain search's. */
static void check_text(size_t len)
{
    char *s = random_text(len);
    char *code = blanked(s, len);
    /* Prepared before the build (keys the index holds) and after it. */
    lint_needle before[32];
    size_t nb = 0;
    for (size_t k = 0; literals[k]; k++)
        lint_needle_init(&before[nb++], literals[k], strlen(literals[k]), k % 2 == 0);
    lint_lits lits;
    lint_lits_build(&lits, s, len);
    lits.code = code;
    if (len >= 1024)
        assert_true(lits.keys > 0); /* the index is in use */
    lint_needle after[32];
    for (size_t k = 0; literals[k]; k++)
        lint_needle_init(&after[k], literals[k], strlen(literals[k]), k % 2 != 0);
    for (int pass = 0; pass < 2; pass++) {
        const lint_needle *set = pass ? after : before;
        for (size_t k = 0; k < nb; k++) {
            const lint_needle *nd = &set[k];
            for (int view = 0; view < 2; view++) {
                const char *t = view ? code : s;
                bool present = naive(t, len, 0, nd->lit, nd->n, nd->caseless) != SIZE_MAX;
                if (present)
                    assert_true(lint_lits_may_hold(&lits, nd));
                for (size_t from = 0; from <= len; from += 1 + next_rand() % 13) {
                    size_t end = next_rand() % 3 ? len : from + next_rand() % (len - from + 1);
                    size_t want = naive(t, end, from, nd->lit, nd->n, nd->caseless);
                    size_t got = lint_lits_find(&lits, nd, t, end, from);
                    if (got != want)
                        fail_msg("'%s' (caseless %d) in %s of %zu bytes from %zu to %zu: %zu, not %zu",
                                 nd->lit, nd->caseless, view ? "code" : "text", len, from, end, got,
                                 want);
                }
            }
        }
    }
    lint_lits_free(&lits);
    free(code);
    free(s);
}

static void short_and_long_texts(void **state)
{
    (void)state;
    static const size_t lens[] = {0, 1, 2, 7, 100, 1023, 1024, 1500, 5000, 40000};
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
        check_text(lens[i]);
}

/* A text other than the one indexed (a copy) is searched, not looked up. */
static void other_text_is_scanned(void **state)
{
    (void)state;
    size_t len = 3000;
    char *s = random_text(len);
    char *copy = malloc(len + 1);
    memcpy(copy, s, len + 1);
    lint_needle nd;
    lint_needle_init(&nd, "sudo", 4, false);
    lint_lits lits;
    lint_lits_build(&lits, s, len);
    lits.code = NULL;
    memcpy(copy + 10, "sudo", 4); /* only in the copy */
    memcpy(s + 10, "xxxx", 4);    /* and gone from the indexed text's place */
    assert_int_equal(lint_lits_find(&lits, &nd, copy, len, 0), naive(copy, len, 0, "sudo", 4, false));
    assert_int_equal(lint_lits_find(&lits, &nd, copy, len, 0), 10);
    lint_lits_free(&lits);
    free(copy);
    free(s);
}

/* More keys than the index numbers: the ones past the limit are found by
 * scanning, with the same answers. */
static void past_the_key_limit(void **state)
{
    (void)state;
    static char lits_text[64 * 64 * 3];
    static lint_needle many[64 * 64];
    const char *classes = "abcdefghijklmnopqrstuvwxyz0123456789!\"#$&'()*+,-./:;<=>?[\\]_{|}";
    size_t nc = strlen(classes), count = 0, at = 0;
    for (size_t a = 0; a < nc; a++)
        for (size_t b = 0; b < nc && count < 600; b++) {
            char *lit = lits_text + at;
            lit[0] = classes[a];
            lit[1] = classes[b];
            lit[2] = '\0';
            at += 3;
            lint_needle_init(&many[count++], lit, 2, false);
        }
    size_t unkeyed = 0;
    for (size_t k = 0; k < count; k++)
        unkeyed += many[k].key == 0;
    assert_true(unkeyed > 0);
    size_t len = 20000;
    char *s = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        s[i] = classes[next_rand() % nc];
    s[len] = '\0';
    lint_lits lits;
    lint_lits_build(&lits, s, len);
    assert_int_equal(lits.keys, LINT_LITS_MAX_KEYS);
    for (size_t k = 0; k < count; k++)
        for (size_t from = 0; from < len; from += 997)
            assert_int_equal(lint_lits_find(&lits, &many[k], s, len, from),
                             naive(s, len, from, many[k].lit, 2, false));
    lint_lits_free(&lits);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_and_long_texts),
        cmocka_unit_test(other_text_is_scanned),
        cmocka_unit_test(past_the_key_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
