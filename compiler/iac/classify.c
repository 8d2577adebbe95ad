/* classify.c — what a file found in a directory walk is: an SSM document,
 * an association file, a CloudFormation/SAM template, Terraform
 * configuration, a Terraform plan (`terraform show -json`), or none of
 * these (a GitHub workflow, a Kubernetes manifest, a compose file, ...).
 *
 * The decision reads only the top-level keys, found by a scan of the text
 * rather than a full load: a walk over a large repository classifies every
 * YAML and JSON file, and most of them are skipped. The scan is bounded (the
 * first MAX_KEYS keys of at most MAX_KEY bytes) and never fails: text it
 * cannot read simply yields fewer keys. */
#include "iac.h"

#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 256
#define MAX_KEY 64

typedef struct keyset {
    char keys[MAX_KEYS][MAX_KEY + 1];
    size_t count;
} keyset;

static void key_add(keyset *ks, const char *s, size_t n)
{
    if (ks->count >= MAX_KEYS || n == 0 || n > MAX_KEY)
        return;
    memcpy(ks->keys[ks->count], s, n);
    ks->keys[ks->count][n] = '\0';
    ks->count++;
}

static bool has(const keyset *ks, const char *key)
{
    for (size_t i = 0; i < ks->count; i++)
        if (strcmp(ks->keys[i], key) == 0)
            return true;
    return false;
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The end of a quoted string whose text starts at s[start]: the first
 * closing quote, which for '"' is one not escaped, i.e. preceded by an even
 * run of backslashes (a backslash escapes the byte after it). n when the
 * string does not end. memchr rather than a byte loop: strings are most of
 * a JSON document's bytes. */
static size_t string_end(const char *s, size_t n, size_t start, char quote)
{
    size_t j = start;
    for (;;) {
        const char *q = j < n ? memchr(s + j, quote, n - j) : NULL;
        if (!q)
            return n;
        size_t at = (size_t)(q - s), run = 0;
        if (quote == '"')
            while (at - run > start && s[at - run - 1] == '\\')
                run++;
        if (run % 2 == 0)
            return at;
        j = at + 1;
    }
}

/* Bytes that matter inside a nested collection (depth 2 and more): there no
 * key is taken, so only quotes and brackets change the scan's state. */
static const unsigned char nested_stop[256] = {
    ['"'] = 1, ['\''] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1,
};

/* The next byte at or after i that matters inside a nested collection,
 * or n: sixteen bytes at a time (SSE2), as most of a JSON document is
 * nested and the byte loop was 1.5% of checking the corpus. */
static size_t next_nested_stop(const char *s, size_t n, size_t i)
{
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\''), lb = _mm_set1_epi8('{'),
                  ls = _mm_set1_epi8('['), rb = _mm_set1_epi8('}'), rs = _mm_set1_epi8(']');
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, dq), _mm_cmpeq_epi8(x, sq)),
                         _mm_or_si128(_mm_cmpeq_epi8(x, lb), _mm_cmpeq_epi8(x, ls))),
            _mm_or_si128(_mm_cmpeq_epi8(x, rb), _mm_cmpeq_epi8(x, rs)));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < n && !nested_stop[(unsigned char)s[i]])
        i++;
    return i;
}

/* Keys of the outermost mapping of a JSON text or a YAML flow mapping:
 * quoted or bare words followed by ':' at depth 1. */
static void scan_flow(const char *s, size_t n, keyset *ks)
{
    size_t depth = 0;
    bool expect_key = false;
    for (size_t i = 0; i < n && ks->count < MAX_KEYS; i++) {
        if (depth >= 2) {
            /* expect_key is false here (the bracket that opened this depth
             * cleared it) and ',' or a bare word cannot set it: skip to the
             * next byte the loop acts on. */
            i = next_nested_stop(s, n, i);
            if (i == n)
                return;
        }
        char c = s[i];
        if (c == '"' || c == '\'') {
            size_t start = i + 1, j = string_end(s, n, start, c);
            size_t k = j + 1;
            while (k < n && blank(s[k]))
                k++;
            if (depth == 1 && expect_key && k < n && s[k] == ':')
                key_add(ks, s + start, j - start);
            expect_key = false;
            i = j;
        } else if (c == '{' || c == '[') {
            depth++;
            expect_key = c == '{' && depth == 1;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return;
            depth--;
            if (depth == 0)
                return;
        } else if (c == ',') {
            expect_key = depth == 1;
        } else if (!blank(c) && depth == 1 && expect_key) {
            size_t start = i;
            while (i < n && s[i] != ':' && s[i] != ',' && s[i] != '}' && s[i] != '\n')
                i++;
            size_t end = i;
            while (end > start && blank(s[end - 1]))
                end--;
            if (i < n && s[i] == ':')
                key_add(ks, s + start, end - start);
            expect_key = false;
            i--; /* the ':' ',' or '}' is read again by the loop */
        }
    }
}

/* The start of the first line at or after byte from (itself a line's
 * start or inside one) that does not begin with a space, or n. Indented
 * lines (most of a YAML document) hold no top-level key: sixteen bytes at
 * a time (SSE2) they are passed over without a look at each line. */
static size_t next_unindented_line(const char *s, size_t n, size_t from)
{
    size_t i = from;
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i nl = _mm_set1_epi8('\n'), sp = _mm_set1_epi8(' ');
    /* a '\n' at byte k whose next byte (k + 1 < n) is not a space */
    for (; i + 17 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_andnot_si128(_mm_cmpeq_epi8(y, sp), _mm_cmpeq_epi8(x, nl)));
        if (m)
            return i + (size_t)__builtin_ctz(m) + 1;
    }
#endif
    for (; i < n; i++)
        if (s[i] == '\n' && (i + 1 >= n || s[i + 1] != ' '))
            return i + 1;
    return n;
}

/* Keys of block mappings at column 0 of every YAML document of the text. */
static void scan_block(const char *s, size_t n, keyset *ks)
{
    size_t i = 0;
    while (i < n && ks->count < MAX_KEYS) {
        if (s[i] == ' ') {
            i = next_unindented_line(s, n, i);
            continue;
        }
        const char *nl = memchr(s + i, '\n', n - i);
        size_t eol = nl ? (size_t)(nl - s) : n;
        char c = s[i];
        if (i < eol && c != '#' && c != '-' && c != '%' && !blank(c) && c != '{' && c != '[') {
            size_t start = i, end;
            if (c == '"' || c == '\'') {
                size_t j = i + 1;
                while (j < eol && s[j] != c)
                    j++;
                start = i + 1;
                end = j;
                i = j < eol ? j + 1 : eol;
            } else {
                while (i < eol && !(s[i] == ':' && (i + 1 == eol || blank(s[i + 1]))))
                    i++;
                end = i;
            }
            size_t k = i;
            while (k < eol && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (k < eol && s[k] == ':') {
                while (end > start && blank(s[end - 1]))
                    end--;
                key_add(ks, s + start, end - start);
            }
        }
        i = eol + 1;
    }
}

static bool ends_with(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n >= e && str_eq_nocase(name + n - e, ext);
}

/* The first character that is not blank, a comment line or a YAML
 * directive/document marker. */
static size_t first_content(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && blank(s[i]))
            i++;
        if (i < n && (s[i] == '#' || (s[i] == '%' && (i == 0 || s[i - 1] == '\n')) ||
                      (n - i >= 3 && memcmp(s + i, "---", 3) == 0))) {
            while (i < n && s[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    return i;
}

ssmc_host_kind ssmc_host_classify(const char *name, const char *data, size_t len)
{
    if (name && ends_with(name, ".tf"))
        return SSMC_HOST_TERRAFORM;
    keyset *ks = xmalloc(sizeof *ks); /* not zeroed: 16 KB per file, key_add ends each key */
    ks->count = 0;
    size_t first = first_content(data, len);
    if (first < len && data[first] == '{')
        scan_flow(data + first, len - first, ks);
    else
        scan_block(data, len, ks);
    ssmc_host_kind kind = SSMC_HOST_NONE;
    if (has(ks, "AWSTemplateFormatVersion") ||
        (has(ks, "Resources") && (strstr(data, "AWS::") || has(ks, "Transform"))))
        kind = SSMC_HOST_CLOUDFORMATION;
    else if (has(ks, "format_version") &&
             (has(ks, "planned_values") || has(ks, "resource_changes") || has(ks, "values")))
        kind = SSMC_HOST_TERRAFORM_PLAN;
    else if (has(ks, "schemaVersion") || has(ks, "mainSteps") || has(ks, "runtimeConfig") ||
             has(ks, "sessionType") || has(ks, "assumeRole") || has(ks, "templateBody"))
        kind = SSMC_HOST_DOCUMENT;
    else if (has(ks, "Targets") || has(ks, "ScheduleExpression") ||
             (has(ks, "Name") && (has(ks, "Parameters") || has(ks, "InstanceId") ||
                                  has(ks, "AssociationName") || has(ks, "DocumentVersion") ||
                                  ks->count == 1)))
        kind = SSMC_HOST_ASSOCIATION;
    else if (ks->count == 0 && strstr(data, "schemaVersion"))
        kind = SSMC_HOST_DOCUMENT; /* unreadable text that still names one */
    free(ks);
    return kind;
}

const char *ssmc_host_kind_name(ssmc_host_kind kind)
{
    switch (kind) {
    case SSMC_HOST_DOCUMENT: return "SSM document";
    case SSMC_HOST_ASSOCIATION: return "association";
    case SSMC_HOST_CLOUDFORMATION: return "CloudFormation template";
    case SSMC_HOST_TERRAFORM: return "Terraform configuration";
    case SSMC_HOST_TERRAFORM_PLAN: return "Terraform plan";
    case SSMC_HOST_NONE: break;
    }
    return "not an SSM document";
}
