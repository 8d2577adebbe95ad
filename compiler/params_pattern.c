/* params_pattern.c — allowedPattern: compiles (PCRE2, the fault mapped to the
 * file column), runs on Go RE2 and Java (no look-around, back-references,
 * possessive quantifiers, atomic groups, recursion), is anchored.
 *
 * Sources: agent framework/docparser/paramvalidator/allowedregex.go (Go
 * regexp, MatchString: unanchored search); User Guide parameter-troubleshooting
 * (Java regex at the API); spec section 2.5. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "params.h"
#include "refs.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct params_regex {
    pcre2_code *code;
    pcre2_match_context *mctx;
    size_t slot; /* its entry in the cache of compiled patterns, or NO_SLOT */
};

/* Compiled patterns by text and options. The same allowedPattern recurs
 * from document to document (InstanceId, region, S3 URL patterns...):
 * 1,915 compiles of the corpus run were 78 M of its instructions. A
 * compiled pattern is read-only once compiled, so one can serve any number
 * of holders; an entry in use (refs) is never evicted, a full cache of
 * entries in use compiles afresh. Keyed by the full text, so the language
 * server's edited pattern is a different key, never a stale hit. Bounded:
 * PATTERN_SLOTS entries of patterns up to PATTERN_MAX bytes. */
#define PATTERN_SLOTS 256
#define PATTERN_MAX 4096
#define NO_SLOT ((size_t)-1)
typedef struct cached_pattern {
    char *text;
    size_t len;
    uint32_t options, hash;
    unsigned refs;
    pcre2_code *code;
} cached_pattern;
static cached_pattern pattern_cache[PATTERN_SLOTS];
static size_t pattern_used, pattern_victim;

static uint32_t pattern_hash(const char *p, size_t len, uint32_t options)
{
    uint32_t h = 2166136261u ^ options;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

/* The compiled pattern and its slot (NO_SLOT: not cached, the caller's to
 * free); NULL when it does not compile (*err, *erroff set). */
static pcre2_code *compile_cached(const char *p, size_t len, uint32_t options, int *err, PCRE2_SIZE *erroff,
                                  size_t *slot)
{
    uint32_t h = pattern_hash(p, len, options);
    for (size_t i = 0; i < pattern_used; i++) {
        cached_pattern *c = &pattern_cache[i];
        if (c->hash == h && c->options == options && c->len == len && memcmp(c->text, p, len) == 0) {
            c->refs++;
            *slot = i;
            return c->code;
        }
    }
    *slot = NO_SLOT;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)p, len, options, err, erroff, NULL);
    if (!code || len > PATTERN_MAX)
        return code;
    size_t at = pattern_used;
    if (at == PATTERN_SLOTS) {
        for (size_t k = 0; k < PATTERN_SLOTS && at == PATTERN_SLOTS; k++) {
            size_t i = (pattern_victim + k) % PATTERN_SLOTS;
            if (pattern_cache[i].refs == 0)
                at = i;
        }
        if (at == PATTERN_SLOTS)
            return code;
        pattern_victim = (at + 1) % PATTERN_SLOTS;
        free(pattern_cache[at].text);
        pcre2_code_free(pattern_cache[at].code);
    } else {
        pattern_used++;
    }
    cached_pattern *c = &pattern_cache[at];
    c->text = xstrndup(p, len);
    c->len = len;
    c->options = options;
    c->hash = h;
    c->refs = 1;
    c->code = code;
    *slot = at;
    return code;
}

static void release_compiled(pcre2_code *code, size_t slot)
{
    if (slot == NO_SLOT)
        pcre2_code_free(code);
    else
        pattern_cache[slot].refs--;
}

/* One RE2-incompatible construct, or NULL. *at is its byte offset. */
static const char *unportable_construct(const char *p, size_t len, size_t *at)
{
    bool in_class = false;
    bool after_quant = false; /* the previous token was a quantifier */
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        bool quant = false;
        if (c == '\\' && i + 1 < len) {
            char e = p[i + 1];
            if (!in_class && e >= '1' && e <= '9') {
                *at = i;
                return "a back-reference (\\1)";
            }
            if (!in_class && (e == 'k' || e == 'g')) {
                *at = i;
                return "a back-reference (\\k or \\g)";
            }
            if (!in_class && e == 'Z') {
                *at = i;
                return "\\Z (RE2 has only \\z)";
            }
            i++;
            after_quant = false;
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = false;
            continue;
        }
        if (c == '[') {
            in_class = true;
            /* "[]" and "[^]" start with a literal ']'. */
            if (i + 1 < len && p[i + 1] == '^')
                i++;
            if (i + 1 < len && p[i + 1] == ']')
                i++;
            after_quant = false;
            continue;
        }
        if (c == '(' && i + 2 < len && p[i + 1] == '?') {
            char k = p[i + 2];
            *at = i;
            if (k == '=' || k == '!')
                return "a look-ahead ((?= or (?!)";
            if (k == '<' && i + 3 < len && (p[i + 3] == '=' || p[i + 3] == '!'))
                return "a look-behind ((?<= or (?<!)";
            if (k == '>')
                return "an atomic group ((?>)";
            if (k == 'R' || (k >= '0' && k <= '9') || k == '&')
                return "recursion ((?R)";
            if (k == '(')
                return "a conditional group ((?(...)";
            if (k == '|')
                return "a branch-reset group ((?|)";
        }
        if (c == '*' || c == '+' || c == '?' || c == '}') {
            if (after_quant && c == '+') {
                *at = i - 1;
                return "a possessive quantifier (*+, ++, ?+, {n}+)";
            }
            /* "??", "*?" are lazy quantifiers, which RE2 has; '?' after '(' is a group flag. */
            quant = !(c == '?' && after_quant);
        }
        after_quant = quant;
    }
    return NULL;
}

/* Leading "(" and "(?:" do not hide an anchor: "(^a|^b)$" and "^(a|b)$"
 * are both anchored. */
static bool anchored(const char *p, size_t len)
{
    size_t a = 0, b = len;
    while (a < b && p[a] == '(') {
        a++;
        if (a + 1 < b && p[a] == '?' && p[a + 1] == ':')
            a += 2;
    }
    while (b > a && p[b - 1] == ')')
        b--;
    bool start = (a < b && p[a] == '^') || (a + 1 < b && p[a] == '\\' && p[a + 1] == 'A');
    bool end = false;
    if (b > a && p[b - 1] == '$') {
        /* "\$" is a literal dollar. */
        size_t bs = 0;
        for (size_t i = b - 1; i > a && p[i - 1] == '\\'; i--)
            bs++;
        end = bs % 2 == 0;
    } else if (b >= a + 2 && p[b - 2] == '\\' && (p[b - 1] == 'z' || p[b - 1] == 'Z')) {
        end = true;
    }
    return start && end;
}

/* Automation validates parameters with Java's regex, where a hyphen right
 * after a class escape inside [...] is literal ([\w-.], AWS-managed
 * AWSConfigRemediation-DeleteSecret and others; spec section 1.3); PCRE2
 * calls it an invalid range. The copy escapes those hyphens. */
static char *java_class_hyphens(const char *p, size_t len, size_t *out_len)
{
    buf b;
    buf_init(&b);
    bool in_class = false;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == '\\' && i + 1 < len) {
            buf_add(&b, p + i, 2);
            char e = p[i + 1];
            i++;
            if (in_class && e && strchr("wdsWDS", e) && i + 2 < len && p[i + 1] == '-' &&
                p[i + 2] != ']') {
                buf_adds(&b, "\\-");
                i++;
            }
            continue;
        }
        if (c == '[' && !in_class)
            in_class = true;
        else if (c == ']' && in_class)
            in_class = false;
        buf_addc(&b, c);
    }
    *out_len = b.len;
    return buf_steal(&b);
}

params_regex *params_pattern_check(vctx *v, const char *param, const ssmc_node *pattern)
{
    const char *p = pattern->str;
    size_t len = pattern->len;
    bool java = v->kind == KIND_AUTOMATION || v->kind == KIND_CHANGE_TEMPLATE;
    size_t jlen = 0;
    char *jp = java ? java_class_hyphens(p, len, &jlen) : NULL;
    int err;
    PCRE2_SIZE erroff;
    /* Go's RE2 (the agent): '$' matches only at the very end of the value,
     * never before a final \n, so "abc\n" fails ^[a-z]+$ there too. Java
     * (Automation) lets '$' match before a final line terminator. */
    /* No auto-possessification: it changes no match result (only which
     * callouts run, and there are none), and it was two thirds of
     * compiling the corpus's 436 distinct patterns (1% of the run), which
     * are matched only against a default value or two. */
    uint32_t options = (java ? PCRE2_UTF : PCRE2_UTF | PCRE2_DOLLAR_ENDONLY) | PCRE2_NO_AUTO_POSSESS;
    size_t slot;
    pcre2_code *code = compile_cached(jp ? jp : p, jp ? jlen : len, options, &err, &erroff, &slot);
    free(jp);
    if (!code) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
            strcpy((char *)msg, "invalid pattern");
        size_t at = erroff < len ? erroff : len; /* the Java copy may be longer */
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3013, v->file,
                      refs_locate(v->source, pattern, at, at < len ? at + 1 : at),
                      "allowedPattern of parameter '%s' does not compile: %s (at character %zu "
                      "of the pattern); every value, the default included, would be rejected: correct "
                      "it, escaping literal ( ) [ ] { } . + * ? and \\ with a backslash",
                      param, (const char *)msg, utf8_count(p, at) + 1);
        return NULL;
    }
    size_t at = 0;
    /* Only SSM Agent (Command documents) matches with Go's RE2. */
    const char *construct = java ? NULL : unportable_construct(p, len, &at);
    if (construct)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3014, v->file,
                      refs_locate(v->source, pattern, at, at + 1),
                      "allowedPattern of parameter '%s' uses %s, which Go's RE2 (the agent) "
                      "cannot compile; the document would fail on the instance: rewrite it "
                      "without it, or check that part in the script instead",
                      param, construct);
    if (!anchored(p, len))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3015, v->file, pattern->span,
                      "allowedPattern of parameter '%s' is not anchored, so any value that merely "
                      "contains a match is accepted; write '^...$' around it",
                      param);
    params_regex *re = xcalloc(1, sizeof *re);
    re->code = code;
    re->slot = slot;
    re->mctx = pcre2_match_context_create(NULL);
    if (re->mctx) {
        /* Defaults are short, but a pattern can still backtrack forever. */
        pcre2_set_match_limit(re->mctx, 200000);
        pcre2_set_depth_limit(re->mctx, 2000);
    }
    return re;
}

/* One match data block for every pattern of the process, kept to the end:
 * pcre2_match keeps its backtracking frames in it, so they grow once to
 * what the deepest match needs instead of afresh (from mmap'd, untouched
 * pages) for every pattern of every document: a fresh block per match was
 * a quarter of the corpus run's page faults, one per pattern still a
 * fifth. Only the verdict is read, so one ovector pair does for any
 * pattern (a match that does not fit returns 0, still a match). */
static pcre2_match_data *shared_md;

int params_pattern_match(const params_regex *re, const char *s, size_t len)
{
    if (!shared_md && !(shared_md = pcre2_match_data_create(1, NULL)))
        ssmc_out_of_memory();
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, shared_md, re->mctx);
    if (rc >= 0)
        return 1;
    return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

void params_pattern_free(params_regex *re)
{
    if (!re)
        return;
    release_compiled(re->code, re->slot);
    pcre2_match_context_free(re->mctx);
    free(re);
}

int params_pattern_search(const char *pattern, uint32_t options, const char *s, size_t len, bool *compiled)
{
    int err;
    PCRE2_SIZE off;
    size_t slot;
    pcre2_code *re = compile_cached(pattern, strlen(pattern), options, &err, &off, &slot);
    *compiled = re != NULL;
    if (!re)
        return PCRE2_ERROR_NOMATCH;
    if (!shared_md && !(shared_md = pcre2_match_data_create(1, NULL)))
        ssmc_out_of_memory();
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, shared_md, NULL);
    release_compiled(re, slot);
    return rc;
}

/* Go's regexp MatchString: an unanchored search. RE2 and PCRE2 agree on
 * the syntax documents use; a pattern PCRE2 cannot compile is left to the
 * validation stage. Go's RE2: '$' matches only at the very end, never
 * before a final \n. */
bool params_pattern_matches(const char *pattern, const char *s, size_t len, bool *compiled)
{
    int rc = params_pattern_search(pattern, PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, s, len, compiled);
    return !*compiled || rc >= 0;
}
