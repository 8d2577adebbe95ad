/* lits.c — what one script's text holds, for the literal prefilters of the
 * rules: which pairs of adjacent bytes occur (lint_lits_may_hold), and
 * where the pairs that the rules' literals are looked up by occur
 * (lint_lits_find).
 *
 * Why an index: every rule looks for its own literals ("sudo", "curl",
 * "exit", "secret", ...), each with its own scan of the script. Over the
 * Command documents of the corpus that was about 10,000 scans and 300,000
 * memchr calls (a common byte of a literal stops memchr every few bytes),
 * a quarter of the lint stage. The index is built in the pass over the
 * text that the pair set already makes: each literal is looked up by its
 * rarest pair of bytes, and the positions of those pairs are recorded,
 * grouped by pair, so a look-up visits only where its pair occurs. */
#include "lint.h"

#include <stdlib.h>
#include <string.h>

/* A byte's class in the pair set: each ASCII letter (either case), digit
 * and most punctuation has its own (1-63); blanks, controls, rarer
 * punctuation and non-ASCII bytes share 0, which only lets more literals
 * through. */
static unsigned char pair_class[256];

static void pair_classes(void)
{
    static const char own[] = "abcdefghijklmnopqrstuvwxyz0123456789!\"#$&'()*+,-./:;<=>?[\\]_{|}";
    if (pair_class['a'])
        return;
    for (size_t i = 0; own[i] && i < 63; i++) {
        unsigned char c = (unsigned char)own[i];
        pair_class[c] = (unsigned char)(i + 1);
        if (c >= 'a' && c <= 'z')
            pair_class[c - 32] = (unsigned char)(i + 1);
    }
}

/* How rare a byte is in scripts, 0 the most common: the bytes of the
 * real-document corpus, ASCII case folded, most common first; a byte not
 * listed is rarer than all (255). */
static unsigned char rarity[256];

static void rank_bytes(void)
{
    static const char common[] = " etniasor\"clpud\\\nm:gfh-b,y_'.wv{})($=kx[]0#/";
    if (rarity['e'])
        return;
    memset(rarity, 255, sizeof rarity);
    for (size_t i = 0; common[i]; i++) {
        unsigned char b = (unsigned char)common[i];
        rarity[b] = (unsigned char)i;
        if (b >= 'a' && b <= 'z')
            rarity[b - 32] = (unsigned char)i;
    }
}

/* The pairs literals are looked up by, numbered from 1 in the order they
 * were first asked for (0: not indexed). A script's index holds the pairs
 * numbered when it was built; a literal first asked for later is found by
 * a scan until the next script. */
static unsigned char bucket_of[64 * 64];
static unsigned bucket_count;

/* The key of the pair starting at s[p]. */
static unsigned key_at(const char *s, size_t p)
{
    return bucket_of[pair_class[(unsigned char)s[p]] << 6 | pair_class[(unsigned char)s[p + 1]]];
}

static unsigned needle_key(const char *lit, size_t n, size_t *off)
{
    size_t best = SIZE_MAX;
    unsigned best_score = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned char a = (unsigned char)lit[i], b = (unsigned char)lit[i + 1];
        /* Class 0 lumps too many bytes (and the code view has blanks where
         * the text has other bytes): such a pair says little. */
        if (!pair_class[a] || !pair_class[b])
            continue;
        unsigned score = (unsigned)rarity[a] + rarity[b];
        if (best == SIZE_MAX || score > best_score) {
            best = i;
            best_score = score;
        }
    }
    if (best == SIZE_MAX)
        return 0;
    unsigned key = (unsigned)pair_class[(unsigned char)lit[best]] << 6 |
                   pair_class[(unsigned char)lit[best + 1]];
    if (!bucket_of[key]) {
        if (bucket_count == LINT_LITS_MAX_KEYS)
            return 0;
        bucket_of[key] = (unsigned char)++bucket_count;
    }
    *off = best;
    return bucket_of[key];
}

/* nd without an index key (a literal looked for once, not worth a key). */
static void unscanned(lint_needle *nd, const char *lit, size_t n, bool caseless)
{
    rank_bytes();
    nd->lit = lit;
    nd->n = n;
    nd->caseless = caseless;
    /* The byte a scan looks for: the one least common in scripts, so that
     * memchr stops at few false starts ('x' of "exit" rather than 'e'). */
    nd->pivot = 0;
    for (size_t i = 1; i < n; i++)
        if (rarity[(unsigned char)lit[i]] > rarity[(unsigned char)lit[nd->pivot]])
            nd->pivot = i;
    nd->off = 0;
    nd->key = 0;
}

void lint_needle_init(lint_needle *nd, const char *lit, size_t n, bool caseless)
{
    pair_classes();
    unscanned(nd, lit, n, caseless);
    nd->key = n >= 2 ? needle_key(lit, n, &nd->off) : 0;
}

/* A script this long gets the index instead of the pair set: below it,
 * the index's fixed cost (a pass over the keys) is more than the scans it
 * saves. */
#define LITS_INDEX_MIN 1024

void lint_lits_build(lint_lits *l, const char *s, size_t len)
{
    pair_classes();
    l->text = s;
    l->code = NULL;
    l->len = len;
    l->at = l->small;
    l->keys = len >= LITS_INDEX_MIN && len <= UINT32_MAX ? bucket_count : 0;
    if (!l->keys) {
        /* Pair (a, b) is bit b of word a. Stored unconditionally: testing
         * the bit first mispredicts at every new pair, which in a short
         * script is most of them (10 MB of small scripts: 2.6% of the run
         * with the test, 0.9% without). */
        memset(l->pair, 0, sizeof l->pair);
        unsigned prev = len ? pair_class[(unsigned char)s[0]] : 0;
        for (size_t i = 1; i < len; i++) {
            unsigned cur = pair_class[(unsigned char)s[i]];
            l->pair[prev] |= (uint64_t)1 << cur;
            prev = cur;
        }
        return;
    }
    memset(l->first, 0, (l->keys + 1) * sizeof *l->first);
    /* Where an indexed pair starts, in text order: every position is
     * written and the count moves on only at an indexed pair, so the loop
     * has no branch to mispredict (room for len entries). */
    uint32_t *raw = xmalloc(len * sizeof *raw);
    size_t raw_n = 0;
    unsigned prev = pair_class[(unsigned char)s[0]];
    for (size_t i = 1; i < len; i++) {
        unsigned cur = pair_class[(unsigned char)s[i]];
        raw[raw_n] = (uint32_t)(i - 1);
        raw_n += bucket_of[prev << 6 | cur] != 0;
        prev = cur;
    }
    /* Grouped by key (a counting sort): next[k] is where key k's run
     * starts, then where it ends; first[k] ends up as that end, so key k's
     * positions are at[first[k-1] .. first[k]), still in text order. */
    for (size_t h = 0; h < raw_n; h++)
        l->first[key_at(s, raw[h])]++;
    uint32_t next[LINT_LITS_MAX_KEYS + 1];
    next[0] = 0;
    for (unsigned k = 1; k <= l->keys; k++)
        next[k] = next[k - 1] + l->first[k - 1];
    if (raw_n > LINT_LITS_SMALL)
        l->at = xmalloc(raw_n * sizeof *l->at);
    for (size_t h = 0; h < raw_n; h++)
        l->at[next[key_at(s, raw[h])]++] = raw[h];
    l->first[0] = 0;
    for (unsigned k = 1; k <= l->keys; k++)
        l->first[k] = next[k];
    free(raw);
}

void lint_lits_free(lint_lits *l)
{
    if (l->at != l->small)
        free(l->at);
    l->at = l->small;
    l->keys = 0;
}

static unsigned char fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* True when nd's literal starts at c. */
static inline bool same(const lint_needle *nd, const char *c)
{
    size_t k = 0;
    if (nd->caseless)
        while (k < nd->n && fold((unsigned char)c[k]) == fold((unsigned char)nd->lit[k]))
            k++;
    else
        while (k < nd->n && c[k] == nd->lit[k])
            k++;
    return k == nd->n;
}

bool lint_lits_may_hold(const lint_lits *l, const lint_needle *nd)
{
    if (l->keys)
        return !nd->key || nd->key > l->keys || l->first[nd->key] > l->first[nd->key - 1];
    for (size_t i = 0; i + 1 < nd->n; i++) {
        unsigned char a = (unsigned char)nd->lit[i], b = (unsigned char)nd->lit[i + 1];
        /* The code view has blanks where the text has comments and line
         * joins: a pair with a blank may be in it and not in the text. */
        if (a == ' ' || b == ' ')
            continue;
        if (!(l->pair[pair_class[a]] >> pair_class[b] & 1))
            return false;
    }
    return true;
}

/* First occurrence of nd in s[from, len), SIZE_MAX when there is none.
 * memchr on the literal's rarest byte (both cases) does the scanning;
 * candidates come in order of their start, so the first that matches is
 * the leftmost. */
static size_t scan(const lint_needle *nd, const char *s, size_t len, size_t from)
{
    const char *lit = nd->lit;
    size_t n = nd->n, j = nd->pivot;
    if (n == 0)
        return from <= len ? from : SIZE_MAX;
    unsigned char a = (unsigned char)lit[j], b = a;
    if (nd->caseless) {
        a = fold(a);
        b = a >= 'a' && a <= 'z' ? (unsigned char)(a - 32) : a;
    }
    /* The next occurrence of each case of the pivot byte, kept across
     * rounds (NULL with a_gone/b_gone: none left). */
    const char *pa = NULL, *pb = NULL;
    bool a_gone = false, b_gone = a == b;
    size_t i = from;
    while (i < len && len - i >= n) {
        size_t span = len - i - n + 1;
        const char *at = s + i + j;
        if (!a_gone && (!pa || pa < at))
            a_gone = (pa = memchr(at, a, span)) == NULL;
        if (!b_gone && (!pb || pb < at))
            b_gone = (pb = memchr(at, b, span)) == NULL;
        const char *p = a_gone ? NULL : pa;
        if (!b_gone && (!p || pb < p))
            p = pb;
        if (!p)
            return SIZE_MAX;
        const char *c = p - j;
        if (same(nd, c))
            return (size_t)(c - s);
        i = (size_t)(c - s) + 1;
    }
    return SIZE_MAX;
}


size_t lint_lits_find(const lint_lits *l, const lint_needle *nd, const char *s, size_t len,
                      size_t from)
{
    /* Only the script's own text or code view has the index's offsets. A
     * literal occurs in the code view only where it occurs in the text:
     * the view differs by blanks, and the key pair holds none. */
    if (!l || !l->keys || !nd->key || nd->key > l->keys || (s != l->text && s != l->code) ||
        len > l->len)
        return scan(nd, s, len, from);
    if (from > len || len - from < nd->n)
        return SIZE_MAX;
    const uint32_t *lo = l->at + l->first[nd->key - 1], *hi = l->at + l->first[nd->key];
    const uint32_t *end = hi;
    size_t want = from + nd->off;
    while (lo < hi) {
        const uint32_t *mid = lo + (hi - lo) / 2;
        if (*mid < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < end; lo++) {
        size_t p = *lo - nd->off;
        if (p + nd->n > len)
            break;
        if (same(nd, s + p))
            return p;
    }
    return SIZE_MAX;
}

size_t lint_find(const char *s, size_t len, size_t from, const char *lit, size_t n, bool caseless)
{
    lint_needle nd;
    unscanned(&nd, lit, n, caseless);
    return scan(&nd, s, len, from);
}

bool lint_contains(const char *s, size_t len, const char *lit)
{
    return lint_find(s, len, 0, lit, strlen(lit), false) != SIZE_MAX;
}
