/* refs.c — finding {{ ... }} tokens (see refs.h). */
#include "refs.h"

#include "internal.h"

#include <string.h>

bool refs_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool refs_has_double(const char *s, size_t len, char c)
{
    if (len < 2)
        return false;
    const char *end = s + len - 1;
    for (const char *p = s; (p = memchr(p, c, (size_t)(end - p))) != NULL; p++)
        if (p[1] == c)
            return true;
    return false;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

static ref_kind classify(const char *name, size_t len)
{
    if (len == 0)
        return REF_OTHER;
    bool alnum = true;
    for (size_t i = 0; i < len; i++)
        alnum = alnum && is_alnum(name[i]);
    if (alnum)
        return REF_PARAM;
    if (has_prefix(name, len, "ssm-secure:"))
        return REF_SSM_SECURE;
    if (has_prefix(name, len, "ssm:"))
        return REF_SSM;
    if (has_prefix(name, len, "resolve:"))
        return REF_RESOLVE;
    if (has_prefix(name, len, "automation:") || has_prefix(name, len, "global:"))
        return REF_AUTOMATION;
    /* Step.Output: two identifiers joined by a dot (Automation only). */
    const char *dot = memchr(name, '.', len);
    if (dot && dot != name && dot != name + len - 1) {
        bool ident = true;
        for (size_t i = 0; i < len; i++)
            ident = ident && (is_alnum(name[i]) || name[i] == '_' || name[i] == '-' ||
                              name + i == dot);
        if (ident)
            return REF_AUTOMATION;
    }
    return REF_OTHER;
}

/* \{\{ *ssm:[/\w.:-]+ *\}\} — spaces only, unlike document parameters. */
static bool agent_ssm_form(const char *tok, size_t len)
{
    size_t i = 2, end = len - 2;
    while (i < end && tok[i] == ' ')
        i++;
    if (!has_prefix(tok + i, end - i, "ssm:"))
        return false;
    i += 4;
    size_t start = i;
    while (i < end && (is_alnum(tok[i]) || strchr("/_.:-", tok[i])))
        i++;
    if (i == start)
        return false;
    while (i < end && tok[i] == ' ')
        i++;
    return i == end;
}

void refs_scan(const char *s, size_t len, ref_visit_fn fn, void *user)
{
    size_t i = 0;
    while (i + 1 < len) {
        const char *open = memchr(s + i, '{', len - i - 1);
        if (!open)
            return;
        size_t o = (size_t)(open - s);
        if (s[o + 1] != '{') {
            i = o + 1;
            continue;
        }
        /* "{{{ x }}}": the agent's regex {{\s*x\s*}} matches the innermost pair. */
        while (o + 2 < len && s[o + 2] == '{')
            o++;
        /* The closing braces: the first "}}" after the opening. */
        size_t c = o + 2;
        for (;;) {
            const char *close = c + 1 < len ? memchr(s + c, '}', len - c - 1) : NULL;
            if (!close)
                return;
            c = (size_t)(close - s);
            if (s[c + 1] == '}')
                break;
            c++;
        }
        /* "{{ a {{ b }}": an opening left unclosed is text; the agent's
         * {{\s*b\s*}} still matches the last opening before the "}}". */
        for (size_t k = c; k > o + 3; k--) {
            if (s[k - 1] == '{' && s[k - 2] == '{') {
                o = k - 2;
                break;
            }
        }
        ref_token t;
        t.start = o;
        t.end = c + 2;
        size_t a = o + 2, b = c;
        while (a < b && refs_is_space(s[a]))
            a++;
        while (b > a && refs_is_space(s[b - 1]))
            b--;
        t.name_start = a;
        t.name_len = b - a;
        t.kind = classify(s + a, b - a);
        t.agent_ssm_form = t.kind == REF_SSM && agent_ssm_form(s + o, t.end - o);
        if (!fn(&t, s, user))
            return;
        i = t.end;
    }
}

typedef struct whole_state {
    ref_token token;
    int count;
} whole_state;

static bool count_tokens(const ref_token *t, const char *s, void *user)
{
    (void)s;
    whole_state *w = user;
    if (w->count++ == 0)
        w->token = *t;
    return w->count < 2;
}

bool refs_whole_value(const char *s, size_t len, ref_token *token)
{
    whole_state w;
    memset(&w, 0, sizeof w);
    refs_scan(s, len, count_tokens, &w);
    if (w.count != 1 || w.token.start != 0 || w.token.end != len || w.token.kind != REF_PARAM)
        return false;
    if (token)
        *token = w.token;
    return true;
}

bool refs_looks_like_name(const char *name, size_t len)
{
    if (len == 0 || len > 128)
        return false;
    size_t i = 0;
    if (name[0] == '$')
        i = 1;
    if (i == len || !(is_alnum(name[i]) || name[i] == '_'))
        return false;
    for (; i < len; i++)
        if (!(is_alnum(name[i]) || name[i] == '_' || name[i] == '-'))
            return false;
    return true;
}

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len && refs_is_space(s[i]))
        i++;
    return i;
}

/* A word of letters and digits at i: its end, or i when there is none. */
static size_t word_end(const char *s, size_t len, size_t i)
{
    while (i < len && is_alnum(s[i]))
        i++;
    return i;
}

void refs_scan_typos(const char *s, size_t len, ref_typo_fn fn, void *user)
{
    for (size_t i = 0; i < len; i++) {
        const char *brace = memchr(s + i, '{', len - i); /* most text has none */
        if (!brace)
            return;
        i = (size_t)(brace - s);
        if (i > 0 && (s[i - 1] == '{' || s[i - 1] == '$'))
            continue;
        bool two = i + 1 < len && s[i + 1] == '{';
        if (two && i + 2 < len && s[i + 2] == '{')
            continue;
        size_t ns = skip_spaces(s, len, i + (two ? 2 : 1));
        size_t ne = word_end(s, len, ns);
        if (ne == ns)
            continue;
        size_t c = skip_spaces(s, len, ne);
        size_t closing = 0;
        while (c + closing < len && s[c + closing] == '}')
            closing++;
        /* {{name} and {name}}: exactly one brace missing, nothing else. */
        if (closing + (two ? 2 : 1) != 3)
            continue;
        ref_typo t = {two ? REF_TYPO_NO_CLOSE : REF_TYPO_NO_OPEN, i, c + closing, ns, ne - ns};
        if (!fn(&t, s, user))
            return;
        i = t.end - 1;
    }
}

static bool quoted_style(const ssmc_node *n)
{
    return n->style == SSMC_STYLE_SINGLE_QUOTED || n->style == SSMC_STYLE_DOUBLE_QUOTED ||
           (n->style == SSMC_STYLE_JSON && n->type == SSMC_NODE_STRING);
}

/* Source offset of decoded byte `off`, or (size_t)-1 when it cannot be
 * mapped exactly. The decoded text up to `off` must be spelled literally in
 * the source: that check is what makes the mapping safe for every style. */
static size_t map_offset(const ssmc_source *src, const ssmc_node *n, size_t off)
{
    const size_t none = (size_t)-1;
    size_t node_start = n->span.start, node_end = n->span.end;
    if (node_end > src->len || node_start > node_end || off > n->len)
        return none;
    if (n->style == SSMC_STYLE_LITERAL) {
        /* Line k of the decoded text is the tail of source line start+1+k
         * (the block's indentation stripped). */
        size_t line_begin = off, k = 0;
        while (line_begin > 0 && n->str[line_begin - 1] != '\n')
            line_begin--;
        for (size_t i = 0; i < line_begin; i++)
            k += n->str[i] == '\n';
        const char *nl = memchr(n->str + line_begin, '\n', n->len - line_begin);
        size_t dec_len = (nl ? (size_t)(nl - n->str) : n->len) - line_begin;
        size_t src_len;
        uint32_t first_line = ssmc_source_pos(src, n->span.start).line;
        const char *line = ssmc_source_line(src, first_line + 1 + (uint32_t)k, &src_len);
        if (src_len < dec_len || memcmp(line + src_len - dec_len, n->str + line_begin, dec_len) != 0)
            return none;
        return (size_t)(line - src->data) + (src_len - dec_len) + (off - line_begin);
    }
    size_t content = node_start + (quoted_style(n) ? 1 : 0);
    if (content + off > node_end || memchr(n->str, '\n', off))
        return none;
    if (memcmp(src->data + content, n->str, off) != 0)
        return none;
    return content + off;
}

ssmc_loc refs_locate(const ssmc_source *source, const ssmc_node *scalar, size_t start,
                     size_t end)
{
    if (!source || !scalar || !ssmc_node_is_scalar(scalar) || start > end)
        return loc_of_node(scalar);
    size_t a = map_offset(source, scalar, start);
    size_t b = map_offset(source, scalar, end);
    if (a == (size_t)-1)
        return scalar->span;
    if (b == (size_t)-1 || b < a)
        b = a;
    return loc_between(a, b);
}
