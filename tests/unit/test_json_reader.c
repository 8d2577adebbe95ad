/* test_json_reader.c — the strict JSON reader (compiler/load_json.c) against
 * jansson as the oracle: the same accept/reject verdict and the same values
 * over a table of tricky inputs; exact rule ids for every input; exact
 * spans; limits; and a size benchmark that prints its time.
 *
 * Intended differences from jansson (each is asserted, so a change on either
 * side shows up):
 *  - our reader demands an object at the top (SSM1030); verdicts are
 *    compared on syntax rules only, so `[1]` counts as accepted;
 *  - integers beyond int64 are read as doubles (RFC 8259 allows any
 *    magnitude); jansson refuses them ("too big integer");
 *  - 1e400 reads as +inf (syntactically a JSON number); jansson refuses it
 *    ("real number overflow");
 *  - a UTF-8 BOM is accepted (AWS accepts it; see source.c); jansson
 *    refuses it;
 *  - a key containing \u0000 is accepted; jansson refuses NUL in keys.
 * jansson runs with JSON_REJECT_DUPLICATES so that duplicate keys, an error
 * for us (SSM1012), are an error for the oracle too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct loaded {
    ssmc_sources sources;
    ssmc_diags diags;
    ssmc_document *doc;
    const ssmc_source *src;
} loaded;

static void load_limits(loaded *l, const char *text, size_t len, const ssmc_limits *limits)
{
    memset(l, 0, sizeof *l);
    char *data = malloc(len + 1);
    assert_non_null(data);
    memcpy(data, text, len);
    data[len] = '\0';
    uint32_t file = ssmc_sources_add(&l->sources, "t.json", data, len);
    ssmc_load_options opt;
    ssmc_load_options_init(&opt);
    opt.format = SSMC_FORMAT_JSON;
    if (limits)
        opt.limits = *limits;
    l->doc = ssmc_load(&l->sources, file, &opt, &l->diags);
    l->src = ssmc_sources_get(&l->sources, file);
    ssmc_diags_sort(&l->diags, &l->sources);
}

static void load(loaded *l, const char *text, size_t len)
{
    load_limits(l, text, len, NULL);
}

static void unload(loaded *l)
{
    ssmc_document_free(l->doc);
    ssmc_diags_free(&l->diags);
    ssmc_sources_free(&l->sources);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The rule ids of all findings, sorted, comma-separated. */
static void rule_list(const loaded *l, char *out, size_t cap)
{
    const char *ids[64];
    size_t n = 0;
    for (size_t i = 0; i < l->diags.count && n < 64; i++)
        ids[n++] = ssmc_rule_get(l->diags.items[i].rule)->id;
    qsort(ids, n, sizeof ids[0], cmp_str);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, ids[i], cap - strlen(out) - 1);
    }
}

/* Rejected as JSON text (not merely as an SSM document). */
static bool syntax_rejected(const loaded *l)
{
    for (size_t i = 0; i < l->diags.count; i++) {
        ssmc_rule r = l->diags.items[i].rule;
        if (r != SSMC_RULE_SSM1030)
            return true;
    }
    return l->doc->root == NULL;
}

/* Every node's offsets lie in the source, in order (lines and columns are
 * computed from them). */
static void check_spans(const loaded *l, const ssmc_node *n, const char *name)
{
    if (!ssmc_loc_known(n->span) || n->span.end > l->src->len)
        fail_msg("%s: span %u-%u is not in the source (%zu bytes)", name, n->span.start,
                 n->span.end, l->src->len);
    if (n->span.end < n->span.start)
        fail_msg("%s: span ends before it starts", name);
    if (n->type == SSMC_NODE_SEQ)
        for (size_t i = 0; i < n->count; i++)
            check_spans(l, n->items[i], name);
    if (n->type == SSMC_NODE_MAP)
        for (size_t i = 0; i < n->count; i++) {
            check_spans(l, n->pairs[i].key, name);
            check_spans(l, n->pairs[i].value, name);
        }
}

static void check_diag_spans(const loaded *l, const char *name)
{
    for (size_t i = 0; i < l->diags.count; i++) {
        const ssmc_diag *d = &l->diags.items[i];
        ssmc_pos s = ssmc_source_pos(l->src, d->span.start.offset);
        if (s.line != d->span.start.line || s.col != d->span.start.col)
            fail_msg("%s: %s starts at %u:%u but its offset %u is %u:%u", name,
                     ssmc_rule_get(d->rule)->id, d->span.start.line, d->span.start.col,
                     d->span.start.offset, s.line, s.col);
        /* A raw line break in a string is marked on its own line. */
        if (d->rule == SSMC_RULE_SSM1009)
            continue;
        ssmc_pos e = ssmc_source_pos(l->src, d->span.end.offset);
        if (e.line != d->span.end.line || e.col != d->span.end.col)
            fail_msg("%s: %s ends at %u:%u but its offset %u is %u:%u", name,
                     ssmc_rule_get(d->rule)->id, d->span.end.line, d->span.end.col,
                     d->span.end.offset, e.line, e.col);
    }
}

/* Walks our tree and jansson's together. */
static void compare(const ssmc_node *n, const json_t *j, const char *name)
{
    switch (n->type) {
    case SSMC_NODE_NULL:
        if (!json_is_null(j))
            fail_msg("%s: null vs jansson type %d", name, json_typeof(j));
        break;
    case SSMC_NODE_BOOL:
        if (!json_is_boolean(j) || json_is_true(j) != n->val.b)
            fail_msg("%s: boolean differs", name);
        break;
    case SSMC_NODE_INT:
        if (!json_is_integer(j) || json_integer_value(j) != n->val.i)
            fail_msg("%s: integer %lld differs", name, (long long)n->val.i);
        break;
    case SSMC_NODE_FLOAT:
        if (!json_is_real(j))
            fail_msg("%s: we read a double, jansson a type %d", name, json_typeof(j));
        if (memcmp(&n->val.f, &(double){json_real_value(j)}, sizeof(double)) != 0)
            fail_msg("%s: double %.17g vs %.17g", name, n->val.f, json_real_value(j));
        break;
    case SSMC_NODE_STRING:
        if (!json_is_string(j) || json_string_length(j) != n->len ||
            memcmp(json_string_value(j), n->str, n->len) != 0)
            fail_msg("%s: string '%s' differs", name, n->str);
        if (n->str[n->len] != '\0')
            fail_msg("%s: string not NUL-terminated", name);
        break;
    case SSMC_NODE_SEQ:
        if (!json_is_array(j) || json_array_size(j) != n->count)
            fail_msg("%s: array differs", name);
        for (size_t i = 0; i < n->count; i++)
            compare(n->items[i], json_array_get(j, i), name);
        break;
    case SSMC_NODE_MAP:
        if (!json_is_object(j) || json_object_size(j) != n->count)
            fail_msg("%s: object differs", name);
        for (size_t i = 0; i < n->count; i++) {
            const ssmc_node *k = n->pairs[i].key;
            json_t *v = json_object_getn(j, k->str, k->len);
            if (!v)
                fail_msg("%s: key '%s' missing in jansson's object", name, k->str);
            compare(n->pairs[i].value, v, name);
        }
        break;
    }
    if (n->style != (ssmc_node_is_scalar(n) ? SSMC_STYLE_JSON : SSMC_STYLE_FLOW))
        fail_msg("%s: wrong style %d", name, n->style);
}

typedef struct json_case {
    const char *name;
    const char *input;
    size_t len;            /* 0: strlen(input) */
    const char *rules;     /* sorted rule ids we report, "" for none */
    const char *differs;   /* why jansson rejects what we accept, or NULL */
} json_case;

#define OK(name, in) {name, in, 0, "", NULL}
#define BAD(name, in, rules) {name, in, 0, rules, NULL}

static const json_case cases[] = {
    /* --- accepted ---------------------------------------------------- */
    OK("empty object", "{}"),
    OK("one member", "{\"a\":1}"),
    OK("whitespace variants", " \t\r\n{ \"a\" : [ ] ,\r\"b\"\t:\n{ } }\r\n \t"),
    OK("all simple escapes", "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}"),
    OK("BMP escapes, both cases of hex", "{\"a\":\"\\u00e9\\u20AC\\u00C9\\u0041\"}"),
    OK("surrogate pair", "{\"a\":\"\\uD83D\\uDE00\"}"),
    OK("highest code point", "{\"a\":\"\\uDBFF\\uDFFF\"}"),
    OK("escaped NUL inside a value", "{\"a\":\"x\\u0000y\"}"),
    OK("escaped NUL alone", "{\"a\":\"\\u0000\"}"),
    OK("minus zero", "{\"a\":-0}"),
    OK("minus zero double", "{\"a\":-0.0}"),
    OK("zero", "{\"a\":0}"),
    OK("int64 max", "{\"a\":9223372036854775807}"),
    OK("int64 min", "{\"a\":-9223372036854775808}"),
    OK("fractions and exponents", "{\"a\":1.5e-3,\"b\":1E+2,\"c\":0.1,\"d\":-1.0E-0,\"e\":2e5}"),
    OK("underflow to zero", "{\"a\":1e-400}"),
    OK("literals", "{\"a\":true,\"b\":false,\"c\":null}"),
    OK("raw UTF-8", "{\"a\":\"\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\"}"),
    OK("slashes in a string are not comments", "{\"a\":\"// not /* a comment */\"}"),
    OK("nested empties", "{\"a\":[[[[[]]]],{},[{}]]}"),
    OK("empty key and value", "{\"\":\"\"}"),
    OK("escaped solidus", "{\"a\":\"\\/\",\"b\":\"\\\\/\"}"),
    OK("DEL is not a control character", "{\"a\":\"\x7F\"}"),
    OK("trailing whitespace", "{\"a\":1}\n\n   \t"),
    OK("keys differing only by case", "{\"a\":1,\"A\":2}"),
    OK("long number text", "{\"a\":123456789012345678.25e-10}"),
    BAD("array at the top (SSM1030 only)", "[1,\"two\",3.5]", "SSM1030"),
    BAD("string at the top", "\"str\"", "SSM1030"),
    BAD("number at the top", "123", "SSM1030"),
    BAD("null at the top", "null", "SSM1030"),
    /* --- accepted by us, refused by jansson (see the top comment) ------ */
    {"BOM", "\xEF\xBB\xBF{\"a\":1}", 0, "", "jansson refuses a BOM"},
    {"integer beyond int64", "{\"a\":9223372036854775808}", 0, "", "too big integer"},
    {"exponent overflow", "{\"a\":1e400}", 0, "", "real number overflow"},
    {"NUL in a key", "{\"a\\u0000b\":1}", 0, "", "NUL in object key"},
    /* --- refused ------------------------------------------------------ */
    BAD("empty", "", "SSM1014"),
    BAD("whitespace only", "   \n\t\r\n ", "SSM1014"),
    BAD("BOM only", "\xEF\xBB\xBF", "SSM1014"),
    BAD("comment only", "/* c */", "SSM1004,SSM1014"),
    BAD("trailing comma in object", "{\"a\":1,}", "SSM1003"),
    BAD("trailing comma in array", "{\"a\":[1,2,]}", "SSM1003"),
    BAD("trailing comma at the top-level array", "[1,]", "SSM1003,SSM1030"),
    BAD("line comment", "{\"a\":1 // c\n}", "SSM1004"),
    BAD("block comment", "{\"a\":/* c */1}", "SSM1004"),
    BAD("unterminated block comment", "{\"a\":1 /* c", "SSM1004"),
    BAD("single-quoted key", "{'a':1}", "SSM1005"),
    BAD("single-quoted value with escaped quote", "{\"a\":'it\\'s'}", "SSM1005"),
    BAD("leading zero", "{\"a\":01}", "SSM1006"),
    BAD("negative leading zero", "{\"a\":-01}", "SSM1006"),
    BAD("plus sign", "{\"a\":+1}", "SSM1006"),
    BAD("no digit before the point", "{\"a\":.5}", "SSM1006"),
    BAD("no digit after the point", "{\"a\":5.}", "SSM1006"),
    BAD("no digit after the point before e", "{\"a\":1.e5}", "SSM1006"),
    BAD("hex", "{\"a\":0x1F}", "SSM1006"),
    BAD("minus alone", "{\"a\":-}", "SSM1006"),
    BAD("exponent without digits", "{\"a\":1e}", "SSM1006"),
    BAD("exponent sign without digits", "{\"a\":1e+}", "SSM1006"),
    BAD("two points", "{\"a\":1.5.2}", "SSM1006"),
    BAD("letters after digits", "{\"a\":12abc}", "SSM1006"),
    BAD("bad escape", "{\"a\":\"C:\\Temp\"}", "SSM1007"),
    BAD("short \\u", "{\"a\":\"\\u12\"}", "SSM1007"),
    BAD("\\u without digits", "{\"a\":\"\\uZZZZ\"}", "SSM1007"),
    BAD("bad escape in a key", "{\"a\\x\":1}", "SSM1007"),
    BAD("escaped line break", "{\"a\":\"x\\\ny\"}", "SSM1007"),
    BAD("lone high surrogate", "{\"a\":\"\\uD800\"}", "SSM1008"),
    BAD("lone low surrogate", "{\"a\":\"\\uDC00\"}", "SSM1008"),
    BAD("high surrogate before a BMP escape", "{\"a\":\"\\uD800\\u0041\"}", "SSM1008"),
    BAD("pair then lone high", "{\"a\":\"\\uD83D\\uDE00\\uD83D\"}", "SSM1008"),
    BAD("raw tab", "{\"a\":\"tab\there\"}", "SSM1009"),
    BAD("raw line break", "{\"a\":\"line\nbreak\"}", "SSM1009"),
    BAD("raw CRLF", "{\"a\":\"line\r\nbreak\"}", "SSM1009"),
    BAD("raw U+0001", "{\"a\":\"\x01\"}", "SSM1009"),
    BAD("NaN", "{\"a\":NaN}", "SSM1010"),
    BAD("Infinity", "{\"a\":Infinity}", "SSM1010"),
    BAD("-Infinity", "{\"a\":-Infinity}", "SSM1010"),
    BAD("extra closing brace", "{\"a\":1}}", "SSM1011"),
    BAD("second value", "{\"a\":1} {\"b\":2}", "SSM1011"),
    BAD("trailing word", "{\"a\":1}\nx", "SSM1011"),
    BAD("duplicate key", "{\"a\":1,\"a\":2}", "SSM1012"),
    BAD("duplicate key after decoding", "{\"\\u0041\":1,\"A\":2}", "SSM1012"),
    BAD("duplicate key in a nested object", "{\"a\":{\"b\":1,\"c\":2,\"b\":3}}", "SSM1012"),
    BAD("missing comma", "{\"a\":1 \"b\":2}", "SSM1002"),
    BAD("missing colon", "{\"a\" 1}", "SSM1002"),
    BAD("unquoted key", "{a:1}", "SSM1002"),
    BAD("unclosed object", "{\"a\":1", "SSM1002"),
    BAD("unclosed array", "{\"a\":[1", "SSM1002"),
    BAD("mismatched bracket", "{\"a\":[1,2}", "SSM1002"),
    BAD("mismatched brace", "{\"a\":\"x\"]", "SSM1002"),
    BAD("unclosed string", "{\"a\":\"abc", "SSM1002"),
    BAD("unclosed string after a backslash", "{\"a\":\"abc\\", "SSM1002"),
    BAD("Python True", "{\"a\":True}", "SSM1002"),
    BAD("truncated literal", "{\"a\":tru}", "SSM1002"),
    BAD("overlong literal", "{\"a\":nulll}", "SSM1002"),
    BAD("comma first", "{,}", "SSM1002"),
    BAD("double comma", "{\"a\":1,,\"b\":2}", "SSM1002"),
    BAD("array starting with a comma", "{\"a\":[,1]}", "SSM1002"),
    BAD("missing value", "{\"a\":}", "SSM1002"),
    BAD("closing bracket alone", "]", "SSM1002"),
    BAD("no-break space", "\xC2\xA0{}", "SSM1002"),
    BAD("typographic quotes", "{\"a\":\xE2\x80\x9Cx\xE2\x80\x9D}", "SSM1002"),
    BAD("hash comment", "{\"a\":1 # c\n}", "SSM1002"),
    BAD("form feed is not whitespace", "{\f}", "SSM1002"),
    BAD("many recoverable problems in one run",
        "{'a':01, \"b\":\"\\q\", /*c*/ \"c\":[1,], \"d\":NaN,}",
        "SSM1003,SSM1003,SSM1004,SSM1005,SSM1006,SSM1007,SSM1010"),
    BAD("recoverable problems stop at a fatal one", "{\"a\":01 \"b\":02}", "SSM1002,SSM1006"),
};

static void test_table_against_jansson(void **state)
{
    (void)state;
    size_t n = sizeof cases / sizeof cases[0];
    assert_true(n >= 60);
    for (size_t i = 0; i < n; i++) {
        const json_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->input);
        loaded l;
        load(&l, c->input, len);
        char got[512];
        rule_list(&l, got, sizeof got);
        if (strcmp(got, c->rules) != 0)
            fail_msg("%s: rules '%s', expected '%s'", c->name, got, c->rules);
        check_diag_spans(&l, c->name);

        json_error_t err;
        json_t *j = json_loadb(c->input, len,
                               JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
        bool ours = !syntax_rejected(&l);
        if (c->differs) {
            if (!ours || j)
                fail_msg("%s: expected to differ from jansson (%s): ours %s, jansson %s",
                         c->name, c->differs, ours ? "accepts" : "rejects",
                         j ? "accepts" : "rejects");
        } else if (ours != (j != NULL)) {
            fail_msg("%s: we %s, jansson %s (%s)", c->name, ours ? "accept" : "reject",
                     j ? "accepts" : "rejects", j ? "" : err.text);
        }
        if (ours) {
            assert_non_null(l.doc->root);
            check_spans(&l, l.doc->root, c->name);
            if (j)
                compare(l.doc->root, j, c->name);
        } else if (strstr(c->rules, "SSM1002") || strstr(c->rules, "SSM1014") ||
                   (strcmp(c->rules, "SSM1004") == 0 && strstr(c->name, "unterminated"))) {
            /* Unrecoverable: no partial tree reaches later stages. */
            if (l.doc->root)
                fail_msg("%s: a root after a fatal error", c->name);
        }
        json_decref(j);
        unload(&l);
    }
}

/* Values that jansson cannot check. */
/* A string's text around an escape, a raw control character or a
 * multi-byte character at every offset of the reader's eight-byte scan
 * (sixteen and eight at a time, and near the end of the input): the same value, the finding at the
 * control character's byte. */
static void test_string_at_every_offset(void **state)
{
    (void)state;
    static const struct {
        const char *src, *val;
    } marks[] = {{"\\n", "\n"}, {"\\\"", "\""}, {"\\\\", "\\"}, {"\\u00e9", "\xc3\xa9"},
                 {"\xc3\xa9", "\xc3\xa9"}, {"\x7f", "\x7f"}, {"\t", "\t"}, {"\x1f", "\x1f"}};
    static const char lower[] = "abcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@",
                      upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@";
    for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++)
        for (size_t len = 0; len < 40; len++)
            for (size_t k = 0; k <= len; k++) {
                char in[160], want[128];
                int n = snprintf(in, sizeof in, "{\"s\":\"%.*s%s%.*s\"}", (int)k, lower, marks[m].src,
                                 (int)(len - k), upper);
                snprintf(want, sizeof want, "%.*s%s%.*s", (int)k, lower, marks[m].val, (int)(len - k), upper);
                loaded l;
                load(&l, in, (size_t)n);
                const ssmc_node *v = ssmc_map_get(l.doc->root, "s");
                assert_non_null(v);
                assert_string_equal(v->str, want);
                assert_int_equal(v->len, strlen(want));
                bool raw_control = (unsigned char)marks[m].src[0] < 0x20;
                assert_int_equal(l.diags.count, raw_control ? 1 : 0);
                if (raw_control) {
                    assert_string_equal(ssmc_rule_get(l.diags.items[0].rule)->id, "SSM1009");
                    assert_int_equal(l.diags.items[0].span.start.offset, 6 + k);
                }
                unload(&l);
            }
}

static void test_values(void **state)
{
    (void)state;
    loaded l;
    const char *in = "{\"big\":9223372036854775808,\"inf\":1e400,\"neg\":-0,"
                     "\"nan\":NaN,\"ninf\":-Infinity,\"lz\":0600,\"hex\":0x10,\"plus\":+2.5,"
                     "\"nul\":\"a\\u0000b\",\"lone\":\"x\\uD800y\",\"esc\":\"\\q\"}";
    load(&l, in, strlen(in));
    const ssmc_node *r = l.doc->root;
    assert_non_null(r);
    const ssmc_node *n = ssmc_map_get(r, "big");
    assert_int_equal(n->type, SSMC_NODE_FLOAT);
    assert_true(n->val.f == 9223372036854775808.0);
    assert_string_equal(n->str, "9223372036854775808");
    n = ssmc_map_get(r, "inf");
    assert_int_equal(n->type, SSMC_NODE_FLOAT);
    assert_true(isinf(n->val.f) && n->val.f > 0);
    assert_string_equal(n->str, "1e400");
    n = ssmc_map_get(r, "neg");
    assert_int_equal(n->type, SSMC_NODE_INT);
    assert_int_equal(n->val.i, 0);
    assert_string_equal(n->str, "-0");
    n = ssmc_map_get(r, "nan");
    assert_int_equal(n->type, SSMC_NODE_FLOAT);
    assert_true(isnan(n->val.f));
    n = ssmc_map_get(r, "ninf");
    assert_true(isinf(n->val.f) && n->val.f < 0);
    /* Recovered numbers get the value the author meant; the text stays. */
    n = ssmc_map_get(r, "lz");
    assert_int_equal(n->type, SSMC_NODE_INT);
    assert_int_equal(n->val.i, 600);
    assert_string_equal(n->str, "0600");
    n = ssmc_map_get(r, "hex");
    assert_int_equal(n->type, SSMC_NODE_INT);
    assert_int_equal(n->val.i, 16);
    n = ssmc_map_get(r, "plus");
    assert_int_equal(n->type, SSMC_NODE_FLOAT);
    assert_true(n->val.f == 2.5);
    n = ssmc_map_get(r, "nul");
    assert_int_equal(n->len, 3);
    assert_memory_equal(n->str, "a\0b", 4);
    n = ssmc_map_get(r, "lone");
    assert_string_equal(n->str, "x\xEF\xBF\xBDy");
    n = ssmc_map_get(r, "esc");
    assert_string_equal(n->str, "\\q");
    unload(&l);
}

static void assert_pos(ssmc_pos p, uint32_t line, uint32_t col, size_t offset)
{
    if (p.line != line || p.col != col || p.offset != offset)
        fail_msg("position %u:%u@%u, expected %u:%u@%zu", p.line, p.col, p.offset, line, col,
                 offset);
}

static void test_spans(void **state)
{
    (void)state;
    loaded l;
    /* Multi-byte characters (2, 3 and 4 bytes) before nodes, then CRLF. */
    const char *in = "{\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\": \"x\",\r\n \"b\": [1, 2]}";
    load(&l, in, strlen(in));
    const ssmc_node *r = l.doc->root;
    assert_non_null(r);
    assert_int_equal(l.diags.count, 0);
    assert_pos(ssmc_source_pos(l.src, r->span.start), 1, 1, 0);
    assert_pos(ssmc_source_pos(l.src, r->span.end), 2, 14, 33);
    assert_pos(ssmc_source_pos(l.src, r->pairs[0].key->span.start), 1, 2, 1);
    assert_pos(ssmc_source_pos(l.src, r->pairs[0].key->span.end), 1, 7, 12);
    assert_pos(ssmc_source_pos(l.src, r->pairs[0].value->span.start), 1, 9, 14);
    assert_pos(ssmc_source_pos(l.src, r->pairs[0].value->span.end), 1, 12, 17);
    assert_pos(ssmc_source_pos(l.src, r->pairs[1].key->span.start), 2, 2, 21);
    assert_pos(ssmc_source_pos(l.src, r->pairs[1].key->span.end), 2, 5, 24);
    const ssmc_node *a = r->pairs[1].value;
    assert_int_equal(a->type, SSMC_NODE_SEQ);
    assert_int_equal(a->style, SSMC_STYLE_FLOW);
    assert_pos(ssmc_source_pos(l.src, a->span.start), 2, 7, 26);
    assert_pos(ssmc_source_pos(l.src, a->span.end), 2, 13, 32);
    assert_pos(ssmc_source_pos(l.src, a->items[1]->span.start), 2, 11, 30);
    assert_pos(ssmc_source_pos(l.src, a->items[1]->span.end), 2, 12, 31);
    unload(&l);

    /* A BOM is not a column. */
    in = "\xEF\xBB\xBF{\"a\":1}";
    load(&l, in, strlen(in));
    assert_non_null(l.doc->root);
    assert_pos(ssmc_source_pos(l.src, l.doc->root->span.start), 1, 1, 3);
    assert_pos(ssmc_source_pos(l.src, l.doc->root->pairs[0].value->span.start), 1, 6, 8);
    assert_pos(ssmc_source_pos(l.src, l.doc->root->pairs[0].value->span.end), 1, 7, 9);
    unload(&l);

    /* Lone CR is a line break. */
    in = "{\r\"a\":\r1}";
    load(&l, in, strlen(in));
    assert_non_null(l.doc->root);
    assert_pos(ssmc_source_pos(l.src, l.doc->root->pairs[0].key->span.start), 2, 1, 2);
    assert_pos(ssmc_source_pos(l.src, l.doc->root->pairs[0].value->span.start), 3, 1, 7);
    unload(&l);
}

static const ssmc_diag *only_diag(const loaded *l, ssmc_rule rule)
{
    if (l->diags.count != 1 || l->diags.items[0].rule != rule)
        fail_msg("expected exactly one %s, got %zu findings", ssmc_rule_get(rule)->id,
                 l->diags.count);
    return &l->diags.items[0];
}

/* Error spans cover the offending text. */
static void test_error_spans(void **state)
{
    (void)state;
    loaded l;
    const char *in = "{\"\xC3\xA9\":\"a\\xb\"}"; /* é then a bad escape */
    load(&l, in, strlen(in));
    const ssmc_diag *d = only_diag(&l, SSMC_RULE_SSM1007);
    assert_pos(d->span.start, 1, 8, 8);
    assert_pos(d->span.end, 1, 10, 10);
    unload(&l);

    in = "{\"a\":1, /* two\nlines */ \"b\":2}";
    load(&l, in, strlen(in));
    d = only_diag(&l, SSMC_RULE_SSM1004);
    assert_pos(d->span.start, 1, 9, 8);
    assert_pos(d->span.end, 2, 9, 23);
    unload(&l);

    in = "{\"a\":[1,\r\n2,\r\n]}";
    load(&l, in, strlen(in));
    d = only_diag(&l, SSMC_RULE_SSM1003);
    assert_pos(d->span.start, 2, 2, 11);
    assert_pos(d->span.end, 2, 3, 12);
    unload(&l);

    in = "{\"a\":\"\\uD800\"}";
    load(&l, in, strlen(in));
    d = only_diag(&l, SSMC_RULE_SSM1008);
    assert_pos(d->span.start, 1, 7, 6);
    assert_pos(d->span.end, 1, 13, 12);
    unload(&l);

    in = "{\"a\":0600}";
    load(&l, in, strlen(in));
    d = only_diag(&l, SSMC_RULE_SSM1006);
    assert_pos(d->span.start, 1, 6, 5);
    assert_pos(d->span.end, 1, 10, 9);
    unload(&l);

    /* Missing comma: the message names what was expected and found. */
    in = "{\"a\":1\n \"b\":2}";
    load(&l, in, strlen(in));
    d = only_diag(&l, SSMC_RULE_SSM1002);
    assert_string_equal(d->message, "expected ',' or '}' after a member, found '\"'");
    assert_pos(d->span.start, 2, 2, 8);
    assert_int_equal(d->related_count, 1); /* "is a ',' missing here?" */
    assert_pos(d->related[0].span.start, 1, 7, 6);
    assert_null(l.doc->root);
    unload(&l);

    /* End of file inside an array: related position at its '['. */
    in = "{\"a\": [1,\n2";
    load(&l, in, strlen(in));
    d = only_diag(&l, SSMC_RULE_SSM1002);
    assert_int_equal(d->related_count, 1);
    assert_pos(d->related[0].span.start, 1, 7, 6);
    assert_pos(d->span.start, 2, 2, 11);
    unload(&l);

    /* Duplicate key: related position at the first occurrence. */
    in = "{\"k\":1,\n\"k\":2}";
    load(&l, in, strlen(in));
    d = only_diag(&l, SSMC_RULE_SSM1012);
    assert_pos(d->span.start, 2, 1, 8);
    assert_int_equal(d->related_count, 1);
    assert_pos(d->related[0].span.start, 1, 2, 1);
    unload(&l);
}

static void test_limits(void **state)
{
    (void)state;
    /* 100,000 levels: one SSM1021, no crash, no tree. */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 16);
    assert_non_null(deep);
    size_t n = 0;
    deep[n++] = '{';
    memcpy(deep + n, "\"a\":", 4);
    n += 4;
    for (size_t i = 0; i < depth; i++)
        deep[n++] = '[';
    for (size_t i = 0; i < depth; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    loaded l;
    load(&l, deep, n);
    const ssmc_diag *d = only_diag(&l, SSMC_RULE_SSM1021);
    assert_null(l.doc->root);
    /* The root object is level 1; the 256th '[' is the 257th level. */
    assert_pos(d->span.start, 1, 6 + 255, 5 + 255);
    unload(&l);

    /* Just within the limit. */
    ssmc_limits lim = ssmc_limits_default();
    lim.max_depth = 3;
    load_limits(&l, "{\"a\":[[]]}", 10, &lim);
    assert_int_equal(l.diags.count, 0);
    unload(&l);
    load_limits(&l, "{\"a\":[[[]]]}", 12, &lim);
    only_diag(&l, SSMC_RULE_SSM1021);
    unload(&l);

    lim = ssmc_limits_default();
    lim.max_nodes = 5; /* object, key, array, 2 items */
    load_limits(&l, "{\"a\":[1,2]}", 11, &lim);
    assert_int_equal(l.diags.count, 0);
    unload(&l);
    load_limits(&l, "{\"a\":[1,2,3]}", 13, &lim);
    d = only_diag(&l, SSMC_RULE_SSM1023);
    assert_null(l.doc->root);
    unload(&l);

    lim = ssmc_limits_default();
    lim.max_scalar_bytes = 5;
    load_limits(&l, "{\"a\":\"12345\"}", 13, &lim);
    assert_int_equal(l.diags.count, 0);
    unload(&l);
    load_limits(&l, "{\"a\":\"1234\\n5\"}", 15, &lim);
    d = only_diag(&l, SSMC_RULE_SSM1024);
    assert_pos(d->span.start, 1, 6, 5);
    assert_null(l.doc->root);
    unload(&l);

    /* A million bad escapes: at most 100 findings. */
    size_t count = 1000000;
    char *esc = malloc(2 * count + 16);
    assert_non_null(esc);
    n = 0;
    memcpy(esc, "{\"a\":\"", 6);
    n = 6;
    for (size_t i = 0; i < count; i++)
        esc[n++] = '\\', esc[n++] = 'q';
    memcpy(esc + n, "\"}", 2);
    n += 2;
    load(&l, esc, n);
    assert_int_equal(l.diags.count, 100);
    assert_int_equal(l.diags.items[99].related_count, 1);
    assert_non_null(l.doc->root);
    unload(&l);
    free(esc);
    free(deep);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A 30 MB single-line document: prints the time (no timed assertion) and
 * checks the position of the last element, far along the line. */
static void test_big_single_line(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    buf_adds(&b, "{\"items\":[");
    size_t elements = 300000;
    for (size_t i = 0; i < elements; i++)
        buf_printf(&b, "%s{\"name\":\"caf\xC3\xA9 %zu\",\"n\":%zu,\"f\":-1.5e3,\"ok\":true,"
                       "\"x\":null,\"s\":\"\\u00e9\\n\\\"quoted\\\"........................\"}",
                   i ? "," : "", i, i);
    buf_adds(&b, "]}");
    double t0 = seconds();
    loaded l;
    load(&l, b.data, b.len);
    double t1 = seconds();
    print_message("json reader: %.1f MB single line in %.3f s\n", b.len / 1e6, t1 - t0);
    assert_int_equal(l.diags.count, 0);
    const ssmc_node *items = ssmc_map_get(l.doc->root, "items");
    assert_int_equal(items->count, elements);
    const ssmc_node *last = items->items[elements - 1];
    ssmc_pos want = ssmc_source_pos(l.src, last->span.start);
    assert_int_equal(want.line, 1);
    assert_true(want.col < last->span.start); /* the é's count once */
    unload(&l);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_against_jansson),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_string_at_every_offset),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_error_spans),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_big_single_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
