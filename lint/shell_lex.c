/* shell_lex.c — just enough of sh and PowerShell lexing to tell code from
 * comments, quoted strings and here-documents, so that rules do not fire
 * on `# yum install foo` or on text a heredoc writes to a file. */
#include "lint.h"

#include <stdlib.h>
#include <string.h>

static bool sh_word_break(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' ||
           c == ')' || c == '<' || c == '>';
}

typedef struct heredoc {
    char delim[128];
    size_t len;
    bool strip_tabs;
} heredoc;

/* Parses the delimiter word after "<<" or "<<-" at i; returns its end. */
static size_t parse_heredoc_word(const char *s, size_t len, size_t i, heredoc *h)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    h->len = 0;
    while (i < len && !sh_word_break(s[i])) {
        char c = s[i];
        if (c == '\'' || c == '"') {
            char q = c;
            i++;
            while (i < len && s[i] != q && s[i] != '\n') {
                if (h->len < sizeof h->delim - 1)
                    h->delim[h->len++] = s[i];
                i++;
            }
            if (i < len && s[i] == q)
                i++;
            continue;
        }
        if (c == '\\') {
            i++;
            continue;
        }
        if (h->len < sizeof h->delim - 1)
            h->delim[h->len++] = c;
        i++;
    }
    h->delim[h->len] = '\0';
    return i;
}

/* Marks s[from, to) as comment or here-document text: its kind, and in
 * the code view (when there is one) blanks in place of its bytes but its
 * line breaks. Marking here, where the lexer knows the extent, spares a
 * second pass over every byte's kind. */
static void mark_blank(const char *s, unsigned char *k, char *code, size_t from, size_t to,
                       unsigned char kind)
{
    memset(k + from, kind, to - from);
    if (!code || to <= from)
        return;
    memset(code + from, ' ', to - from);
    for (const char *nl = memchr(s + from, '\n', to - from); nl;
         nl = memchr(nl + 1, '\n', (size_t)(s + to - nl - 1)))
        code[nl - s] = '\n';
}

/* The bytes lex_shell acts on; most of a script is none of them, and the
 * lexer skips those a byte per step. */
static const bool sh_special[256] = {['\\'] = true, ['\''] = true, ['"'] = true,
                                     ['#'] = true,  ['<'] = true,  ['\n'] = true};

static void lex_shell(const char *s, size_t len, unsigned char *k, char *code)
{
    heredoc pending[8];
    size_t npending = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && !sh_special[(unsigned char)s[i]])
            i++;
        if (i >= len)
            break;
        char c = s[i];
        if (c == '\\') {
            i += 2;
            continue;
        }
        if (c == '\'') {
            const char *q = i + 1 < len ? memchr(s + i + 1, '\'', len - i - 1) : NULL;
            size_t e = q ? (size_t)(q - s) + 1 : len;
            memset(k + i, SHLEX_SQUOTE, e - i);
            i = e;
            continue;
        }
        if (c == '"') {
            size_t j = i + 1;
            while (j < len && s[j] != '"')
                j += s[j] == '\\' ? 2 : 1;
            size_t e = j < len ? j + 1 : len;
            memset(k + i, SHLEX_DQUOTE, e - i);
            i = e;
            continue;
        }
        if (c == '#' && (i == 0 || sh_word_break(s[i - 1]))) {
            const char *nl = memchr(s + i, '\n', len - i);
            size_t j = nl ? (size_t)(nl - s) : len;
            mark_blank(s, k, code, i, j, SHLEX_COMMENT);
            i = j;
            continue;
        }
        if (c == '<' && i + 1 < len && s[i + 1] == '<' && (i + 2 >= len || s[i + 2] != '<')) {
            heredoc h;
            size_t j = i + 2;
            h.strip_tabs = j < len && s[j] == '-';
            if (h.strip_tabs)
                j++;
            j = parse_heredoc_word(s, len, j, &h);
            if (h.len && npending < sizeof pending / sizeof pending[0])
                pending[npending++] = h;
            i = j;
            continue;
        }
        if (c == '\n' && npending) {
            size_t j = i + 1;
            for (size_t p = 0; p < npending && j < len; p++) {
                /* Body lines up to and including the delimiter line. */
                while (j < len) {
                    size_t e = j;
                    while (e < len && s[e] != '\n')
                        e++;
                    size_t b = j;
                    if (pending[p].strip_tabs)
                        while (b < e && s[b] == '\t')
                            b++;
                    bool last = e - b == pending[p].len &&
                                memcmp(s + b, pending[p].delim, pending[p].len) == 0;
                    mark_blank(s, k, code, j, e, SHLEX_HEREDOC);
                    j = e < len ? e + 1 : len;
                    if (last)
                        break;
                }
            }
            npending = 0;
            i = j;
            continue;
        }
        i++;
    }
}

/* The bytes lex_powershell acts on. */
static const bool ps_special[256] = {['`'] = true, ['<'] = true, ['#'] = true,
                                     ['@'] = true, ['\''] = true, ['"'] = true};

static void lex_powershell(const char *s, size_t len, unsigned char *k, char *code)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && !ps_special[(unsigned char)s[i]])
            i++;
        if (i >= len)
            break;
        char c = s[i];
        if (c == '`') {
            i += 2;
            continue;
        }
        if (c == '<' && i + 1 < len && s[i + 1] == '#') {
            size_t j = i + 2;
            while (j + 1 < len && !(s[j] == '#' && s[j + 1] == '>'))
                j++;
            size_t e = j + 1 < len ? j + 2 : len;
            mark_blank(s, k, code, i, e, SHLEX_COMMENT);
            i = e;
            continue;
        }
        if (c == '#') {
            const char *nl = memchr(s + i, '\n', len - i);
            size_t j = nl ? (size_t)(nl - s) : len;
            mark_blank(s, k, code, i, j, SHLEX_COMMENT);
            i = j;
            continue;
        }
        if (c == '@' && i + 1 < len && (s[i + 1] == '"' || s[i + 1] == '\'')) {
            /* Here-string: up to a line starting with "@ or '@. */
            char q = s[i + 1];
            size_t j = i + 2;
            while (j + 1 < len && !(s[j] == '\n' && j + 2 < len && s[j + 1] == q && s[j + 2] == '@'))
                j++;
            size_t e = j + 3 <= len ? j + 3 : len;
            memset(k + i, q == '"' ? SHLEX_DQUOTE : SHLEX_SQUOTE, e - i);
            i = e;
            continue;
        }
        if (c == '\'' || c == '"') {
            size_t j = i + 1;
            while (j < len) {
                if (s[j] == c && j + 1 < len && s[j + 1] == c) {
                    j += 2;
                    continue;
                }
                if (s[j] == c)
                    break;
                j += (c == '"' && s[j] == '`') ? 2 : 1;
            }
            size_t e = j < len ? j + 1 : len;
            memset(k + i, c == '"' ? SHLEX_DQUOTE : SHLEX_SQUOTE, e - i);
            i = e;
            continue;
        }
        i++;
    }
}

void shell_lex_run(const char *s, size_t len, bool powershell, shell_lex *lex, char *code)
{
    lex->len = len;
    lex->kind = xcalloc(len + 1, 1);
    if (powershell)
        lex_powershell(s, len, lex->kind, code);
    else
        lex_shell(s, len, lex->kind, code);
}

void shell_lex_free(shell_lex *lex)
{
    free(lex->kind);
    lex->kind = NULL;
}
