/* terraform.c — Terraform configuration (.tf): a scanner for the two
 * resource types that hold SSM documents, not an HCL implementation.
 *
 * The grammar subset it reads (anything else inside those resources is one
 * SSM1120 info, never an error):
 *
 *   file      := { resource | other-block | attribute }
 *   resource  := 'resource' STRING STRING '{' body '}'
 *   body      := { IDENT '=' expr | IDENT '{' body '}' }
 *   expr      := STRING | HEREDOC | NUMBER | 'true' | 'false' | 'null'
 *              | '[' [expr {',' expr} [',']] ']'
 *              | '{' { key ('='|':') expr [','] } '}'
 *              | 'file' '(' path ')' | 'templatefile' '(' path ',' object ')'
 *              | reference (a.b.c) | any other call (not understood)
 *   path      := STRING, optionally starting with "${path.module}/"
 *   HEREDOC   := '<<' ['-'] IDENT NL lines IDENT   (<<- strips the common indentation)
 *
 * Only aws_ssm_document (content, document_type, document_format, name)
 * and aws_ssm_association (name, schedule_expression, targets, parameters,
 * output_location, max_concurrency, max_errors, ...) are read; other blocks
 * are skipped by brace matching. Templates: in a heredoc or a
 * templatefile() file, ${...} is Terraform's (a ${NAME} that is no
 * reference is reported, written $${NAME} for the shell) and $${ and %%{
 * are read back as ${ and %{; a file() is read as it is.
 *
 * Sources: Terraform language documentation (Strings and Templates,
 * heredoc strings, file and templatefile functions); AWS provider
 * documentation of aws_ssm_document and aws_ssm_association. */
#include "iac.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TF_MAX_DEPTH 64

typedef struct tf {
    ssmc_sources *sources;
    ssmc_host *host;
    const ssmc_config *config;
    ssmc_diags *diags;
    uint32_t file;
    const char *s;
    size_t n, i;
    ssmc_arena *arena;
    bool not_understood;   /* one SSM1120 per resource */
} tf;

/* Values read by the scanner: a tree of ssmc_nodes in the host's arena,
 * plus what the node does not say (how a content value is written). */
typedef enum tf_form { TF_PLAIN, TF_HEREDOC, TF_FILE, TF_TEMPLATEFILE, TF_REFERENCE, TF_OTHER } tf_form;

typedef struct tf_value {
    ssmc_node *node;       /* NULL for TF_OTHER */
    tf_form form;
    size_t start, end;     /* bytes of the whole expression */
    iac_text text;         /* TF_HEREDOC: the body with its map */
    const ssmc_node *vars; /* TF_TEMPLATEFILE: the variables object */
    bool indented;         /* <<- */
} tf_value;

static ssmc_node *mk(tf *t, ssmc_node_type type, size_t a, size_t b)
{
    ssmc_node *n = arena_alloc(t->arena, sizeof *n);
    n->type = type;
    n->style = type == SSMC_NODE_MAP || type == SSMC_NODE_SEQ ? SSMC_STYLE_FLOW
                                                              : SSMC_STYLE_DOUBLE_QUOTED;
    n->file = t->file;
    n->span = loc_between(a, b);
    return n;
}

static void set_str(tf *t, ssmc_node *n, const char *s, size_t len)
{
    n->str = arena_strndup(t->arena, s, len);
    n->len = len;
}

/* --- lexing ---------------------------------------------------------- */

static void skip_space(tf *t, bool newlines)
{
    while (t->i < t->n) {
        char c = t->s[t->i];
        if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
            t->i++;
        } else if (c == '#' || (c == '/' && t->i + 1 < t->n && t->s[t->i + 1] == '/')) {
            while (t->i < t->n && t->s[t->i] != '\n')
                t->i++;
        } else if (c == '/' && t->i + 1 < t->n && t->s[t->i + 1] == '*') {
            const char *e = NULL;
            for (size_t k = t->i + 2; k + 1 < t->n; k++)
                if (t->s[k] == '*' && t->s[k + 1] == '/') {
                    e = t->s + k;
                    break;
                }
            t->i = e ? (size_t)(e - t->s) + 2 : t->n;
        } else {
            break;
        }
    }
}

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

static size_t read_ident(tf *t)
{
    size_t a = t->i;
    while (t->i < t->n && ident_char(t->s[t->i]))
        t->i++;
    return t->i - a;
}

static bool peek(const tf *t, char c) { return t->i < t->n && t->s[t->i] == c; }

/* A quoted string from t->i ('"'): decoded into out (escapes; ${ } and
 * %{ } kept as written, they are templates). */
static bool read_string(tf *t, iac_text *out)
{
    size_t i = t->i + 1;
    int depth = 0; /* inside ${ ... } a '"' does not end the string */
    while (i < t->n && t->s[i] != '\n') {
        char c = t->s[i];
        if (depth == 0 && c == '"') {
            t->i = i + 1;
            return true;
        }
        if ((c == '$' || c == '%') && i + 1 < t->n && t->s[i + 1] == '{' &&
            !(i > 0 && t->s[i - 1] == c)) {
            depth++;
            iac_text_add(out, t->s + i, 2, i, i + 2);
            i += 2;
            continue;
        }
        if (depth && c == '}')
            depth--;
        if (c == '\\' && i + 1 < t->n) {
            char e = t->s[i + 1], d = 0;
            switch (e) {
            case 'n': d = '\n'; break;
            case 't': d = '\t'; break;
            case 'r': d = '\r'; break;
            case '"': d = '"'; break;
            case '\\': d = '\\'; break;
            default: break;
            }
            if (d) {
                iac_text_add(out, &d, 1, i, i + 2);
                i += 2;
                continue;
            }
        }
        iac_text_add(out, &c, 1, i, i + 1);
        i++;
    }
    t->i = i;
    return false;
}

/* <<EOF / <<-EOF at t->i: the body lines up to the closing marker. */
static bool read_heredoc(tf *t, tf_value *v)
{
    size_t i = t->i + 2;
    v->indented = i < t->n && t->s[i] == '-';
    if (v->indented)
        i++;
    size_t ma = i;
    while (i < t->n && ident_char(t->s[i]))
        i++;
    size_t mlen = i - ma;
    if (!mlen)
        return false;
    while (i < t->n && t->s[i] != '\n')
        i++;
    if (i >= t->n)
        return false;
    i++;
    /* lines [body, end) */
    size_t body = i, end = SIZE_MAX, after = t->n;
    for (size_t ls = i; ls < t->n;) {
        size_t le = ls;
        while (le < t->n && t->s[le] != '\n')
            le++;
        size_t k = ls;
        while (k < le && (t->s[k] == ' ' || t->s[k] == '\t'))
            k++;
        size_t te = le;
        if (te > k && t->s[te - 1] == '\r')
            te--;
        if (te - k == mlen && memcmp(t->s + k, t->s + ma, mlen) == 0) {
            end = ls;
            after = le;
            break;
        }
        ls = le + 1;
    }
    if (end == SIZE_MAX)
        return false;
    /* <<-: the smallest indentation of the non-blank lines goes */
    size_t strip = 0;
    if (v->indented) {
        strip = SIZE_MAX;
        for (size_t ls = body; ls < end;) {
            size_t le = ls;
            while (le < end && t->s[le] != '\n')
                le++;
            size_t k = ls;
            while (k < le && (t->s[k] == ' ' || t->s[k] == '\t'))
                k++;
            if (k < le && t->s[k] != '\r' && k - ls < strip)
                strip = k - ls;
            ls = le + 1;
        }
        if (strip == SIZE_MAX)
            strip = 0;
    }
    iac_text_init(&v->text);
    for (size_t ls = body; ls < end;) {
        size_t le = ls;
        while (le < end && t->s[le] != '\n')
            le++;
        size_t k = ls;
        for (size_t c = 0; c < strip && k < le && (t->s[k] == ' ' || t->s[k] == '\t'); c++)
            k++;
        for (size_t p = k; p <= le && p < end; p++)
            iac_text_add(&v->text, t->s + p, 1, p, p + 1);
        ls = le + 1;
    }
    v->form = TF_HEREDOC;
    t->i = after;
    return true;
}

static void not_understood(tf *t, size_t a, size_t b, const char *what)
{
    if (t->not_understood)
        return;
    t->not_understood = true;
    ssmc_diag_add(t->diags, SSMC_RULE_SSM1120, t->file, loc_between(a, b),
                  "ssmc's Terraform scanner does not read %s; this value is not checked "
                  "(a plan from 'terraform show -json' is read exactly)", what);
}

/* Consumes a string or a heredoc at t->i, so that the brackets and commas
 * inside it do not count for the caller's nesting; false (nothing consumed)
 * when t->i starts neither. */
static bool skip_quoted(tf *t, bool heredocs)
{
    char c = t->s[t->i];
    if (c == '"') {
        iac_text junk;
        iac_text_init(&junk);
        read_string(t, &junk);
        iac_text_free(&junk);
        return true;
    }
    if (heredocs && c == '<' && t->i + 1 < t->n && t->s[t->i + 1] == '<') {
        tf_value v;
        memset(&v, 0, sizeof v);
        if (read_heredoc(t, &v)) {
            iac_text_free(&v.text);
            return true;
        }
    }
    return false;
}

/* Skips a balanced expression up to the end of its line (or a ',' / '}' /
 * ']' at depth 0). */
static void skip_expr(tf *t)
{
    int depth = 0;
    while (t->i < t->n) {
        if (skip_quoted(t, true))
            continue;
        char c = t->s[t->i];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0)
                return;
            depth--;
        } else if (depth == 0 && (c == '\n' || c == ',')) {
            return;
        }
        t->i++;
    }
}

static bool read_expr(tf *t, tf_value *v, size_t depth);

static void read_body(tf *t, ssmc_node *map, size_t depth);

/* '{' key = expr ... '}' as a MAP. */
static ssmc_node *read_object(tf *t, size_t depth)
{
    size_t a = t->i;
    t->i++;
    ssmc_node *map = mk(t, SSMC_NODE_MAP, a, a + 1);
    ssmc_pair *pairs = NULL;
    size_t count = 0, cap = 0;
    for (;;) {
        skip_space(t, true);
        if (t->i >= t->n || peek(t, '}'))
            break;
        size_t ka = t->i;
        iac_text key;
        iac_text_init(&key);
        if (peek(t, '"')) {
            read_string(t, &key);
        } else {
            size_t len = read_ident(t);
            if (!len) {
                iac_text_free(&key);
                skip_expr(t);
                if (peek(t, ','))
                    t->i++;
                else if (!peek(t, '}'))
                    t->i++;
                continue;
            }
            iac_text_add(&key, t->s + ka, len, ka, ka + len);
        }
        size_t kb = t->i;
        skip_space(t, false);
        if (peek(t, '=') || peek(t, ':'))
            t->i++;
        skip_space(t, false);
        tf_value v;
        memset(&v, 0, sizeof v);
        read_expr(t, &v, depth + 1);
        iac_text_free(&v.text);
        ssmc_node *k = mk(t, SSMC_NODE_STRING, ka, kb);
        set_str(t, k, key.text.data, key.text.len);
        iac_text_free(&key);
        if (v.node) {
            GROW(pairs, cap, count + 1);
            pairs[count++] = (ssmc_pair){k, v.node, 0};
        }
        skip_space(t, false);
        if (peek(t, ','))
            t->i++;
    }
    size_t b = t->i < t->n ? t->i + 1 : t->n;
    t->i = b;
    map->span = loc_between(a, b);
    map->pairs = arena_alloc(t->arena, (count ? count : 1) * sizeof *pairs);
    if (count)
        memcpy(map->pairs, pairs, count * sizeof *pairs);
    map->count = count;
    free(pairs);
    return map;
}

static ssmc_node *read_list(tf *t, size_t depth)
{
    size_t a = t->i;
    t->i++;
    ssmc_node **items = NULL;
    size_t count = 0, cap = 0;
    for (;;) {
        skip_space(t, true);
        if (t->i >= t->n || peek(t, ']'))
            break;
        size_t before = t->i;
        tf_value v;
        memset(&v, 0, sizeof v);
        read_expr(t, &v, depth + 1);
        iac_text_free(&v.text);
        if (v.node) {
            GROW(items, cap, count + 1);
            items[count++] = v.node;
        }
        skip_space(t, true);
        if (peek(t, ','))
            t->i++;
        else if (t->i == before)
            t->i++;
    }
    size_t b = t->i < t->n ? t->i + 1 : t->n;
    t->i = b;
    ssmc_node *seq = mk(t, SSMC_NODE_SEQ, a, b);
    seq->items = arena_alloc(t->arena, (count ? count : 1) * sizeof *items);
    if (count)
        memcpy(seq->items, items, count * sizeof *items);
    seq->count = count;
    free(items);
    return seq;
}

/* file("p") / templatefile("p", {...}): the path node and the variables. */
static bool read_call(tf *t, tf_value *v, size_t name_len, size_t depth)
{
    size_t a = t->i - name_len;
    bool file = name_len == 4 && memcmp(t->s + a, "file", 4) == 0;
    bool tmpl = name_len == 12 && memcmp(t->s + a, "templatefile", 12) == 0;
    t->i++; /* ( */
    skip_space(t, true);
    if ((file || tmpl) && peek(t, '"')) {
        size_t pa = t->i;
        iac_text path;
        iac_text_init(&path);
        read_string(t, &path);
        v->node = mk(t, SSMC_NODE_STRING, pa, t->i);
        set_str(t, v->node, path.text.data, path.text.len);
        iac_text_free(&path);
        skip_space(t, true);
        if (tmpl && peek(t, ',')) {
            t->i++;
            skip_space(t, true);
            if (peek(t, '{'))
                v->vars = read_object(t, depth + 1);
            else
                skip_expr(t);
            skip_space(t, true);
        }
        if (peek(t, ')')) {
            t->i++;
            v->form = file ? TF_FILE : TF_TEMPLATEFILE;
            return true;
        }
    }
    /* jsonencode({...}), yamlencode, format, ...: skipped whole */
    t->i = a + name_len;
    int d = 0;
    while (t->i < t->n) {
        if (skip_quoted(t, false))
            continue;
        char c = t->s[t->i];
        if (c == '(' || c == '[' || c == '{')
            d++;
        else if (c == ')' || c == ']' || c == '}')
            if (--d <= 0 && c == ')') {
                t->i++;
                break;
            }
        t->i++;
    }
    v->node = NULL;
    v->form = TF_OTHER;
    return true;
}

static bool read_expr(tf *t, tf_value *v, size_t depth)
{
    skip_space(t, false);
    v->start = t->i;
    v->form = TF_PLAIN;
    if (depth > TF_MAX_DEPTH || t->i >= t->n) {
        skip_expr(t);
        v->form = TF_OTHER;
        v->end = t->i;
        return false;
    }
    char c = t->s[t->i];
    if (c == '"') {
        iac_text text;
        iac_text_init(&text);
        read_string(t, &text);
        v->node = mk(t, SSMC_NODE_STRING, v->start, t->i);
        set_str(t, v->node, text.text.data, text.text.len);
        v->text = text;
    } else if (c == '<' && t->i + 1 < t->n && t->s[t->i + 1] == '<' && read_heredoc(t, v)) {
        v->node = mk(t, SSMC_NODE_STRING, v->start, t->i);
        set_str(t, v->node, v->text.text.data, v->text.text.len);
        v->node->style = SSMC_STYLE_LITERAL;
    } else if (c == '[') {
        v->node = read_list(t, depth);
    } else if (c == '{') {
        v->node = read_object(t, depth);
    } else if (isdigit((unsigned char)c) || c == '-') {
        size_t a = t->i;
        t->i++;
        while (t->i < t->n && (isalnum((unsigned char)t->s[t->i]) || t->s[t->i] == '.'))
            t->i++;
        char num[32];
        size_t len = t->i - a < sizeof num - 1 ? t->i - a : sizeof num - 1;
        memcpy(num, t->s + a, len);
        num[len] = '\0';
        char *end;
        errno = 0;
        long long x = strtoll(num, &end, 10);
        if (!*end && !errno) {
            v->node = mk(t, SSMC_NODE_INT, a, t->i);
            v->node->val.i = x;
        } else {
            v->node = mk(t, SSMC_NODE_FLOAT, a, t->i);
            v->node->val.f = strtod(num, NULL);
        }
        set_str(t, v->node, t->s + a, t->i - a);
        v->node->style = SSMC_STYLE_PLAIN;
    } else if (ident_char(c)) {
        size_t a = t->i;
        size_t len = read_ident(t);
        if (peek(t, '(')) {
            read_call(t, v, len, depth);
        } else if ((len == 4 && memcmp(t->s + a, "true", 4) == 0) ||
                   (len == 5 && memcmp(t->s + a, "false", 5) == 0)) {
            v->node = mk(t, SSMC_NODE_BOOL, a, t->i);
            v->node->val.b = len == 4;
            set_str(t, v->node, t->s + a, len);
            v->node->style = SSMC_STYLE_PLAIN;
        } else if (len == 4 && memcmp(t->s + a, "null", 4) == 0) {
            v->node = NULL;
        } else {
            /* a reference: a.b[0].c */
            while (t->i < t->n && (ident_char(t->s[t->i]) || t->s[t->i] == '.' ||
                                   t->s[t->i] == '[' || t->s[t->i] == ']' || t->s[t->i] == '*'))
                t->i++;
            v->node = mk(t, SSMC_NODE_STRING, a, t->i);
            set_str(t, v->node, t->s + a, t->i - a);
            v->node->style = SSMC_STYLE_PLAIN;
            v->form = TF_REFERENCE;
        }
        skip_space(t, false);
        if (t->i < t->n && strchr("?+*/%<>=!&|", t->s[t->i]) && !peek(t, '\n')) {
            /* an operator: a conditional or arithmetic expression */
            skip_expr(t);
            v->node = NULL;
            v->form = TF_OTHER;
        }
    } else {
        skip_expr(t);
        v->node = NULL;
        v->form = TF_OTHER;
    }
    v->end = t->i;
    return true;
}

/* Attributes and nested blocks of a block body, into map (blocks of the
 * same name become a list, as Terraform's JSON form has them). */
static void read_body(tf *t, ssmc_node *map, size_t depth)
{
    ssmc_pair *pairs = NULL;
    size_t count = 0, cap = 0;
    while (t->i < t->n) {
        skip_space(t, true);
        if (t->i >= t->n || peek(t, '}'))
            break;
        size_t ka = t->i, len = read_ident(t);
        if (!len) {
            skip_expr(t);
            if (t->i == ka)
                t->i++;
            continue;
        }
        ssmc_node *k = mk(t, SSMC_NODE_STRING, ka, ka + len);
        set_str(t, k, t->s + ka, len);
        skip_space(t, false);
        ssmc_node *value = NULL;
        if (peek(t, '=')) {
            t->i++;
            tf_value v;
            memset(&v, 0, sizeof v);
            read_expr(t, &v, depth + 1);
            value = v.node;
            if (v.form == TF_HEREDOC || v.form == TF_FILE || v.form == TF_TEMPLATEFILE ||
                v.form == TF_OTHER || v.form == TF_REFERENCE) {
                /* remembered on the key node's tag: how the value is written */
                static const char *const forms[] = {"", "heredoc", "file", "templatefile",
                                                    "reference", "other"};
                k->tag = forms[v.form];
                if (v.form == TF_OTHER) {
                    value = mk(t, SSMC_NODE_NULL, v.start, v.end);
                }
                if (v.form == TF_TEMPLATEFILE && v.vars) {
                    /* the variables follow the path as a second pair */
                    GROW(pairs, cap, count + 2);
                    pairs[count++] = (ssmc_pair){k, value, 0};
                    ssmc_node *vk = mk(t, SSMC_NODE_STRING, ka, ka + len);
                    set_str(t, vk, "\x01vars", 5);
                    pairs[count++] = (ssmc_pair){vk, (ssmc_node *)v.vars, 0};
                    iac_text_free(&v.text);
                    continue;
                }
            }
            iac_text_free(&v.text);
        } else if (peek(t, '{')) {
            size_t a = t->i;
            t->i++;
            ssmc_node *block = mk(t, SSMC_NODE_MAP, a, a + 1);
            if (depth < TF_MAX_DEPTH)
                read_body(t, block, depth + 1);
            if (peek(t, '}'))
                t->i++;
            block->span = loc_between(a, t->i);
            /* repeated blocks (targets { } targets { }) gather in a list */
            ssmc_node *list = NULL;
            for (size_t j = 0; j < count; j++)
                if (strcmp(pairs[j].key->str, k->str) == 0 && pairs[j].value->type == SSMC_NODE_SEQ)
                    list = pairs[j].value;
            if (list) {
                ssmc_node **items = arena_alloc(t->arena, (list->count + 1) * sizeof *items);
                memcpy(items, list->items, list->count * sizeof *items);
                items[list->count++] = block;
                list->items = items;
                continue;
            }
            value = mk(t, SSMC_NODE_SEQ, a, t->i);
            value->items = arena_alloc(t->arena, sizeof *value->items);
            value->items[0] = block;
            value->count = 1;
        } else {
            skip_expr(t);
            continue;
        }
        if (!value)
            continue;
        GROW(pairs, cap, count + 1);
        pairs[count++] = (ssmc_pair){k, value, 0};
    }
    map->pairs = arena_alloc(t->arena, (count ? count : 1) * sizeof *pairs);
    if (count)
        memcpy(map->pairs, pairs, count * sizeof *pairs);
    map->count = count;
    free(pairs);
}

/* --- templates ------------------------------------------------------- */

static bool simple_name(const char *s, size_t len)
{
    if (!len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return false;
    return true;
}

static bool in_vars(const ssmc_node *vars, const char *s, size_t len)
{
    for (size_t i = 0; vars && vars->type == SSMC_NODE_MAP && i < vars->count; i++) {
        const ssmc_node *k = vars->pairs[i].key;
        if (k->len == len && memcmp(k->str, s, len) == 0)
            return true;
    }
    return false;
}

/* Reads a Terraform template back as the text the document will hold:
 * $${ and %%{ become ${ and %{; ${...} is Terraform's and stays as a
 * placeholder; a ${NAME} that is no reference (no dot, not a templatefile
 * variable) is a shell variable Terraform would fail on (SSM1122). */
/* $${ and %%{: a literal ${ or %{. */
static size_t tf_escape_keep(const char *s, size_t n, size_t i)
{
    return (s[i] == '$' || s[i] == '%') && i + 2 < n && s[i + 1] == s[i] && s[i + 2] == '{'
               ? i + 1
               : SIZE_MAX;
}

typedef struct tf_read_back_ctx {
    const ssmc_source *host;
    ssmc_diags *diags;
    uint32_t host_file;
    const ssmc_node *vars;
    bool templatefile;
} tf_read_back_ctx;

static bool tf_reported(void *ctx, const iac_text *in, size_t at, size_t close, const char *name,
                        size_t len)
{
    tf_read_back_ctx *rc = ctx;
    if (!simple_name(name, len) || in_vars(rc->vars, name, len))
        return false;
    ssmc_span span = span_from_offsets(rc->host, in->map.start[at], in->map.end[close]);
    ssmc_diag *d = ssmc_diag_add(
        rc->diags, SSMC_RULE_SSM1122, rc->host_file, span,
        "'${%.*s}' is a Terraform template interpolation here, and '%.*s' is %s, so "
        "Terraform fails; for the shell's variable write '$${%.*s}'",
        (int)len, name, (int)len, name,
        rc->templatefile ? "not among the templatefile() variables"
                         : "no Terraform reference (var.x, local.x, ...)",
        (int)len, name);
    d->hint = xasprintf("$${%.*s}", (int)len, name);
    return true;
}

void tf_template_read_back(const ssmc_sources *sources, ssmc_diags *diags, uint32_t host_file,
                           const iac_text *in, const ssmc_node *vars, bool templatefile,
                           iac_text *out)
{
    tf_read_back_ctx ctx = {ssmc_sources_get(sources, host_file), diags, host_file, vars,
                            templatefile};
    /* "~" is the strip marker of ${~ name ~} */
    iac_interpolation how = {tf_escape_keep, " ~", tf_reported, &ctx};
    iac_read_back(in, &how, out);
}

/* --- resources ------------------------------------------------------- */

static ssmc_node *body_get(const ssmc_node *map, const char *key)
{
    return map ? ssmc_map_get(map, key) : NULL;
}

static const ssmc_pair *body_pair(const ssmc_node *map, const char *key)
{
    return map ? ssmc_map_get_pair(map, key) : NULL;
}

/* The directory of a file name, for file() paths relative to the module. */
static char *dir_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    return slash ? xstrndup(name, (size_t)(slash - name)) : xstrdup(".");
}

/* The file a file()/templatefile() names, read as a source of its own;
 * *known when the run already holds it (a document found by the same
 * directory walk, checked as an input of its own). */
static uint32_t read_module_file(tf *t, const ssmc_node *path_node, bool *known)
{
    *known = false;
    const char *p = path_node->str;
    if (strncmp(p, "${path.module}/", 15) == 0)
        p += 15;
    else if (strncmp(p, "./", 2) == 0)
        p += 2;
    if (strstr(p, "${")) {
        not_understood(t, path_node->span.start, path_node->span.end,
                       "a file path built from other values");
        return UINT32_MAX;
    }
    char *dir = dir_of(ssmc_sources_get(t->sources, t->file)->name);
    char *full = p[0] == '/' ? xstrdup(p) : strcmp(dir, ".") == 0 ? xstrdup(p)
                                                                   : xasprintf("%s/%s", dir, p);
    free(dir);
    for (uint32_t i = 0; i < t->sources->count; i++)
        if (strcmp(t->sources->items[i]->name, full) == 0 && !t->sources->items[i]->embedded) {
            free(full);
            *known = true;
            return i;
        }
    /* a regular file only: a path to a FIFO or a device would block or
     * never end */
    struct stat st;
    const char *why = NULL;
    FILE *f = NULL;
    if (stat(full, &st) != 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "it is not a regular file";
    else if (!(f = fopen(full, "rb")))
        why = strerror(errno);
    if (!f) {
        ssmc_diag_add(t->diags, SSMC_RULE_SSM1123, t->file, loc_of_node(path_node),
                      "the document file '%s' cannot be read: %s", full, why);
        free(full);
        return UINT32_MAX;
    }
    buf b;
    buf_init(&b);
    char chunk[4096];
    size_t got, limit = ssmc_limits_default().max_file_bytes;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= limit)
        buf_add(&b, chunk, got);
    fclose(f);
    size_t len = b.len;
    uint32_t file = ssmc_sources_add(t->sources, full, buf_steal(&b), len);
    free(full);
    return file;
}

static bool looks_json(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    return i < n && s[i] == '{';
}

static void content_format(tf *t, const ssmc_node *format, const char *text, size_t len,
                           const ssmc_node *at)
{
    const char *f = format && format->type == SSMC_NODE_STRING ? format->str : "JSON";
    if (!looks_json(text, len) && strcmp(f, "JSON") == 0)
        ssmc_diag_add(t->diags, SSMC_RULE_SSM1121, t->file, loc_of_node(at),
                      "content is a YAML document but document_format is %s; SSM reads it as "
                      "JSON and fails: set document_format = \"YAML\"",
                      format ? "\"JSON\"" : "not set (JSON by default)");
}

static void document_resource(tf *t, const char *address, ssmc_node *body, size_t a, size_t b)
{
    ssmc_embedded *e = iac_add_item(t->host, SSMC_EMBEDDED_DOCUMENT, address, loc_between(a, b));
    const ssmc_node *type = body_get(body, "document_type");
    e->document_type = xstrdup(type && type->type == SSMC_NODE_STRING && !type->tag ? type->str
                                                                                    : "Command");
    const ssmc_pair *content = body_pair(body, "content");
    const ssmc_node *format = body_get(body, "document_format");
    if (format && format->type != SSMC_NODE_STRING)
        format = NULL;
    if (!content)
        return;
    const char *form = content->key->tag ? content->key->tag : "";
    ssmc_node *v = content->value;
    iac_text text, back;
    iac_text_init(&back);
    uint32_t file = UINT32_MAX;
    if (strcmp(form, "heredoc") == 0 || (!*form && v->type == SSMC_NODE_STRING)) {
        t->i = v->span.start;
        tf_value hv;
        memset(&hv, 0, sizeof hv);
        if (*form) {
            read_heredoc(t, &hv);
            text = hv.text;
        } else {
            iac_text_init(&text);
            read_string(t, &text);
        }
        tf_template_read_back(t->sources, t->diags, t->file, &text, NULL, false, &back);
        iac_text_free(&text);
        content_format(t, format, back.text.data, back.text.len, v);
        file = iac_text_to_source(t->sources, t->file, &back);
    } else if (strcmp(form, "file") == 0 || strcmp(form, "templatefile") == 0) {
        bool known;
        uint32_t src = read_module_file(t, v, &known);
        if (src == UINT32_MAX || (known && strcmp(form, "file") == 0)) {
            iac_text_free(&back);
            return;
        }
        const ssmc_source *fs = ssmc_sources_get(t->sources, src);
        content_format(t, format, fs->data, fs->len, v);
        if (strcmp(form, "file") == 0) {
            file = src;
        } else {
            iac_text_init(&text);
            for (size_t k = 0; k < fs->len; k++)
                iac_text_add(&text, fs->data + k, 1, k, k + 1);
            tf_template_read_back(t->sources, t->diags, src, &text,
                                  body_get(body, "\x01vars"), true, &back);
            iac_text_free(&text);
            file = iac_text_to_source(t->sources, src, &back);
        }
    } else {
        not_understood(t, v->span.start, v->span.end,
                       "this form of content (only a string, a heredoc, file() and "
                       "templatefile() are read)");
    }
    iac_text_free(&back);
    if (file == UINT32_MAX)
        return;
    ssmc_diags loaded = {.sources = t->sources};
    e->document = iac_load_embedded(t->sources, file, &loaded);
    for (size_t k = 0; k < loaded.count; k++) {
        GROW(t->diags->items, t->diags->cap, t->diags->count + 1);
        t->diags->items[t->diags->count++] = loaded.items[k];
    }
    free(loaded.items);
}

/* --- associations: Terraform's attribute names to CreateAssociation's - */

typedef struct api_build {
    ssmc_arena *arena;
    ssmc_pair *pairs;
    size_t count, cap;
} api_build;

static ssmc_node *api_node(ssmc_arena *arena, ssmc_node_type type, const ssmc_node *like)
{
    ssmc_node *n = arena_alloc(arena, sizeof *n);
    n->type = type;
    n->style = SSMC_STYLE_FLOW;
    n->file = like->file;
    n->span = like->span;
    return n;
}

static ssmc_node *api_key(ssmc_arena *arena, const ssmc_node *like, const char *name)
{
    ssmc_node *k = api_node(arena, SSMC_NODE_STRING, like);
    k->style = SSMC_STYLE_PLAIN;
    k->str = arena_strdup(arena, name);
    k->len = strlen(name);
    return k;
}

static ssmc_node *api_map(ssmc_arena *arena, const ssmc_node *like, ssmc_pair *pairs, size_t n)
{
    ssmc_node *m = api_node(arena, SSMC_NODE_MAP, like);
    m->pairs = arena_alloc(arena, (n ? n : 1) * sizeof *pairs);
    if (n)
        memcpy(m->pairs, pairs, n * sizeof *pairs);
    m->count = n;
    return m;
}

/* Maps a block list [{a = .., b = ..}] (or a single object) to a mapping
 * with renamed keys. */
static ssmc_node *api_object(ssmc_arena *arena, const ssmc_node *v, const char *const *names)
{
    if (v->type == SSMC_NODE_SEQ && v->count == 1)
        v = v->items[0];
    if (v->type != SSMC_NODE_MAP)
        return NULL;
    ssmc_pair pairs[16];
    size_t n = 0;
    for (size_t i = 0; i < v->count && n < 16; i++)
        for (size_t j = 0; names[j]; j += 2)
            if (strcmp(v->pairs[i].key->str, names[j]) == 0 && v->pairs[i].value->type != SSMC_NODE_NULL)
                pairs[n++] = (ssmc_pair){api_key(arena, v->pairs[i].key, names[j + 1]),
                                         v->pairs[i].value, 0};
    return api_map(arena, v, pairs, n);
}

static const char *const scalar_fields[] = {
    "name", "Name", "schedule_expression", "ScheduleExpression",
    "association_name", "AssociationName", "document_version", "DocumentVersion",
    "instance_id", "InstanceId", "max_concurrency", "MaxConcurrency",
    "max_errors", "MaxErrors", "compliance_severity", "ComplianceSeverity",
    "apply_only_at_cron_interval", "ApplyOnlyAtCronInterval",
    "automation_target_parameter_name", "AutomationTargetParameterName",
    "sync_compliance", "SyncCompliance", "calendar_names", "CalendarNames",
    "schedule_offset", "ScheduleOffset", "duration", "Duration", NULL};
static const char *const target_fields[] = {"key", "Key", "values", "Values", NULL};
static const char *const s3_fields[] = {"s3_bucket_name", "OutputS3BucketName",
                                        "s3_key_prefix", "OutputS3KeyPrefix",
                                        "s3_region", "OutputS3Region", NULL};

/* The CreateAssociation mapping of an aws_ssm_association's attributes
 * (its .tf body or its planned values). */
ssmc_node *tf_association_api(ssmc_arena *arena, const ssmc_node *attrs)
{
    ssmc_pair pairs[32];
    size_t n = 0;
    for (size_t i = 0; i < attrs->count && n < 30; i++) {
        const ssmc_node *k = attrs->pairs[i].key;
        ssmc_node *v = attrs->pairs[i].value;
        if (!k->str || v->type == SSMC_NODE_NULL ||
            (k->tag && strcmp(k->tag, "other") == 0))
            continue;
        if (k->tag && strcmp(k->tag, "reference") == 0 && strcmp(k->str, "name") != 0)
            continue; /* a value only Terraform knows */
        for (size_t j = 0; scalar_fields[j]; j += 2)
            if (strcmp(k->str, scalar_fields[j]) == 0)
                pairs[n++] = (ssmc_pair){api_key(arena, k, scalar_fields[j + 1]), v, 0};
        if (strcmp(k->str, "targets") == 0 && v->type == SSMC_NODE_SEQ) {
            ssmc_node *list = api_node(arena, SSMC_NODE_SEQ, v);
            list->items = arena_alloc(arena, (v->count ? v->count : 1) * sizeof *list->items);
            for (size_t j = 0; j < v->count; j++) {
                ssmc_node *o = api_object(arena, v->items[j], target_fields);
                if (o)
                    list->items[list->count++] = o;
            }
            pairs[n++] = (ssmc_pair){api_key(arena, k, "Targets"), list, 0};
        } else if (strcmp(k->str, "parameters") == 0 && v->type == SSMC_NODE_MAP) {
            /* map(string): the provider sends each value as a one-item list */
            ssmc_node *m = api_node(arena, SSMC_NODE_MAP, v);
            m->pairs = arena_alloc(arena, (v->count ? v->count : 1) * sizeof *m->pairs);
            for (size_t j = 0; j < v->count; j++) {
                ssmc_node *one = api_node(arena, SSMC_NODE_SEQ, v->pairs[j].value);
                one->items = arena_alloc(arena, sizeof *one->items);
                one->items[0] = v->pairs[j].value;
                one->count = 1;
                m->pairs[m->count++] = (ssmc_pair){v->pairs[j].key, one, 0};
            }
            pairs[n++] = (ssmc_pair){api_key(arena, k, "Parameters"), m, 0};
        } else if (strcmp(k->str, "output_location") == 0) {
            ssmc_node *s3 = api_object(arena, v, s3_fields);
            if (s3) {
                ssmc_pair p = {api_key(arena, k, "S3Location"), s3, 0};
                pairs[n++] = (ssmc_pair){api_key(arena, k, "OutputLocation"),
                                         api_map(arena, v, &p, 1), 0};
            }
        }
    }
    return api_map(arena, attrs, pairs, n);
}

static void association_resource(tf *t, const char *address, ssmc_node *body, size_t a, size_t b)
{
    ssmc_embedded *e = iac_add_item(t->host, SSMC_EMBEDDED_ASSOCIATION, address, loc_between(a, b));
    ssmc_node *api = tf_association_api(t->arena, body);
    ssmc_pair *name = ssmc_map_get_pair(api, "Name");
    const ssmc_pair *tfname = body_pair(body, "name");
    if (name && tfname && tfname->key->tag && strcmp(tfname->key->tag, "reference") == 0) {
        /* aws_ssm_document.X.name: the document X of this file */
        const char *ref = name->value->str;
        e->name_is_value = true;
        if (strncmp(ref, "aws_ssm_document.", 17) == 0) {
            const char *x = ref + 17, *dot = strchr(x, '.');
            size_t xl = dot ? (size_t)(dot - x) : strlen(x);
            for (size_t i = 0; i < t->host->count; i++) {
                ssmc_embedded *d = &t->host->items[i];
                if (d->kind == SSMC_EMBEDDED_DOCUMENT && strlen(d->resource) == 17 + xl &&
                    strncmp(d->resource + 17, x, xl) == 0 && d->document && d->document->root) {
                    e->names_document = d->document->root;
                    ssmc_node *nn = api_node(t->arena, SSMC_NODE_STRING, name->value);
                    nn->str = arena_strndup(t->arena, x, xl);
                    nn->len = xl;
                    name->value = nn;
                }
            }
        }
        if (!e->names_document) {
            ssmc_node *nn = api_node(t->arena, SSMC_NODE_STRING, name->value);
            nn->str = "TerraformValue";
            nn->len = 14;
            name->value = nn;
        }
    }
    e->document = iac_borrow(t->host->tree, api);
    e->borrowed = true;
}

/* --- the file ---------------------------------------------------------- */

/* Skips a block from its '{' to the matching '}'. */
static void skip_block(tf *t)
{
    int depth = 0;
    while (t->i < t->n) {
        skip_space(t, true);
        if (t->i >= t->n)
            break;
        if (skip_quoted(t, true))
            continue;
        char c = t->s[t->i];
        t->i++;
        if (c == '{')
            depth++;
        else if (c == '}' && --depth <= 0)
            return;
    }
}

static ssmc_document *new_tree(uint32_t file)
{
    ssmc_document *d = xcalloc(1, sizeof *d);
    d->file = file;
    d->arena = arena_new();
    d->syntax_ok = true;
    return d;
}

void terraform_extract(ssmc_sources *sources, ssmc_host *host, const ssmc_config *config,
                       ssmc_diags *diags)
{
    const ssmc_source *src = ssmc_sources_get(sources, host->file);
    host->tree = new_tree(host->file);
    tf t = {sources, host, config, diags, host->file, src->data, src->len, 0,
            host->tree->arena, false};
    /* Documents first (so that associations find them), then associations. */
    for (int pass = 0; pass < 2; pass++) {
        t.i = 0;
        while (t.i < t.n) {
            skip_space(&t, true);
            if (t.i >= t.n)
                break;
            size_t start = t.i, len = read_ident(&t);
            if (!len) {
                if (peek(&t, '{'))
                    skip_block(&t);
                else
                    t.i++;
                continue;
            }
            bool resource = len == 8 && memcmp(t.s + start, "resource", 8) == 0;
            char labels[2][128];
            size_t nl = 0;
            for (;;) {
                skip_space(&t, false);
                if (!peek(&t, '"'))
                    break;
                iac_text l;
                iac_text_init(&l);
                read_string(&t, &l);
                if (nl < 2)
                    snprintf(labels[nl++], sizeof labels[0], "%.*s", (int)l.text.len,
                             l.text.data ? l.text.data : "");
                iac_text_free(&l);
            }
            skip_space(&t, false);
            if (!peek(&t, '{')) {
                skip_expr(&t); /* name = value at the top (a .tfvars-like line) */
                continue;
            }
            bool doc = resource && nl == 2 && strcmp(labels[0], "aws_ssm_document") == 0;
            bool assoc = resource && nl == 2 && strcmp(labels[0], "aws_ssm_association") == 0;
            if ((pass == 0 && doc) || (pass == 1 && assoc)) {
                t.i++;
                ssmc_node *body = mk(&t, SSMC_NODE_MAP, start, t.i);
                t.not_understood = false;
                read_body(&t, body, 0);
                size_t after = t.i < t.n ? t.i + 1 : t.n;
                char address[300];
                snprintf(address, sizeof address, "%s.%s", labels[0], labels[1]);
                if (doc)
                    document_resource(&t, address, body, start, after);
                else
                    association_resource(&t, address, body, start, after);
                t.i = after;
            } else {
                skip_block(&t);
            }
        }
    }
}

/* --- plans --------------------------------------------------------------- */

static void plan_module(tf *t, const ssmc_node *module, int pass, size_t depth)
{
    if (!module || module->type != SSMC_NODE_MAP || depth > 32)
        return;
    const ssmc_node *resources = ssmc_map_get(module, "resources");
    for (size_t i = 0; resources && resources->type == SSMC_NODE_SEQ && i < resources->count; i++) {
        const ssmc_node *r = resources->items[i];
        const ssmc_node *type = ssmc_map_get(r, "type"), *addr = ssmc_map_get(r, "address");
        ssmc_node *values = ssmc_map_get(r, "values");
        if (!type || type->type != SSMC_NODE_STRING || !values || values->type != SSMC_NODE_MAP)
            continue;
        const char *address = addr && addr->type == SSMC_NODE_STRING ? addr->str : type->str;
        if (pass == 0 && strcmp(type->str, "aws_ssm_document") == 0) {
            ssmc_embedded *e = iac_add_item(t->host, SSMC_EMBEDDED_DOCUMENT, address, r->span);
            const ssmc_node *dt = ssmc_map_get(values, "document_type");
            e->document_type = xstrdup(dt && dt->type == SSMC_NODE_STRING ? dt->str : "Command");
            const ssmc_node *content = ssmc_map_get(values, "content");
            if (!content || content->type != SSMC_NODE_STRING)
                continue;
            const ssmc_node *format = ssmc_map_get(values, "document_format");
            content_format(t, format && format->type == SSMC_NODE_STRING ? format : NULL,
                           content->str, content->len, content);
            iac_text text;
            iac_text_of_scalar(ssmc_sources_get(t->sources, t->file), content, &text);
            uint32_t file = iac_text_to_source(t->sources, t->file, &text);
            iac_text_free(&text);
            ssmc_diags loaded = {.sources = t->sources};
            e->document = iac_load_embedded(t->sources, file, &loaded);
            for (size_t k = 0; k < loaded.count; k++) {
                GROW(t->diags->items, t->diags->cap, t->diags->count + 1);
                t->diags->items[t->diags->count++] = loaded.items[k];
            }
            free(loaded.items);
            /* the document's name, for associations that name it */
            const ssmc_node *name = ssmc_map_get(values, "name");
            if (name && name->type == SSMC_NODE_STRING) {
                free(e->resource);
                e->resource = xasprintf("%s", name->str);
            }
        } else if (pass == 1 && strcmp(type->str, "aws_ssm_association") == 0) {
            ssmc_embedded *e = iac_add_item(t->host, SSMC_EMBEDDED_ASSOCIATION, address, r->span);
            ssmc_node *api = tf_association_api(t->arena, values);
            const ssmc_node *name = ssmc_map_get(api, "Name");
            for (size_t k = 0; name && name->type == SSMC_NODE_STRING && k < t->host->count; k++) {
                ssmc_embedded *d = &t->host->items[k];
                if (d->kind == SSMC_EMBEDDED_DOCUMENT && strcmp(d->resource, name->str) == 0 &&
                    d->document && d->document->root)
                    e->names_document = d->document->root;
            }
            e->document = iac_borrow(t->host->tree, api);
            e->borrowed = true;
        }
    }
    const ssmc_node *children = ssmc_map_get(module, "child_modules");
    for (size_t i = 0; children && children->type == SSMC_NODE_SEQ && i < children->count; i++)
        plan_module(t, children->items[i], pass, depth + 1);
}

void tfplan_extract(ssmc_sources *sources, ssmc_host *host, const ssmc_config *config,
                    ssmc_diags *diags)
{
    host->tree = ssmc_load(sources, host->file, NULL, diags);
    if (!host->tree->root || !host->tree->syntax_ok || host->tree->root->type != SSMC_NODE_MAP)
        return;
    const ssmc_source *src = ssmc_sources_get(sources, host->file);
    tf t = {sources, host, config, diags, host->file, src->data, src->len, 0,
            host->tree->arena, false};
    const ssmc_node *pv = ssmc_map_get(host->tree->root, "planned_values");
    if (!pv)
        pv = ssmc_map_get(host->tree->root, "values"); /* terraform show -json of a state */
    const ssmc_node *root_module = pv && pv->type == SSMC_NODE_MAP ? ssmc_map_get(pv, "root_module") : NULL;
    for (int pass = 0; pass < 2; pass++)
        plan_module(&t, root_module, pass, 0);
    /* Plan document resources are named by their document name (above);
     * give them back their addresses. */
    (void)config;
}
