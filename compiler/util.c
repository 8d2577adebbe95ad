/* util.c — allocation wrappers, byte buffers, UTF-8 and string helpers. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ssmc_out_of_memory(void)
{
    /* The one place the library may stop the process: see internal.h. */
    static const char msg[] = "ssmc: out of memory\n";
    fwrite(msg, 1, sizeof msg - 1, stderr);
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        ssmc_out_of_memory();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        ssmc_out_of_memory();
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        ssmc_out_of_memory();
    return p;
}

char *xstrndup(const char *s, size_t len)
{
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xvasprintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return xstrdup("(unformattable message)");
    char *p = xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

void grow_array(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            ssmc_out_of_memory();
        n *= 2;
    }
    if (n > SIZE_MAX / elem)
        ssmc_out_of_memory();
    *items = xrealloc(*items, n * elem);
    *cap = n;
}

/* --- buf ------------------------------------------------------------- */

void buf_init(buf *b) { b->data = NULL, b->len = 0, b->cap = 0; }

void buf_free(buf *b)
{
    free(b->data);
    buf_init(b);
}

void buf_reserve(buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        ssmc_out_of_memory();
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t n = b->cap ? b->cap : 64;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    b->data = xrealloc(b->data, n);
    b->cap = n;
}

void buf_add(buf *b, const void *data, size_t len)
{
    buf_reserve(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void buf_adds(buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_addc(buf *b, char c) { buf_add(b, &c, 1); }

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n > 0) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

char *buf_steal(buf *b)
{
    if (!b->data)
        buf_reserve(b, 0), b->data[0] = '\0';
    char *p = b->data;
    buf_init(b);
    return p;
}

/* --- UTF-8 ----------------------------------------------------------- */

size_t utf8_valid_len(const unsigned char *s, size_t avail)
{
    if (avail == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0)
        n = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        n = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        n = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t utf8_first_invalid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (u[i] < 0x80) {
            /* Runs of ASCII, the bulk of every document, eight bytes at a
             * time (memcpy: no alignment or aliasing assumptions). */
            uint64_t w;
            while (i + 8 <= len && (memcpy(&w, u + i, 8), (w & 0x8080808080808080ull) == 0))
                i += 8;
            while (i < len && u[i] < 0x80)
                i++;
            continue;
        }
        size_t n = utf8_valid_len(u + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

void utf8_encode(buf *b, uint32_t cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80)
        out[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        out[0] = (char)(0xC0 | (cp >> 6)), out[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        out[0] = (char)(0xE0 | (cp >> 12)), out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        out[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    else
        out[0] = (char)(0xF0 | (cp >> 18)), out[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    buf_add(b, out, n);
}

/* --- strings --------------------------------------------------------- */

bool str_eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* Optimal-string-alignment distance, case-insensitive: insertions,
 * deletions, substitutions and swaps of two neighbouring characters each
 * count one, since a swap ("restrat" for "restart") is the commonest typo
 * and Levenshtein would count it two. Returns cap + 1 once the distance
 * surely exceeds cap. */
size_t edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    if (lb > 256 || la > 256)
        return cap + 1;
    size_t rows[3][257];
    size_t *before = rows[0], *prev = rows[1], *row = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t best = row[0] = i;
        int ca = tolower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= lb; j++) {
            int cb = tolower((unsigned char)b[j - 1]);
            size_t v = prev[j - 1] + (ca == cb ? 0 : 1);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && before[j - 2] + 1 < v)
                v = before[j - 2] + 1;
            row[j] = v;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
        size_t *t = before;
        before = prev;
        prev = row;
        row = t;
    }
    return prev[lb];
}

/* A lower bound of the edit distance from letter counts: one edit changes
 * at most two counts. Far cheaper than the distance itself, it discards
 * most names before edit_distance runs (issue 18: 1,000 undeclared names
 * against 1,000 parameters). */
static size_t count_bound(const unsigned short *hist, const char *name, size_t cap)
{
    unsigned short other[64] = {0};
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && n <= 256; p++, n++)
        other[tolower(*p) & 63]++;
    size_t diff = 0;
    for (size_t i = 0; i < 64 && diff <= 2 * cap; i++)
        diff += hist[i] > other[i] ? (size_t)(hist[i] - other[i]) : (size_t)(other[i] - hist[i]);
    return (diff + 1) / 2;
}

const char *did_you_mean(const char *word, const char *const *names, size_t count)
{
    size_t len = strlen(word);
    /* Past 256 characters nothing is suggested (edit_distance's limit). */
    if (len > 256)
        return NULL;
    unsigned short hist[64] = {0};
    for (const unsigned char *p = (const unsigned char *)word; *p; p++)
        hist[tolower(*p) & 63]++;
    /* Allow about one edit per four characters, at least one, at most three. */
    size_t cap = len / 4;
    if (cap < 1)
        cap = 1;
    if (cap > 3)
        cap = 3;
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (size_t i = 0; i < count; i++) {
        if (str_eq_nocase(word, names[i]))
            return names[i];
        if (count_bound(hist, names[i], cap) >= best_d)
            continue;
        size_t d = edit_distance(word, names[i], cap);
        if (d < best_d)
            best = names[i], best_d = d;
    }
    return best;
}

char *text_shown(const char *s, size_t len)
{
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < len; i++) {
        if (s[i])
            buf_addc(&b, s[i]);
        else
            buf_adds(&b, "\\u0000");
    }
    return buf_steal(&b);
}
