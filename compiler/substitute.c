/* substitute.c — {{ name }} and {{ssm:name}} substitution, reproduced from
 * the agent (agent/framework/docparser/parameters/parameters.go,
 * agent/framework/docparser/parameterstore; spec §3.1, §3.2).
 *
 * Agent facts reproduced here:
 * - A string that is exactly "{{ NAME }}" (RE2 \s* inside, nothing
 *   outside; NAME matching ^[a-zA-Z0-9]+$) is replaced by the value with
 *   its type (isSingleParameterString).
 * - Otherwise each {{\s*NAME\s*}} is replaced by the value's string form:
 *   strings verbatim, anything else as Go's json.Marshal (convertToString).
 * - The replacement goes through Go's regexp ReplaceAllString, so the value
 *   is a template: "$$" becomes "$", "$0"/"${0}" the matched token, and
 *   "$name"/"${name}"/"$1" the empty string (the regexp has no groups).
 * - Only values are walked; map keys are kept as they are.
 * - The agent replaces parameter by parameter in Go map order, so a value
 *   that itself contains a token may or may not be expanded again; ssmc
 *   does one left-to-right pass, which is what every order gives when no
 *   value contains a token (validation flags the others).
 */
#include "plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- nodes -------------------------------------------------------------- */

ssmc_node *node_new(ssmc_arena *arena, ssmc_node_type type)
{
    ssmc_node *n = arena_alloc(arena, sizeof *n);
    n->type = type;
    n->style = SSMC_STYLE_ANY;
    n->span = SSMC_NO_LOC; /* made, not read: no place in a source */
    n->str = "";
    return n;
}

ssmc_node *node_new_string(ssmc_arena *arena, const char *s, size_t len)
{
    ssmc_node *n = node_new(arena, SSMC_NODE_STRING);
    /* A node's length is 32 bits. Only substitution can make a longer
     * string (millions of references to a long value); it is cut there
     * rather than given a wrapped length. */
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    n->str = arena_strndup(arena, s, len);
    n->len = (uint32_t)len;
    return n;
}

ssmc_node *node_from_json(ssmc_arena *arena, const json_t *v)
{
    ssmc_node *n;
    char tmp[64];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        n = node_new(arena, SSMC_NODE_MAP);
        size_t count = json_object_size(v);
        n->pairs = arena_alloc(arena, (count ? count : 1) * sizeof *n->pairs);
        const char *key;
        json_t *item;
        json_object_foreach((json_t *)v, key, item) {
            n->pairs[n->count].key = node_new_string(arena, key, strlen(key));
            n->pairs[n->count].value = node_from_json(arena, item);
            n->count++;
        }
        return n;
    }
    case JSON_ARRAY: {
        n = node_new(arena, SSMC_NODE_SEQ);
        size_t count = json_array_size(v);
        n->items = arena_alloc(arena, (count ? count : 1) * sizeof *n->items);
        for (size_t i = 0; i < count; i++)
            n->items[n->count++] = node_from_json(arena, json_array_get(v, i));
        return n;
    }
    case JSON_STRING:
        return node_new_string(arena, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        n = node_new(arena, SSMC_NODE_INT);
        n->val.i = json_integer_value(v);
        snprintf(tmp, sizeof tmp, "%lld", (long long)n->val.i);
        n->str = arena_strdup(arena, tmp);
        n->len = strlen(tmp);
        return n;
    case JSON_REAL:
        n = node_new(arena, SSMC_NODE_FLOAT);
        n->val.f = json_real_value(v);
        snprintf(tmp, sizeof tmp, "%.17g", n->val.f);
        n->str = arena_strdup(arena, tmp);
        n->len = strlen(tmp);
        return n;
    case JSON_TRUE:
    case JSON_FALSE:
        n = node_new(arena, SSMC_NODE_BOOL);
        n->val.b = json_is_true(v);
        n->str = n->val.b ? "true" : "false";
        n->len = strlen(n->str);
        return n;
    default:
        return node_new(arena, SSMC_NODE_NULL);
    }
}

/* A float written as digits (not .inf or .nan): its text is the value. */
static bool written_number(const ssmc_node *n)
{
    if (!n->str || !n->len)
        return false;
    char c = n->str[n->str[0] == '-' || n->str[0] == '+' ? 1 : 0];
    return c >= '0' && c <= '9';
}

json_t *node_to_json(const ssmc_node *n)
{
    switch (n->type) {
    case SSMC_NODE_NULL: return json_null();
    case SSMC_NODE_BOOL: return json_boolean(n->val.b);
    case SSMC_NODE_INT: return json_integer((json_int_t)n->val.i);
    case SSMC_NODE_FLOAT:
        /* A number too large for a double (1E+400) is kept as written,
         * never turned into null; NaN has no JSON form: null. */
        if (!isfinite(n->val.f) && written_number(n))
            return json_stringn_nocheck(n->str, n->len);
        return isfinite(n->val.f) ? json_real(n->val.f) : json_null();
    case SSMC_NODE_STRING: return json_stringn_nocheck(n->str, n->len);
    case SSMC_NODE_SEQ: {
        json_t *a = json_array();
        for (size_t i = 0; i < n->count; i++)
            json_array_append_new(a, node_to_json(n->items[i]));
        return a;
    }
    case SSMC_NODE_MAP: {
        json_t *o = json_object();
        for (size_t i = 0; i < n->count; i++)
            json_object_setn_new_nocheck(o, n->pairs[i].key->str, n->pairs[i].key->len,
                                         node_to_json(n->pairs[i].value));
        return o;
    }
    }
    return json_null();
}

bool node_equal(const ssmc_node *a, const ssmc_node *b)
{
    if (a->type != b->type) {
        if ((a->type == SSMC_NODE_INT || a->type == SSMC_NODE_FLOAT) &&
            (b->type == SSMC_NODE_INT || b->type == SSMC_NODE_FLOAT)) {
            double x = a->type == SSMC_NODE_INT ? (double)a->val.i : a->val.f;
            double y = b->type == SSMC_NODE_INT ? (double)b->val.i : b->val.f;
            return x == y;
        }
        return false;
    }
    switch (a->type) {
    case SSMC_NODE_NULL: return true;
    case SSMC_NODE_BOOL: return a->val.b == b->val.b;
    case SSMC_NODE_INT: return a->val.i == b->val.i;
    case SSMC_NODE_FLOAT: return a->val.f == b->val.f;
    case SSMC_NODE_STRING: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    case SSMC_NODE_SEQ:
        if (a->count != b->count)
            return false;
        for (size_t i = 0; i < a->count; i++)
            if (!node_equal(a->items[i], b->items[i]))
                return false;
        return true;
    case SSMC_NODE_MAP:
        if (a->count != b->count)
            return false;
        for (size_t i = 0; i < a->count; i++) {
            const ssmc_pair *p = &a->pairs[i];
            bool found = false;
            for (size_t j = 0; j < b->count && !found; j++)
                if (node_equal(p->key, b->pairs[j].key)) {
                    if (!node_equal(p->value, b->pairs[j].value))
                        return false;
                    found = true;
                }
            if (!found)
                return false;
        }
        return true;
    }
    return false;
}

/* --- Go's json.Marshal ---------------------------------------------------- */

/* strconv.AppendFloat(f, 'f' or 'e', -1, 64) as encoding/json's
 * floatEncoder uses it: 'e' below 1e-6 and from 1e21, with "e-07" shortened
 * to "e-7". */
static void go_float(buf *out, double f)
{
    if (!isfinite(f)) {
        buf_adds(out, "null"); /* json.Marshal fails; the agent logs and gets "" */
        return;
    }
    char e_form[48];
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(e_form, sizeof e_form, "%.*e", prec - 1, f);
        if (strtod(e_form, NULL) == f)
            break;
    }
    double a = fabs(f);
    if (a != 0 && (a < 1e-6 || a >= 1e21)) {
        /* mantissa digits without trailing zeros, exponent without padding
         * beyond two digits */
        char *e = strchr(e_form, 'e');
        int exp10 = atoi(e + 1);
        buf_add(out, e_form, (size_t)(e - e_form));
        buf_printf(out, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
        if (out->len >= 4 && out->data[out->len - 4] == 'e' && out->data[out->len - 3] == '-' &&
            out->data[out->len - 2] == '0') {
            out->data[out->len - 2] = out->data[out->len - 1];
            out->len--;
            out->data[out->len] = '\0';
        }
        return;
    }
    int exp10 = atoi(strchr(e_form, 'e') + 1);
    int decimals = prec - 1 - exp10;
    buf_printf(out, "%.*f", decimals > 0 ? decimals : 0, f);
}

static void go_string(buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    buf_addc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_adds(out, "\\\""); continue;
        case '\\': buf_adds(out, "\\\\"); continue;
        case '\b': buf_adds(out, "\\b"); continue;
        case '\f': buf_adds(out, "\\f"); continue;
        case '\n': buf_adds(out, "\\n"); continue;
        case '\r': buf_adds(out, "\\r"); continue;
        case '\t': buf_adds(out, "\\t"); continue;
        default: break;
        }
        if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            buf_adds(out, "\\u00");
            buf_addc(out, hex[c >> 4]);
            buf_addc(out, hex[c & 15]);
        } else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
            buf_adds(out, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
            i += 2;
        } else {
            buf_addc(out, (char)c);
        }
    }
    buf_addc(out, '"');
}

static int cmp_pair_keys(const void *a, const void *b)
{
    const ssmc_pair *x = *(const ssmc_pair *const *)a, *y = *(const ssmc_pair *const *)b;
    size_t n = x->key->len < y->key->len ? x->key->len : y->key->len;
    int c = memcmp(x->key->str, y->key->str, n);
    if (c)
        return c;
    return x->key->len < y->key->len ? -1 : x->key->len > y->key->len;
}

void sub_go_json(buf *out, const ssmc_node *v)
{
    switch (v->type) {
    case SSMC_NODE_NULL: buf_adds(out, "null"); return;
    case SSMC_NODE_BOOL: buf_adds(out, v->val.b ? "true" : "false"); return;
    /* The agent holds every number as float64 (it decoded JSON). */
    case SSMC_NODE_INT: go_float(out, (double)v->val.i); return;
    case SSMC_NODE_FLOAT:
        if (!isfinite(v->val.f) && written_number(v))
            buf_add(out, v->str, v->len); /* 1E+400: as written, never null */
        else
            go_float(out, v->val.f);
        return;
    case SSMC_NODE_STRING: go_string(out, v->str, v->len); return;
    case SSMC_NODE_SEQ:
        buf_addc(out, '[');
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                buf_addc(out, ',');
            sub_go_json(out, v->items[i]);
        }
        buf_addc(out, ']');
        return;
    case SSMC_NODE_MAP: {
        const ssmc_pair **sorted = xmalloc((v->count ? v->count : 1) * sizeof *sorted);
        for (size_t i = 0; i < v->count; i++)
            sorted[i] = &v->pairs[i];
        qsort(sorted, v->count, sizeof *sorted, cmp_pair_keys);
        buf_addc(out, '{');
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                buf_addc(out, ',');
            go_string(out, sorted[i]->key->str, sorted[i]->key->len);
            buf_addc(out, ':');
            sub_go_json(out, sorted[i]->value);
        }
        buf_addc(out, '}');
        free(sorted);
        return;
    }
    }
}

void sub_string_form(buf *out, const ssmc_node *v)
{
    if (v->type == SSMC_NODE_STRING)
        buf_add(out, v->str, v->len);
    else
        sub_go_json(out, v);
}

/* --- tokens ------------------------------------------------------------- */

/* RE2's \s: [\t\n\f\r ] (no \v). */
static bool re2_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* {{\s*NAME\s*}} at s+i for a declared NAME: its parameter and end. */
static const sub_param *token_at(const char *s, size_t len, size_t i, const sub_param *params,
                                 size_t count, size_t *end)
{
    if (i + 1 >= len || s[i] != '{' || s[i + 1] != '{')
        return NULL;
    size_t j = i + 2;
    while (j < len && re2_space(s[j]))
        j++;
    size_t name = j;
    while (j < len && alnum(s[j]))
        j++;
    size_t name_len = j - name;
    if (name_len == 0)
        return NULL;
    while (j < len && re2_space(s[j]))
        j++;
    if (j + 1 >= len || s[j] != '}' || s[j + 1] != '}')
        return NULL;
    for (size_t k = 0; k < count; k++) {
        if (strlen(params[k].name) == name_len && memcmp(params[k].name, s + name, name_len) == 0) {
            *end = j + 2;
            return &params[k];
        }
    }
    return NULL;
}

const sub_param *sub_whole_token(const char *s, size_t len, const sub_param *params, size_t count)
{
    size_t end;
    const sub_param *p = token_at(s, len, 0, params, count, &end);
    return p && end == len ? p : NULL;
}

bool sub_has_token(const char *s, size_t len, const sub_param *params, size_t count)
{
    for (size_t i = 0; i + 1 < len; i++) {
        size_t end;
        if (s[i] == '{' && token_at(s, len, i, params, count, &end))
            return true;
    }
    return false;
}

static bool go_name_char(unsigned char c)
{
    /* unicode.IsLetter/IsDigit or '_'; bytes of non-ASCII characters are
     * taken as letters (nearly all non-ASCII in values is text). */
    return alnum((char)c) || c == '_' || c >= 0x80;
}

/* Go's Regexp.Expand of template with one match (group 0) and no other
 * groups. */
static void go_expand(buf *out, const char *t, size_t tlen, const char *match, size_t mlen)
{
    size_t i = 0;
    while (i < tlen) {
        const char *dollar = memchr(t + i, '$', tlen - i);
        if (!dollar) {
            buf_add(out, t + i, tlen - i);
            return;
        }
        size_t d = (size_t)(dollar - t);
        buf_add(out, t + i, d - i);
        i = d + 1;
        if (i < tlen && t[i] == '$') {
            buf_addc(out, '$');
            i++;
            continue;
        }
        /* extract(): $name, ${name}; name = [letters digits _]+ */
        size_t j = i;
        bool brace = j < tlen && t[j] == '{';
        if (brace)
            j++;
        size_t name = j;
        while (j < tlen && go_name_char((unsigned char)t[j]))
            j++;
        size_t name_len = j - name;
        bool ok = name_len > 0;
        if (ok && brace) {
            if (j < tlen && t[j] == '}')
                j++;
            else
                ok = false;
        }
        if (!ok) {
            buf_addc(out, '$'); /* malformed: the '$' is kept as text */
            continue;
        }
        i = j;
        bool is_zero = name_len == 1 && t[name] == '0';
        if (is_zero)
            buf_add(out, match, mlen);
        /* any other number or name refers to a group that does not exist */
    }
}

/* A value pasted whole is shared, not copied, but the plan prints it at
 * every place it is pasted: it costs the budget its text. */
static size_t text_bytes(const ssmc_node *n, size_t depth, size_t limit)
{
    if (!n || depth > 64 || limit == 0)
        return 0;
    if (ssmc_node_is_scalar(n))
        return n->len + 2;
    size_t total = 2;
    for (size_t i = 0; i < n->count && total <= limit; i++) {
        if (n->type == SSMC_NODE_MAP)
            total += n->pairs[i].key->len + 3 + text_bytes(n->pairs[i].value, depth + 1, limit - total);
        else
            total += 1 + text_bytes(n->items[i], depth + 1, limit - total);
    }
    return total;
}

static void charge(sub_budget *budget, size_t bytes)
{
    if (!budget)
        return;
    if (bytes > budget->left)
        budget->spent = true;
    budget->left -= bytes < budget->left ? bytes : budget->left;
}

char *sub_text(const char *s, size_t len, const sub_param *params, size_t count, size_t *out_len,
               sub_budget *budget)
{
    buf b;
    buf_init(&b);
    buf_reserve(&b, len + 1);
    buf value;
    buf_init(&value);
    size_t i = 0, run = 0;
    while (i < len && !(budget && budget->spent)) {
        size_t end;
        const sub_param *p = s[i] == '{' ? token_at(s, len, i, params, count, &end) : NULL;
        if (!p) {
            i++;
            continue;
        }
        buf_add(&b, s + run, i - run);
        value.len = 0;
        sub_string_form(&value, p->value);
        go_expand(&b, value.data ? value.data : "", value.len, s + i, end - i);
        i = run = end;
        /* Past the budget by at most one value: stop expanding, keep the
         * rest as written. */
        if (budget && b.len > budget->left)
            budget->spent = true;
    }
    buf_add(&b, s + run, len - run);
    buf_free(&value);
    charge(budget, b.len);
    *out_len = b.len;
    return buf_steal(&b);
}

ssmc_node *sub_tree(ssmc_arena *arena, const ssmc_node *in, const sub_param *params, size_t count,
                    sub_budget *budget)
{
    if (!in)
        return NULL;
    switch (in->type) {
    case SSMC_NODE_STRING: {
        if (budget && budget->spent)
            return (ssmc_node *)in;
        const sub_param *whole = sub_whole_token(in->str, in->len, params, count);
        if (whole) {
            if (budget)
                charge(budget, text_bytes(whole->value, 0, budget->left + 1));
            return (ssmc_node *)whole->value;
        }
        if (!memchr(in->str, '{', in->len))
            return (ssmc_node *)in;
        size_t n;
        char *text = sub_text(in->str, in->len, params, count, &n, budget);
        ssmc_node *out = (ssmc_node *)in;
        if (n != in->len || memcmp(text, in->str, n) != 0) {
            out = node_new_string(arena, text, n);
            out->file = in->file;
            out->span = in->span;
        }
        free(text);
        return out;
    }
    case SSMC_NODE_SEQ: {
        ssmc_node *out = node_new(arena, SSMC_NODE_SEQ);
        *out = *in;
        out->items = arena_alloc(arena, (in->count ? in->count : 1) * sizeof *out->items);
        for (size_t i = 0; i < in->count; i++)
            out->items[i] = sub_tree(arena, in->items[i], params, count, budget);
        return out;
    }
    case SSMC_NODE_MAP: {
        ssmc_node *out = node_new(arena, SSMC_NODE_MAP);
        *out = *in;
        out->pairs = arena_alloc(arena, (in->count ? in->count : 1) * sizeof *out->pairs);
        for (size_t i = 0; i < in->count; i++) {
            out->pairs[i] = in->pairs[i];
            out->pairs[i].value = sub_tree(arena, in->pairs[i].value, params, count, budget);
        }
        return out;
    }
    default:
        return (ssmc_node *)in;
    }
}

/* --- Parameter Store ----------------------------------------------------- */

/* \{\{ *ssm:[/\w.:-]+ *\}\} at s+i: the name's bounds and the token end. */
static bool ssm_token_at(const char *s, size_t len, size_t i, size_t *name, size_t *name_len,
                         size_t *end)
{
    if (i + 1 >= len || s[i] != '{' || s[i + 1] != '{')
        return false;
    size_t j = i + 2;
    while (j < len && s[j] == ' ')
        j++;
    if (len - j < 4 || memcmp(s + j, "ssm:", 4) != 0)
        return false;
    j += 4;
    *name = j;
    while (j < len && (alnum(s[j]) || strchr("/_.:-", s[j])))
        j++;
    *name_len = j - *name;
    if (*name_len == 0)
        return false;
    while (j < len && s[j] == ' ')
        j++;
    if (j + 1 >= len || s[j] != '}' || s[j + 1] != '}')
        return false;
    *end = j + 2;
    return true;
}

typedef enum ssm_kind { SSM_MISSING, SSM_STRING, SSM_STRINGLIST, SSM_SECURE } ssm_kind;

/* Looks a name up in the store: "name", then "name" without a ":N"
 * version. */
static ssm_kind ssm_lookup(ssm_store *st, const char *name, size_t len, const char **text,
                           size_t *text_len, buf *scratch)
{
    char *key = xstrndup(name, len);
    size_t idx = st->seen_count;
    for (size_t i = 0; i < st->seen_count; i++)
        if (strcmp(st->seen[i], key) == 0)
            idx = i;
    if (idx == st->seen_count) {
        st->seen = xrealloc(st->seen, (st->seen_count + 1) * sizeof *st->seen);
        st->resolved = xrealloc(st->resolved, (st->seen_count + 1) * sizeof *st->resolved);
        st->seen[idx] = xstrdup(key);
        st->resolved[idx] = false;
        st->seen_count++;
    }
    const ssmc_node *v = st->values ? ssmc_map_get(st->values, key) : NULL;
    if (!v && st->values) {
        char *colon = strrchr(key, ':');
        if (colon) {
            *colon = '\0';
            v = ssmc_map_get(st->values, key);
        }
    }
    free(key);
    if (!v)
        return SSM_MISSING;
    ssm_kind kind = SSM_STRING;
    if (v->type == SSMC_NODE_MAP) {
        const ssmc_node *type = ssmc_map_get(v, "Type");
        const ssmc_node *value = ssmc_map_get(v, "Value");
        if (type && type->type == SSMC_NODE_STRING && strcmp(type->str, "SecureString") == 0)
            return SSM_SECURE;
        if (type && type->type == SSMC_NODE_STRING && strcmp(type->str, "StringList") == 0)
            kind = SSM_STRINGLIST;
        v = value;
        if (!v)
            return SSM_MISSING;
    }
    scratch->len = 0;
    if (v->type == SSMC_NODE_SEQ) {
        kind = SSM_STRINGLIST;
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                buf_addc(scratch, ',');
            sub_string_form(scratch, v->items[i]);
        }
    } else {
        sub_string_form(scratch, v);
    }
    if (!scratch->data)
        buf_adds(scratch, "");
    *text = scratch->data;
    *text_len = scratch->len;
    st->resolved[idx] = true;
    return kind;
}

static void ssm_fail(ssm_store *st, char *message)
{
    if (!st->error)
        st->error = message;
    else
        free(message);
}

/* One string: the text with tokens replaced; *split set when the string is
 * exactly one StringList token (its items then become list items). */
static char *ssm_string(ssm_store *st, const char *s, size_t len, size_t *out_len, bool *split)
{
    buf b, scratch;
    buf_init(&b);
    buf_init(&scratch);
    size_t i = 0, run = 0;
    *split = false;
    while (i < len && !(st->budget && st->budget->spent)) {
        size_t name, name_len, end;
        if (s[i] != '{' || !ssm_token_at(s, len, i, &name, &name_len, &end)) {
            i++;
            continue;
        }
        const char *text;
        size_t text_len;
        ssm_kind kind = ssm_lookup(st, s + name, name_len, &text, &text_len, &scratch);
        if (kind == SSM_MISSING) {
            if (st->given)
                ssm_fail(st, xasprintf("Input contains invalid parameters [%.*s]", (int)name_len,
                                       s + name));
            i = end;
            continue;
        }
        if (kind == SSM_SECURE) {
            ssm_fail(st, xasprintf("Parameters [%.*s] of type SecureString are not supported",
                                   (int)name_len, s + name));
            i = end;
            continue;
        }
        if (kind == SSM_STRINGLIST && !(i == 0 && end == len)) {
            ssm_fail(st, xasprintf("Parameter %.*s of type StringList cannot be used as a String",
                                   (int)name_len, s + name));
        } else if (kind == SSM_STRINGLIST) {
            *split = true;
        }
        buf_add(&b, s + run, i - run);
        buf_add(&b, text, text_len);
        i = run = end;
        if (st->budget && b.len > st->budget->left)
            st->budget->spent = true;
    }
    buf_add(&b, s + run, len - run);
    buf_free(&scratch);
    charge(st->budget, b.len);
    *out_len = b.len;
    return buf_steal(&b);
}

ssmc_node *ssm_resolve_tree(ssmc_arena *arena, const ssmc_node *in, ssm_store *store)
{
    if (!in)
        return NULL;
    if (store->budget && store->budget->spent)
        return (ssmc_node *)in;
    switch (in->type) {
    case SSMC_NODE_STRING: {
        if (!memchr(in->str, '{', in->len))
            return (ssmc_node *)in;
        size_t n;
        bool split;
        char *text = ssm_string(store, in->str, in->len, &n, &split);
        ssmc_node *out = (ssmc_node *)in;
        if (n != in->len || memcmp(text, in->str, n) != 0)
            out = node_new_string(arena, text, n);
        free(text);
        return out;
    }
    case SSMC_NODE_SEQ: {
        /* A list item that is exactly a StringList token becomes its items,
         * split on ',' (no escaping), as the agent does. */
        size_t cap = in->count ? in->count : 1, count = 0;
        ssmc_node **items = xmalloc(cap * sizeof *items);
        for (size_t i = 0; i < in->count; i++) {
            const ssmc_node *it = in->items[i];
            bool split = false;
            ssmc_node *r;
            if (it->type == SSMC_NODE_STRING && memchr(it->str, '{', it->len)) {
                size_t n;
                char *text = ssm_string(store, it->str, it->len, &n, &split);
                if (split) {
                    size_t start = 0;
                    for (size_t k = 0; k <= n; k++) {
                        if (k == n || text[k] == ',') {
                            GROW(items, cap, count + 1);
                            items[count++] = node_new_string(arena, text + start, k - start);
                            start = k + 1;
                        }
                    }
                    free(text);
                    continue;
                }
                r = (n != it->len || memcmp(text, it->str, n) != 0)
                        ? node_new_string(arena, text, n)
                        : (ssmc_node *)it;
                free(text);
            } else {
                r = ssm_resolve_tree(arena, it, store);
            }
            GROW(items, cap, count + 1);
            items[count++] = r;
        }
        ssmc_node *out = node_new(arena, SSMC_NODE_SEQ);
        *out = *in;
        out->items = arena_alloc(arena, (count ? count : 1) * sizeof *out->items);
        memcpy(out->items, items, count * sizeof *items);
        out->count = count;
        free(items);
        return out;
    }
    case SSMC_NODE_MAP: {
        ssmc_node *out = node_new(arena, SSMC_NODE_MAP);
        *out = *in;
        out->pairs = arena_alloc(arena, (in->count ? in->count : 1) * sizeof *out->pairs);
        for (size_t i = 0; i < in->count; i++) {
            out->pairs[i] = in->pairs[i];
            out->pairs[i].value = ssm_resolve_tree(arena, in->pairs[i].value, store);
        }
        return out;
    }
    default:
        return (ssmc_node *)in;
    }
}

void ssm_store_free(ssm_store *store)
{
    for (size_t i = 0; i < store->seen_count; i++)
        free(store->seen[i]);
    free(store->seen);
    free(store->resolved);
    free(store->error);
    store->seen = NULL;
    store->resolved = NULL;
    store->error = NULL;
    store->seen_count = 0;
}
