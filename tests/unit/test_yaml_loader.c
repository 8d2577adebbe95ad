/* Tests of the YAML front end: exact spans, typing, tags, anchors and
 * merges, every kind of syntax error, encodings and limits (with generated
 * hostile inputs). Every loaded tree also goes through tree_check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

typedef struct loaded {
    ssmc_sources sources;
    ssmc_diags diags;
    ssmc_document *doc;
} loaded;

static loaded *load_with(const char *text, size_t len, const ssmc_load_options *options)
{
    loaded *l = xcalloc(1, sizeof *l);
    char *data = xmalloc(len + 1);
    memcpy(data, text, len);
    data[len] = '\0';
    uint32_t file = ssmc_sources_add(&l->sources, "t.yaml", data, len);
    l->doc = ssmc_load(&l->sources, file, options, &l->diags);
    char why[512];
    if (!tree_check(&l->sources, l->doc, why, sizeof why))
        fail_msg("tree_check: %s\ninput: %.200s", why, text);
    return l;
}

static loaded *load(const char *text)
{
    return load_with(text, strlen(text), NULL);
}

static void unload(loaded *l)
{
    ssmc_document_free(l->doc);
    ssmc_diags_free(&l->diags);
    ssmc_sources_free(&l->sources);
    free(l);
}

static size_t count_rule(const loaded *l, ssmc_rule rule)
{
    size_t n = 0;
    for (size_t i = 0; i < l->diags.count; i++)
        n += l->diags.items[i].rule == rule;
    return n;
}

static const ssmc_diag *find_rule(const loaded *l, ssmc_rule rule)
{
    for (size_t i = 0; i < l->diags.count; i++)
        if (l->diags.items[i].rule == rule)
            return &l->diags.items[i];
    return NULL;
}

static void dump(const loaded *l)
{
    for (size_t i = 0; i < l->diags.count; i++) {
        const ssmc_diag *d = &l->diags.items[i];
        print_message("  %u:%u %s %s\n", d->span.start.line, d->span.start.col,
                      ssmc_rule_get(d->rule)->id, d->message);
    }
}

/* The lines and columns of a node of the loaded document `l`. */
static ssmc_span span_in(const loaded *l, const ssmc_node *n)
{
    return ssmc_loc_span(ssmc_sources_get(&l->sources, n->file), n->span);
}

#define assert_span(node, l1, c1, l2, c2)                                                      \
    do {                                                                                       \
        const ssmc_node *n_ = (node);                                                          \
        assert_non_null(n_);                                                                   \
        ssmc_span s_ = span_in(l, n_);                                                         \
        if (s_.start.line != (l1) || s_.start.col != (c1) || s_.end.line != (l2) ||            \
            s_.end.col != (c2))                                                                \
            fail_msg("span %u:%u-%u:%u, expected %u:%u-%u:%u", s_.start.line, s_.start.col,   \
                     s_.end.line, s_.end.col, (l1), (c1), (l2), (c2));                         \
    } while (0)

static const ssmc_node *get(const ssmc_node *map, const char *key)
{
    const ssmc_node *v = ssmc_map_get(map, key);
    if (!v)
        fail_msg("no key '%s'", key);
    return v;
}

static const ssmc_node *key_node(const ssmc_node *map, const char *key)
{
    ssmc_pair *p = ssmc_map_get_pair(map, key);
    if (!p)
        fail_msg("no key '%s'", key);
    return p->key;
}

/* --- spans ------------------------------------------------------------ */

static void test_scalar_spans(void **state)
{
    (void)state;
    loaded *l = load("plain: hello world\n"
                     "single: 'it''s'\n"
                     "double: \"a\\tb\"\n"
                     "multi: one\n"
                     "  two\n"
                     "lit: |\n"
                     "  line 1\n"
                     "  line 2\n"
                     "\n"
                     "fold: >-\n"
                     "  a\n"
                     "  b\n"
                     "keep: |+\n"
                     "  k\n"
                     "\n"
                     "ind: |2\n"
                     "   x\n"
                     "# trailing comment\n"
                     "empty:\n"
                     "last: z\n");
    const ssmc_node *r = l->doc->root;
    assert_int_equal(l->diags.count, 0);
    assert_span(r, 1, 1, 20, 8);
    assert_span(key_node(r, "plain"), 1, 1, 1, 6);
    assert_span(get(r, "plain"), 1, 8, 1, 19);
    assert_int_equal(get(r, "plain")->style, SSMC_STYLE_PLAIN);
    assert_span(get(r, "single"), 2, 9, 2, 16);
    assert_string_equal(get(r, "single")->str, "it's");
    assert_int_equal(get(r, "single")->style, SSMC_STYLE_SINGLE_QUOTED);
    assert_span(get(r, "double"), 3, 9, 3, 15);
    assert_string_equal(get(r, "double")->str, "a\tb");
    assert_span(get(r, "multi"), 4, 8, 5, 6);
    assert_string_equal(get(r, "multi")->str, "one two");
    /* A block scalar ends with its last character, not at the next key. */
    assert_span(get(r, "lit"), 6, 6, 8, 9);
    assert_string_equal(get(r, "lit")->str, "line 1\nline 2\n");
    assert_int_equal(get(r, "lit")->style, SSMC_STYLE_LITERAL);
    assert_span(get(r, "fold"), 10, 7, 12, 4);
    assert_string_equal(get(r, "fold")->str, "a b");
    assert_int_equal(get(r, "fold")->style, SSMC_STYLE_FOLDED);
    assert_span(get(r, "keep"), 13, 7, 14, 4);
    assert_string_equal(get(r, "keep")->str, "k\n\n");
    assert_span(get(r, "ind"), 16, 6, 17, 5);
    assert_string_equal(get(r, "ind")->str, " x\n");
    /* An empty value is a null right after the ':'. */
    assert_span(get(r, "empty"), 19, 7, 19, 7);
    assert_int_equal(get(r, "empty")->type, SSMC_NODE_NULL);
    unload(l);
}

static void test_collection_spans(void **state)
{
    (void)state;
    loaded *l = load("flow: {a: [1, \"x\"], b: {}}\n"
                     "block:\n"
                     "  - one\n"
                     "  - k: v\n"
                     "    k2: v2\n"
                     "\n"
                     "seq_at_key:\n"
                     "- a\n"
                     "- b\n");
    const ssmc_node *r = l->doc->root;
    assert_int_equal(l->diags.count, 0);
    const ssmc_node *flow = get(r, "flow");
    assert_span(flow, 1, 7, 1, 27);
    assert_int_equal(flow->style, SSMC_STYLE_FLOW);
    assert_span(get(flow, "a"), 1, 11, 1, 19);
    assert_span(get(flow, "a")->items[1], 1, 15, 1, 18);
    assert_span(get(flow, "b"), 1, 24, 1, 26);
    const ssmc_node *block = get(r, "block");
    assert_int_equal(block->style, SSMC_STYLE_BLOCK);
    /* Block collections end with their last entry. */
    assert_span(block, 3, 3, 5, 11);
    assert_span(block->items[1], 4, 5, 5, 11);
    assert_span(get(r, "seq_at_key"), 8, 1, 9, 4);
    unload(l);
}

static void test_positions_unicode_and_line_ends(void **state)
{
    (void)state;
    /* Columns count code points: é (2 bytes), € (3), 😀 (4). */
    loaded *l = load("k: é€😀 x\nw: y\n");
    const ssmc_node *r = l->doc->root;
    assert_span(get(r, "k"), 1, 4, 1, 9);
    assert_int_equal(get(r, "k")->span.end, 3 + 2 + 3 + 4 + 2);
    assert_span(get(r, "w"), 2, 4, 2, 5);
    unload(l);

    /* Byte offsets after long ASCII runs between non-ASCII text (the
     * offsets are found sixteen ASCII bytes at a time). */
    l = load("k: \xC3\xA9 0123456789abcdefghijklmnopqrstuvwxyz\n"
             "long_ascii_key_of_many_bytes: \xE2\x82\xAC\n"
             "w: 0123456789abcdef0123456789abcdef \xF0\x9F\x98\x80 z\n");
    r = l->doc->root;
    assert_int_equal(get(r, "k")->span.start, 3);
    assert_int_equal(get(r, "k")->span.end, 3 + 2 + 1 + 36);
    assert_int_equal(get(r, "long_ascii_key_of_many_bytes")->span.start, 43 + 30);
    assert_int_equal(get(r, "long_ascii_key_of_many_bytes")->span.end, 43 + 30 + 3);
    assert_int_equal(get(r, "w")->span.start, 77 + 3);
    assert_int_equal(get(r, "w")->span.end, 77 + 3 + 33 + 4 + 2);
    assert_span(get(r, "w"), 3, 4, 3, 40);
    unload(l);

    /* A UTF-8 BOM is accepted and is not a column. */
    l = load("\xEF\xBB\xBF" "a: b\nc: d\n");
    assert_int_equal(l->diags.count, 0);
    assert_span(key_node(l->doc->root, "a"), 1, 1, 1, 2);
    assert_int_equal(key_node(l->doc->root, "a")->span.start, 3);
    assert_span(get(l->doc->root, "c"), 2, 4, 2, 5);
    unload(l);

    /* CRLF and a lone CR both end a line. */
    l = load("a: 1\r\nb: é\r\nc: 3\rd: 4\r");
    assert_int_equal(l->diags.count, 0);
    assert_span(get(l->doc->root, "b"), 2, 4, 2, 5);
    assert_span(get(l->doc->root, "c"), 3, 4, 3, 5);
    assert_span(get(l->doc->root, "d"), 4, 4, 4, 5);
    unload(l);
}

static void test_alias_spans(void **state)
{
    (void)state;
    loaded *l = load("base: &b {x: 1}\nuse: *b\nlist: [*b, *b]\n");
    const ssmc_node *r = l->doc->root;
    assert_int_equal(l->diags.count, 0);
    const ssmc_node *base = get(r, "base");
    /* The alias is the anchored node itself, flagged as shared. */
    assert_ptr_equal(get(r, "use"), base);
    assert_true(base->flags & SSMC_NODE_ALIASED);
    assert_span(base, 1, 7, 1, 16);
    /* The list ends at its bracket, even though its items live elsewhere. */
    assert_span(get(r, "list"), 3, 7, 3, 15);
    unload(l);

    /* The alias limit counts what each alias expands to: the map {x: 1}
     * is 3 nodes, and three aliases of it are 9, so a limit of 9 holds
     * and 8 stops at the third alias (the list's second item). */
    const char *three = "base: &b {x: 1}\nuse: *b\nlist: [*b, *b]\n";
    ssmc_load_options o;
    ssmc_load_options_init(&o);
    o.limits.max_alias_weight = 9;
    l = load_with(three, strlen(three), &o);
    assert_int_equal(l->diags.count, 0);
    unload(l);
    o.limits.max_alias_weight = 8;
    l = load_with(three, strlen(three), &o);
    const ssmc_diag *d = find_rule(l, SSMC_RULE_SSM1022);
    assert_non_null(d);
    assert_int_equal(d->span.start.line, 3);
    assert_int_equal(d->span.start.col, 12);
    unload(l);

    /* An alias inside an anchored collection counts inside it too:
     * &outer is 1 + (key 1 + the map 3) = 5 nodes. */
    const char *nested = "base: &b {x: 1}\nouter: &o {k: *b}\nuse: *o\n";
    o.limits.max_alias_weight = 8; /* *b 3, then *o 5 */
    l = load_with(nested, strlen(nested), &o);
    assert_int_equal(l->diags.count, 0);
    unload(l);
    o.limits.max_alias_weight = 7;
    l = load_with(nested, strlen(nested), &o);
    assert_non_null(find_rule(l, SSMC_RULE_SSM1022));
    unload(l);

    /* A block mapping whose last value is an alias ends at the alias. */
    l = load("a: &x 1\nb: *x\n");
    assert_span(l->doc->root, 1, 1, 2, 6);
    unload(l);
}

/* A huge single-line flow document with multi-byte characters: the
 * positions must still be exact (the cursors keep it linear). */
static void test_huge_single_line(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    buf_adds(&b, "{k: [");
    size_t n = 200000;
    for (size_t i = 0; i < n; i++)
        buf_adds(&b, i ? ", é" : "é");
    buf_adds(&b, "], z: ü}\n");
    loaded *l = load_with(b.data, b.len, NULL);
    const ssmc_node *k = get(l->doc->root, "k");
    assert_int_equal(k->count, n);
    /* "{k: [" is 5 columns, then "é" and n-1 times ", é". */
    assert_int_equal(span_in(l, k->items[n - 1]).start.col, 6 + 3 * (n - 1));
    /* "], z: " follows the last item, then "ü". */
    assert_span(get(l->doc->root, "z"), 1, (uint32_t)(6 + 3 * (n - 1) + 7),
                1, (uint32_t)(6 + 3 * (n - 1) + 8));
    unload(l);
    buf_free(&b);
}

/* --- typing ----------------------------------------------------------- */

typedef struct typing_case {
    const char *text;
    ssmc_node_type type;
    bool ambiguous; /* SSM1019 expected */
} typing_case;

static void test_plain_typing(void **state)
{
    (void)state;
    static const typing_case cases[] = {
        {"hello", SSMC_NODE_STRING, false},
        {"~", SSMC_NODE_NULL, false},
        {"null", SSMC_NODE_NULL, false},
        {"NULL", SSMC_NODE_NULL, false},
        {"nULL", SSMC_NODE_STRING, false},
        {"true", SSMC_NODE_BOOL, false},
        {"False", SSMC_NODE_BOOL, false},
        {"yes", SSMC_NODE_STRING, true},
        {"No", SSMC_NODE_STRING, true},
        {"on", SSMC_NODE_STRING, true},
        {"OFF", SSMC_NODE_STRING, true},
        {"y", SSMC_NODE_STRING, true},
        {"n", SSMC_NODE_STRING, true},
        {"yEs", SSMC_NODE_STRING, false},
        {"42", SSMC_NODE_INT, false},
        {"-7", SSMC_NODE_INT, false},
        {"+7", SSMC_NODE_INT, false},
        {"0", SSMC_NODE_INT, false},
        {"0755", SSMC_NODE_INT, true},   /* octal 493 in 1.1 */
        {"07", SSMC_NODE_INT, false},    /* 7 either way */
        {"00", SSMC_NODE_INT, false},
        {"089", SSMC_NODE_INT, true},    /* a string in 1.1 */
        {"0o17", SSMC_NODE_INT, true},
        {"0x1F", SSMC_NODE_INT, false},
        {"0b101", SSMC_NODE_STRING, true},
        {"1_000", SSMC_NODE_STRING, true},
        {"1:30", SSMC_NODE_STRING, true},
        {"10:00:00", SSMC_NODE_STRING, true},
        {"1:70", SSMC_NODE_STRING, false},
        {"12:30pm", SSMC_NODE_STRING, false},
        {"1e3", SSMC_NODE_FLOAT, true},
        {"1.5e3", SSMC_NODE_FLOAT, true},
        {"1.5e+3", SSMC_NODE_FLOAT, false},
        {"2.2", SSMC_NODE_FLOAT, false},
        {".5", SSMC_NODE_FLOAT, false},
        {"1.", SSMC_NODE_FLOAT, false},
        {".inf", SSMC_NODE_FLOAT, false},
        {"-.Inf", SSMC_NODE_FLOAT, false},
        {".NaN", SSMC_NODE_FLOAT, false},
        {"1.2.3", SSMC_NODE_STRING, false},
        {"99999999999999999999", SSMC_NODE_FLOAT, false},
        {"-x", SSMC_NODE_STRING, false},
        {"v1:30", SSMC_NODE_STRING, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "v: %s\n", cases[i].text);
        loaded *l = load(text);
        const ssmc_node *v = get(l->doc->root, "v");
        if (v->type != cases[i].type || (count_rule(l, SSMC_RULE_SSM1019) == 1) !=
                                            cases[i].ambiguous) {
            dump(l);
            fail_msg("'%s': type %s, SSM1019 %zu; expected %s, %d", cases[i].text,
                     ssmc_node_type_name(v->type), count_rule(l, SSMC_RULE_SSM1019),
                     ssmc_node_type_name(cases[i].type), cases[i].ambiguous);
        }
        unload(l);
    }
    loaded *l = load("a: 0755\nb: 0x10\nc: 1e3\n");
    assert_int_equal(get(l->doc->root, "a")->val.i, 755);
    assert_int_equal(get(l->doc->root, "b")->val.i, 16);
    assert_true(get(l->doc->root, "c")->val.f == 1000.0);
    const ssmc_diag *d = find_rule(l, SSMC_RULE_SSM1019);
    assert_non_null(strstr(d->message, "octal number 493"));
    assert_int_equal(d->severity, SSMC_SEV_WARNING);
    unload(l);

    /* Quoted scalars are strings and never ambiguous. */
    l = load("a: 'yes'\nb: \"0755\"\nc: '1:30'\n");
    assert_int_equal(l->diags.count, 0);
    assert_int_equal(get(l->doc->root, "a")->type, SSMC_NODE_STRING);
    unload(l);
}

static void test_tags(void **state)
{
    (void)state;
    loaded *l = load("a: !!str 2.2\nb: !!int \"3\"\nc: !!float 1\nd: ! 12\ne: !!map {x: 1}\n"
                     "f: !!seq [1]\ng: !!null ''\n");
    assert_int_equal(l->diags.count, 0);
    assert_int_equal(get(l->doc->root, "a")->type, SSMC_NODE_STRING);
    assert_string_equal(get(l->doc->root, "a")->str, "2.2");
    assert_int_equal(get(l->doc->root, "b")->type, SSMC_NODE_INT);
    assert_int_equal(get(l->doc->root, "c")->type, SSMC_NODE_FLOAT);
    assert_int_equal(get(l->doc->root, "d")->type, SSMC_NODE_STRING);
    assert_int_equal(get(l->doc->root, "g")->type, SSMC_NODE_NULL);
    unload(l);

    l = load("a: !!binary aGVsbG8=\nb: !!set {x: null}\nc: !!omap [a: 1]\nd: !Foo x\n");
    assert_int_equal(count_rule(l, SSMC_RULE_SSM1020), 4);
    assert_int_equal(find_rule(l, SSMC_RULE_SSM1020)->severity, SSMC_SEV_ERROR);
    assert_non_null(strstr(find_rule(l, SSMC_RULE_SSM1020)->message, "'!!binary'"));
    unload(l);

    /* CloudFormation intrinsics: once per document, as a warning (the file
     * may be the Content of an AWS::Include). */
    l = load("a: !Ref X\nb: !Sub '${X}'\nc: !GetAtt [R, Arn]\n");
    assert_int_equal(count_rule(l, SSMC_RULE_SSM1020), 1);
    const ssmc_diag *d = find_rule(l, SSMC_RULE_SSM1020);
    assert_int_equal(d->severity, SSMC_SEV_WARNING);
    assert_int_equal(d->span.start.line, 1);
    assert_int_equal(d->span.start.col, 4);
    assert_non_null(strstr(d->message, "3 such tags"));
    assert_string_equal(get(l->doc->root, "a")->str, "X");
    unload(l);

    l = load("a: !!int abc\n");
    assert_int_equal(count_rule(l, SSMC_RULE_SSM1001), 1);
    unload(l);
}

/* --- anchors, aliases, merges ----------------------------------------- */

static void test_merge_keys(void **state)
{
    (void)state;
    loaded *l = load("a: &a {x: 1, v: 2}\n"
                     "b: &b {v: 3, z: 4}\n"
                     "one:\n  <<: *a\n  w: 0\n"
                     "two:\n  <<: [*a, *b]\n"
                     "over:\n  x: 9\n  <<: *a\n"
                     "inline:\n  <<: {q: 1}\n");
    const ssmc_node *r = l->doc->root;
    assert_int_equal(l->diags.count, 0);
    const ssmc_node *one = get(r, "one");
    assert_int_equal(one->count, 3);
    assert_int_equal(get(one, "x")->val.i, 1);
    assert_int_equal(get(one, "w")->val.i, 0);
    assert_null(ssmc_map_get(one, "<<"));
    assert_true(ssmc_map_get_pair(one, "x")->flags & SSMC_NODE_MERGED);
    assert_false(ssmc_map_get_pair(one, "w")->flags & SSMC_NODE_MERGED);
    /* Earlier sources win. */
    const ssmc_node *two = get(r, "two");
    assert_int_equal(two->count, 3);
    assert_int_equal(get(two, "v")->val.i, 2);
    assert_int_equal(get(two, "z")->val.i, 4);
    /* Explicit keys win, wherever they stand. */
    const ssmc_node *over = get(r, "over");
    assert_int_equal(over->count, 2);
    assert_int_equal(get(over, "x")->val.i, 9);
    assert_int_equal(get(get(r, "inline"), "q")->val.i, 1);
    unload(l);

    l = load("l: &l [1, 2]\nm:\n  <<: *l\n");
    assert_int_equal(count_rule(l, SSMC_RULE_SSM1027), 1);
    /* At the alias, not at the anchored list. */
    assert_int_equal(find_rule(l, SSMC_RULE_SSM1027)->span.start.line, 3);
    assert_int_equal(find_rule(l, SSMC_RULE_SSM1027)->span.start.col, 7);
    unload(l);
    l = load("m:\n  <<: 5\n");
    const ssmc_diag *d = find_rule(l, SSMC_RULE_SSM1027);
    assert_non_null(d);
    assert_int_equal(d->span.start.line, 2);
    assert_int_equal(d->span.start.col, 7);
    assert_int_equal(d->related_count, 1);
    unload(l);
    /* A quoted '<<' is an ordinary key. */
    l = load("m:\n  '<<': 5\n");
    assert_int_equal(l->diags.count, 0);
    assert_int_equal(get(get(l->doc->root, "m"), "<<")->val.i, 5);
    unload(l);
}

static void test_aliases(void **state)
{
    (void)state;
    loaded *l = load("a: *nope\n");
    const ssmc_diag *d = find_rule(l, SSMC_RULE_SSM1026);
    assert_non_null(d);
    assert_int_equal(d->span.start.col, 4);
    assert_int_equal(d->span.end.col, 9);
    unload(l);
    /* Defined after use. */
    l = load("a: *x\nb: &x 1\n");
    assert_int_equal(count_rule(l, SSMC_RULE_SSM1026), 1);
    unload(l);
    /* Recursive. */
    l = load("a: &r [1, *r]\n");
    assert_int_equal(count_rule(l, SSMC_RULE_SSM1026), 1);
    unload(l);
    /* A later anchor of the same name shadows the earlier one. */
    l = load("a: &x 1\nb: &x 2\nc: *x\n");
    assert_int_equal(get(l->doc->root, "c")->val.i, 2);
    unload(l);
}

/* --- keys and documents ----------------------------------------------- */

static void test_keys_and_documents(void **state)
{
    (void)state;
    loaded *l = load("? [a, b]\n: x\n1: v\n~: z\ntrue: w\n");
    assert_int_equal(count_rule(l, SSMC_RULE_SSM1028), 4);
    unload(l);
    l = load("a: 1\nb: 2\na: 3\n");
    const ssmc_diag *d = find_rule(l, SSMC_RULE_SSM1012);
    assert_non_null(d);
    assert_int_equal(d->span.start.line, 3);
    assert_int_equal(d->related_count, 1);
    assert_int_equal(d->related[0].span.start.line, 1);
    unload(l);

    static const struct {
        const char *text;
        ssmc_rule rule;
    } cases[] = {
        {"", SSMC_RULE_SSM1014},
        {"# only a comment\n\n", SSMC_RULE_SSM1014},
        {"---\n", SSMC_RULE_SSM1014},
        {"...\n", SSMC_RULE_SSM1014},
        {"- a\n", SSMC_RULE_SSM1030},
        {"just text\n", SSMC_RULE_SSM1030},
        {"a: 1\n---\nb: 2\n", SSMC_RULE_SSM1013},
        {"a: 1\n...\nb: 2\n", SSMC_RULE_SSM1013},
        {"a: 1\n...\n---\nb: 2\n", SSMC_RULE_SSM1013},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        l = load(cases[i].text);
        if (count_rule(l, cases[i].rule) != 1 || l->doc->syntax_ok) {
            dump(l);
            fail_msg("'%s': expected %s", cases[i].text, ssmc_rule_get(cases[i].rule)->id);
        }
        unload(l);
    }
    /* Document markers around one document are fine. */
    static const char *const fine[] = {"---\na: 1\n", "a: 1\n...\n", "--- \na: 1\n...\n",
                                       "%YAML 1.2\n---\na: 1\n", "# c\n---\na: 1\n# end\n"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        l = load(fine[i]);
        if (l->diags.count || !l->doc->syntax_ok) {
            dump(l);
            fail_msg("'%s' should load cleanly", fine[i]);
        }
        unload(l);
    }
}

/* --- syntax errors: rule, position, wording --------------------------- */

typedef struct error_case {
    const char *text;
    ssmc_rule rule;
    uint32_t line, col;
    const char *words;  /* part of the message */
    uint32_t rel_line;  /* 0: no related position expected */
} error_case;

static void test_syntax_errors(void **state)
{
    (void)state;
    static const error_case cases[] = {
        {"a: \"abc\nb: 1\n", SSMC_RULE_SSM1001, 1, 4, "never closed", 3},
        {"a: 'abc\n", SSMC_RULE_SSM1001, 1, 4, "never closed", 2},
        {"a: \"abc\nb: \"def\"\n", SSMC_RULE_SSM1001, 1, 4, "not closed on its line", 2},
        {"a: 'it's'\n", SSMC_RULE_SSM1001, 1, 8, "write it twice", 0},
        {"a:\n  b: 1\n c: 2\n", SSMC_RULE_SSM1001, 3, 2, "bad indentation", 1},
        {"a:\n  b: 1\n    c: 2\n", SSMC_RULE_SSM1001, 3, 5, "indented more than the key", 2},
        {"key: value: x\n", SSMC_RULE_SSM1001, 1, 11, "(key: \"value: x\")", 1},
        {"a:\n  b\n  c: 1\n", SSMC_RULE_SSM1001, 3, 3, "has no ':'", 2},
        {"a: b\nc\nd: e\n", SSMC_RULE_SSM1001, 2, 1, "'c' has no ':'", 0},
        {"a: \"x\\qy\"\n", SSMC_RULE_SSM1001, 1, 6, "unknown escape '\\q'", 1},
        {"a: \"\\u12\"\n", SSMC_RULE_SSM1001, 1, 5, "4 hexadecimal digits", 1},
        {"a: [1, 2\n", SSMC_RULE_SSM1001, 1, 4, "'[' is never closed", 2},
        {"a: {x: 1\n", SSMC_RULE_SSM1001, 1, 4, "'{' is never closed", 2},
        {"a: [1, 2}\n", SSMC_RULE_SSM1001, 1, 9, "does not match", 1},
        {"a: [1, 2]]\n", SSMC_RULE_SSM1001, 1, 10, "closes nothing", 0},
        {"a: [1, 2\nb: 3\n", SSMC_RULE_SSM1001, 2, 2, "still open", 1},
        {"a: [1,,2]\n", SSMC_RULE_SSM1001, 1, 7, "missing before this ','", 0},
        {"a: - b\n", SSMC_RULE_SSM1001, 1, 4, "same line as its key", 0},
        {"a: 1\n- b\n", SSMC_RULE_SSM1001, 2, 1, "cannot stand among the keys", 1},
        {"a:\n  - x\n  b: 1\n", SSMC_RULE_SSM1001, 3, 3, "not an item", 2},
        {"a: @x\n", SSMC_RULE_SSM1001, 1, 4, "reserved", 0},
        {"a: `x`\n", SSMC_RULE_SSM1001, 1, 4, "reserved", 0},
        {"a: |0\n  x\n", SSMC_RULE_SSM1001, 1, 5, "1 to 9", 1},
        {"a: |x\n", SSMC_RULE_SSM1001, 1, 5, "chomping indicator", 1},
        {"a: *\n", SSMC_RULE_SSM1001, 1, 4, "anchor name", 0},
        {"a: !x!y 1\n", SSMC_RULE_SSM1001, 1, 4, "'!x!' is not defined", 0},
        {"%YAML 2.0\n---\na: 1\n", SSMC_RULE_SSM1001, 1, 1, "not supported", 0},
        {"%FOO x\n---\na: 1\n", SSMC_RULE_SSM1001, 1, 1, "unknown directive", 0},
        {"a: \"x\n---\n\"\n", SSMC_RULE_SSM1001, 2, 1, "'---'", 1},
        {": x\n", SSMC_RULE_SSM1001, 1, 1, "key is missing", 0},
        {"a: 1\n: x\n", SSMC_RULE_SSM1001, 2, 1, "key is missing", 1},
        {"a: \"x\x01\"\n", SSMC_RULE_SSM1001, 1, 6, "U+0001", 0},
        {"a: \xc2\x85x\n", SSMC_RULE_SSM1001, 1, 4, "U+0085 is a line break", 0},
        {"\"a\nb\": 1\n", SSMC_RULE_SSM1001, 2, 3, "key must fit on one line", 0},
        /* Tabs: at the tab. */
        {"a:\n\tb: 1\n", SSMC_RULE_SSM1018, 2, 1, "tab", 0},
        {"a:\n  b: 1\n\tc: 2\n", SSMC_RULE_SSM1018, 3, 1, "tab", 0},
        {"a:\n  b: 1\n  \tc: 2\n", SSMC_RULE_SSM1018, 3, 3, "tab", 0},
        {"a: |\n\tfoo\n", SSMC_RULE_SSM1018, 2, 1, "block scalar", 0},
        {"a:\n\t- b\n", SSMC_RULE_SSM1018, 2, 1, "tab", 0},
        {"-\tb\n", SSMC_RULE_SSM1018, 1, 2, "tab", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const error_case *c = &cases[i];
        loaded *l = load(c->text);
        const ssmc_diag *d = l->diags.count ? &l->diags.items[0] : NULL;
        if (l->diags.count != 1 || d->rule != c->rule || d->span.start.line != c->line ||
            d->span.start.col != c->col || !strstr(d->message, c->words) ||
            (c->rel_line ? d->related_count != 1 || d->related[0].span.start.line != c->rel_line
                         : d->related_count != 0)) {
            dump(l);
            if (d && d->related_count)
                print_message("  related %u:%u %s\n", d->related[0].span.start.line,
                              d->related[0].span.start.col, d->related[0].message);
            fail_msg("case %zu '%s': expected %s at %u:%u with '%s'", i, c->text,
                     ssmc_rule_get(c->rule)->id, c->line, c->col, c->words);
        }
        assert_false(l->doc->syntax_ok);
        assert_null(l->doc->root);
        unload(l);
    }
    /* Tabs that are not indentation are fine. */
    static const char *const fine[] = {"a: \"x\ty\"\n", "a:\tb\n", "a: [1,\t2]\n",
                                       "a: |\n  x\n  \ty\n", "a: b # c\td\n"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        loaded *l = load(fine[i]);
        if (l->diags.count) {
            dump(l);
            fail_msg("'%s' should load cleanly", fine[i]);
        }
        unload(l);
    }
}

/* --- encodings -------------------------------------------------------- */

static void test_encodings(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
        ssmc_rule rule;
        const char *words;
    } cases[] = {
        {"\xFF\xFE" "a\0:\0 \0b\0", 10, SSMC_RULE_SSM1016, "UTF-16 (little-endian)"},
        {"\xFE\xFF\0a\0:\0 \0b", 10, SSMC_RULE_SSM1016, "UTF-16 (big-endian)"},
        {"a\0:\0 \0b\0", 8, SSMC_RULE_SSM1016, "UTF-16 (little-endian)"},
        {"\0a\0:\0 \0b", 8, SSMC_RULE_SSM1016, "UTF-16 (big-endian)"},
        {"\xFF\xFE\0\0" "a\0\0\0", 8, SSMC_RULE_SSM1016, "UTF-32 (little-endian)"},
        {"\0\0\xFE\xFF\0\0\0a", 8, SSMC_RULE_SSM1016, "UTF-32 (big-endian)"},
        {"a\0\0\0:\0\0\0", 8, SSMC_RULE_SSM1016, "UTF-32 (little-endian)"},
        {"\0\0\0a\0\0\0:", 8, SSMC_RULE_SSM1016, "UTF-32 (big-endian)"},
        {"a: b\nc: \0\n", 10, SSMC_RULE_SSM1017, "byte offset 8"},
        {"a: caf\xE9\n", 8, SSMC_RULE_SSM1015, "0xE9 at byte offset 6"},
        {"a: \xC0\xAF\n", 6, SSMC_RULE_SSM1015, "byte offset 3"},
        {"a: \xED\xA0\x80\n", 7, SSMC_RULE_SSM1015, "byte offset 3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        loaded *l = load_with(cases[i].bytes, cases[i].len, NULL);
        if (l->diags.count != 1 || l->diags.items[0].rule != cases[i].rule ||
            !strstr(l->diags.items[0].message, cases[i].words)) {
            dump(l);
            fail_msg("encoding case %zu: expected %s with '%s'", i,
                     ssmc_rule_get(cases[i].rule)->id, cases[i].words);
        }
        assert_null(l->doc->root);
        unload(l);
    }
    loaded *l = load_with("a: caf\xE9\n", 8, NULL);
    assert_int_equal(l->diags.items[0].span.start.line, 1);
    assert_int_equal(l->diags.items[0].span.start.offset, 6);
    unload(l);
}

/* --- limits ----------------------------------------------------------- */

static loaded *load_buf(buf *b, const ssmc_load_options *options)
{
    loaded *l = load_with(b->data, b->len, options);
    buf_free(b);
    return l;
}

static void expect_only(loaded *l, ssmc_rule rule)
{
    if (count_rule(l, rule) != 1 || l->doc->root) {
        dump(l);
        fail_msg("expected exactly one %s and no tree", ssmc_rule_get(rule)->id);
    }
}

static void test_limit_depth(void **state)
{
    (void)state;
    size_t n = 100000;
    buf b;
    /* 100,000 nested flow lists. */
    buf_init(&b);
    for (size_t i = 0; i < n; i++)
        buf_addc(&b, '[');
    for (size_t i = 0; i < n; i++)
        buf_addc(&b, ']');
    loaded *l = load_buf(&b, NULL);
    expect_only(l, SSMC_RULE_SSM1021);
    assert_int_equal(find_rule(l, SSMC_RULE_SSM1021)->span.start.col, 257);
    unload(l);
    /* 100,000 nested flow mappings, unclosed. */
    buf_init(&b);
    for (size_t i = 0; i < n; i++)
        buf_adds(&b, "{a: ");
    expect_only(l = load_buf(&b, NULL), SSMC_RULE_SSM1021);
    unload(l);
    /* 100,000 nested block lists on one line: "- - - ... x". */
    buf_init(&b);
    for (size_t i = 0; i < n; i++)
        buf_adds(&b, "- ");
    buf_adds(&b, "x\n");
    expect_only(l = load_buf(&b, NULL), SSMC_RULE_SSM1021);
    unload(l);
    /* Nested block mappings, one more space per level. */
    buf_init(&b);
    for (size_t i = 0; i < 300; i++) {
        for (size_t j = 0; j < i; j++)
            buf_addc(&b, ' ');
        buf_adds(&b, "k:\n");
    }
    expect_only(l = load_buf(&b, NULL), SSMC_RULE_SSM1021);
    unload(l);
    /* Depth through aliases counts the expanded nesting. */
    buf_init(&b);
    buf_adds(&b, "a: &a ");
    for (size_t i = 0; i < 200; i++)
        buf_addc(&b, '[');
    for (size_t i = 0; i < 200; i++)
        buf_addc(&b, ']');
    buf_adds(&b, "\nb: ");
    for (size_t i = 0; i < 100; i++)
        buf_addc(&b, '[');
    buf_adds(&b, "*a");
    for (size_t i = 0; i < 100; i++)
        buf_addc(&b, ']');
    buf_addc(&b, '\n');
    expect_only(l = load_buf(&b, NULL), SSMC_RULE_SSM1021);
    unload(l);
    /* Exactly at the limit is fine. */
    ssmc_load_options o;
    ssmc_load_options_init(&o);
    o.limits.max_depth = 10;
    buf_init(&b);
    buf_adds(&b, "a: ");
    for (size_t i = 0; i < 9; i++)
        buf_addc(&b, '[');
    for (size_t i = 0; i < 9; i++)
        buf_addc(&b, ']');
    l = load_buf(&b, &o);
    assert_int_equal(l->diags.count, 0);
    unload(l);
}

static void test_limit_alias_expansion(void **state)
{
    (void)state;
    /* "Billion laughs": ten levels of ten aliases each. */
    buf b;
    buf_init(&b);
    buf_adds(&b, "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 10; i++) {
        buf_printf(&b, "l%d: &l%d [", i, i);
        for (int j = 0; j < 10; j++)
            buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1);
        buf_adds(&b, "]\n");
    }
    loaded *l = load_buf(&b, NULL);
    expect_only(l, SSMC_RULE_SSM1022);
    unload(l);
    /* The same through merge keys. */
    buf_init(&b);
    buf_adds(&b, "m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n");
    for (int i = 1; i <= 12; i++)
        buf_printf(&b, "m%d: &m%d {x: [*m%d, *m%d, *m%d, *m%d, *m%d, *m%d, *m%d, *m%d]}\n", i,
                   i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    expect_only(l = load_buf(&b, NULL), SSMC_RULE_SSM1022);
    unload(l);
    /* Reasonable sharing stays under the limit. */
    l = load("base: &b {x: [1, 2, 3]}\none: *b\ntwo: *b\n");
    assert_int_equal(l->diags.count, 0);
    unload(l);
}

static void test_limit_nodes_scalar_file(void **state)
{
    (void)state;
    ssmc_load_options o;
    ssmc_load_options_init(&o);
    o.limits.max_nodes = 100;
    buf b;
    buf_init(&b);
    for (int i = 0; i < 60; i++)
        buf_printf(&b, "k%d: v\n", i);
    loaded *l = load_buf(&b, &o);
    expect_only(l, SSMC_RULE_SSM1023);
    unload(l);

    ssmc_load_options_init(&o);
    o.limits.max_scalar_bytes = 1000;
    buf_init(&b);
    buf_adds(&b, "a: ");
    for (int i = 0; i < 1001; i++)
        buf_addc(&b, 'x');
    buf_addc(&b, '\n');
    expect_only(l = load_buf(&b, &o), SSMC_RULE_SSM1024);
    assert_int_equal(find_rule(l, SSMC_RULE_SSM1024)->span.start.col, 4);
    unload(l);
    buf_init(&b);
    buf_adds(&b, "a: ");
    for (int i = 0; i < 1000; i++)
        buf_addc(&b, 'x');
    l = load_buf(&b, &o);
    assert_int_equal(l->diags.count, 0);
    unload(l);

    ssmc_load_options_init(&o);
    o.limits.max_file_bytes = 10;
    l = load_with("a: 1234567890\n", 14, &o);
    expect_only(l, SSMC_RULE_SSM1025);
    unload(l);
    l = load_with("a: 1234\n", 8, &o);
    assert_int_equal(l->diags.count, 0);
    unload(l);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_spans),
        cmocka_unit_test(test_collection_spans),
        cmocka_unit_test(test_positions_unicode_and_line_ends),
        cmocka_unit_test(test_alias_spans),
        cmocka_unit_test(test_huge_single_line),
        cmocka_unit_test(test_plain_typing),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_merge_keys),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_keys_and_documents),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_limit_depth),
        cmocka_unit_test(test_limit_alias_expansion),
        cmocka_unit_test(test_limit_nodes_scalar_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
