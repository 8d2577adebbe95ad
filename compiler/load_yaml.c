/* load_yaml.c — YAML through libyaml's event API into the shared tree.
 *
 * libyaml gives 0-based marks that count characters; we turn its character
 * index into a byte offset with a cursor that moves with the events, and
 * then into our own line and column (so every front end agrees on what a
 * line is). Aliases arrive unexpanded: they become shared subtrees whose
 * expanded size is counted against ssmc_limits.max_alias_weight. libyaml
 * 0.2.5 has no nesting limit, so depth is bounded here. */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct anchor {
    const char *name;
    ssmc_node *node;
} anchor;

typedef struct frame {
    ssmc_node *node;
    /* Children collect here until the collection ends. */
    ssmc_node **items;
    size_t count, cap;
    ssmc_node *pending_key; /* mapping: a key waiting for its value */
} frame;

typedef struct yaml_loader {
    loader *ld;
    yaml_parser_t parser;
    /* char index -> byte offset cursor */
    size_t cur_char, cur_byte, base_byte;
    frame *stack;
    size_t depth, stack_cap;
    anchor *anchors;
    size_t anchor_count, anchor_cap;
    int documents;
} yaml_loader;

/* --- positions ------------------------------------------------------- */

static size_t char_to_byte(yaml_loader *yl, size_t ci)
{
    const ssmc_source *src = yl->ld->source;
    if (src->ascii)
        return ci + yl->base_byte < src->len ? ci + yl->base_byte : src->len;
    const unsigned char *d = (const unsigned char *)src->data;
    if (ci < yl->cur_char) {
        /* Marks are nearly monotonic; step back character by character. */
        while (yl->cur_char > ci && yl->cur_byte > yl->base_byte) {
            yl->cur_byte--;
            while (yl->cur_byte > yl->base_byte && (d[yl->cur_byte] & 0xC0) == 0x80)
                yl->cur_byte--;
            yl->cur_char--;
        }
    }
    while (yl->cur_char < ci && yl->cur_byte < src->len) {
        yl->cur_byte++;
        while (yl->cur_byte < src->len && (d[yl->cur_byte] & 0xC0) == 0x80)
            yl->cur_byte++;
        yl->cur_char++;
    }
    return yl->cur_byte;
}

static ssmc_pos mark_pos(yaml_loader *yl, yaml_mark_t m)
{
    return ssmc_source_pos(yl->ld->source, char_to_byte(yl, m.index));
}

static ssmc_span mark_span(yaml_loader *yl, yaml_mark_t a, yaml_mark_t b)
{
    ssmc_span s;
    s.start = mark_pos(yl, a);
    s.end = mark_pos(yl, b);
    return s;
}

static ssmc_span point(yaml_loader *yl, yaml_mark_t m)
{
    ssmc_span s;
    s.start = s.end = mark_pos(yl, m);
    return s;
}

/* --- errors ---------------------------------------------------------- */

/* libyaml's problems are terse and name grammar productions; this says what
 * a person should look at. */
static const char *reword(const char *problem)
{
    static const struct {
        const char *from, *to;
    } table[] = {
        {"mapping values are not allowed in this context",
         "a ':' followed by a space is not allowed here; quote the value if it contains ': ', "
         "or fix the indentation of this key"},
        {"did not find expected key",
         "expected a key at this indentation; check that this line lines up with the keys "
         "of its mapping"},
        {"did not find expected '-' indicator",
         "expected a list item ('- ') at this indentation; check that the items of this "
         "list line up"},
        {"found character that cannot start any token",
         "this character cannot start a YAML value here; quote the value"},
        {"found undefined tag handle", "undefined tag handle; define it with %TAG or remove it"},
        {"did not find expected node content",
         "expected a value here (a scalar, list or mapping)"},
        {"could not find expected ':'",
         "expected ':' after this key; a multi-line plain key is not allowed"},
        {"found unexpected end of stream", "the file ends inside an unfinished construct"},
        {"found unknown escape character",
         "unknown escape in a double-quoted string; escape the backslash as \\\\ or use single "
         "quotes"},
        {"did not find expected ',' or ']'", "expected ',' or ']' in this flow list"},
        {"did not find expected ',' or '}'", "expected ',' or '}' in this flow mapping"},
        {"block sequence entries are not allowed in this context",
         "a '- ' list item is not allowed here; put the list on its own lines, indented under "
         "its key"},
        {"found a tab character that violates indentation",
         "a tab is used for indentation; YAML indentation must be spaces"},
        {"found a tab character where an indentation space is expected",
         "a tab is used for indentation; YAML indentation must be spaces"},
        {"found duplicate %YAML directive", "duplicate %YAML directive"},
        {"found incompatible YAML document", "unsupported %YAML version; use 1.1 or 1.2"},
        {"found unexpected end of stream while scanning a quoted scalar",
         "the quoted string is never closed"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(problem, table[i].from) == 0)
            return table[i].to;
    return problem;
}

static bool tab_in_indentation(yaml_loader *yl, size_t off)
{
    const ssmc_source *src = yl->ld->source;
    ssmc_pos p = ssmc_source_pos(src, off);
    size_t len;
    const char *line = ssmc_source_line(src, p.line, &len);
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '\t')
            return true;
        if (line[i] != ' ')
            return false;
    }
    return false;
}

static void report_parser_error(yaml_loader *yl)
{
    yaml_parser_t *p = &yl->parser;
    loader *ld = yl->ld;
    const char *problem = p->problem ? p->problem : "unknown YAML error";
    if (p->error == YAML_MEMORY_ERROR) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM9001, ld->file, point(yl, p->problem_mark),
                      "out of memory while reading YAML");
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        /* Encodings were checked before; this is libyaml's own complaint. */
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1015, ld->file, point(yl, p->problem_mark),
                      "%s at byte offset %zu", problem, p->problem_offset);
        return;
    }
    ssmc_span at = point(yl, p->problem_mark);
    /* A tab in the indentation of the failing line (or the line where the
     * open construct began) is nearly always the real cause. */
    size_t off = at.start.offset;
    if (tab_in_indentation(yl, off) ||
        (p->context && tab_in_indentation(yl, mark_pos(yl, p->context_mark).offset))) {
        ssmc_pos tp = at.start;
        if (!tab_in_indentation(yl, off))
            tp = mark_pos(yl, p->context_mark);
        size_t len;
        const char *line = ssmc_source_line(ld->source, tp.line, &len);
        size_t col = 0;
        while (col < len && line[col] == ' ')
            col++;
        ssmc_span ts;
        ts.start.line = ts.end.line = tp.line;
        ts.start.col = (uint32_t)col + 1;
        ts.end.col = (uint32_t)col + 2;
        ts.start.offset = (size_t)(line - ld->source->data) + col;
        ts.end.offset = ts.start.offset + 1;
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1018, ld->file, ts,
                      "tab character in indentation; YAML indentation must be spaces (replace "
                      "the tab with spaces)");
        return;
    }
    ssmc_diag *d = ssmc_diag_add(ld->diags, SSMC_RULE_SSM1001, ld->file, at, "%s",
                                 reword(problem));
    if (p->context) {
        ssmc_span cs = point(yl, p->context_mark);
        if (cs.start.offset != at.start.offset)
            ssmc_diag_add_related(d, ld->file, cs, "%s", p->context);
    }
}

/* --- scalars --------------------------------------------------------- */

static bool all_match(const char *s, size_t len, const char *set)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!strchr(set, s[i]))
            return false;
    return true;
}

static bool is_one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

/* YAML 1.2 core schema: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool is_core_float(const char *s)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    bool digits = false;
    while (*p >= '0' && *p <= '9')
        p++, digits = true;
    if (*p == '.') {
        p++;
        bool frac = false;
        while (*p >= '0' && *p <= '9')
            p++, frac = true;
        if (!digits && !frac)
            return false;
    } else if (!digits) {
        return false;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

static bool is_core_int(const char *s)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    return all_match(p, strlen(p), "0123456789");
}

static void warn_ambiguous(loader *ld, ssmc_node *n, const char *as11, const char *as12)
{
    ssmc_diag_add(ld->diags, SSMC_RULE_SSM1019, ld->file, n->span,
                  "'%s' is %s in YAML 1.1 but %s in YAML 1.2; quote it if you mean the string, "
                  "or write the value unambiguously",
                  n->str, as11, as12);
}

/* Plain, untagged scalars are typed by the YAML 1.2 core schema, which is
 * what a JSON-minded reader (and the SSM service, as far as its YAML output
 * shows) produces; where YAML 1.1 disagrees, the user is warned. */
static void resolve_plain(loader *ld, ssmc_node *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    static const char *const yaml11_bools[] = {"y", "Y", "yes", "Yes", "YES", "n", "N",
                                               "no", "No", "NO", "on", "On", "ON", "off",
                                               "Off", "OFF", NULL};
    static const char *const infs[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                                       "-.inf", "-.Inf", "-.INF", NULL};
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    const char *s = n->str;
    if (memchr(s, '\0', n->len))
        return;
    if (is_one_of(s, nulls)) {
        n->type = SSMC_NODE_NULL;
        return;
    }
    if (is_one_of(s, trues) || is_one_of(s, falses)) {
        n->type = SSMC_NODE_BOOL;
        n->val.b = is_one_of(s, trues);
        return;
    }
    if (is_one_of(s, yaml11_bools)) {
        warn_ambiguous(ld, n, "a boolean", "a string");
        return;
    }
    const char *digits = (s[0] == '-' || s[0] == '+') ? s + 1 : s;
    if (is_core_int(s)) {
        if (digits[0] == '0' && digits[1] != '\0')
            warn_ambiguous(ld, n, "an octal number", "a decimal number");
        errno = 0;
        long long v = strtoll(s, NULL, 10);
        if (errno == ERANGE) {
            n->type = SSMC_NODE_FLOAT;
            n->val.f = strtod(s, NULL);
        } else {
            n->type = SSMC_NODE_INT;
            n->val.i = v;
        }
        return;
    }
    if ((s[0] == '0' && s[1] == 'o' && all_match(s + 2, strlen(s + 2), "01234567")) ||
        (s[0] == '0' && s[1] == 'x' && all_match(s + 2, strlen(s + 2), "0123456789abcdefABCDEF"))) {
        errno = 0;
        unsigned long long v = strtoull(s + 2, NULL, s[1] == 'o' ? 8 : 16);
        if (s[1] == 'o')
            warn_ambiguous(ld, n, "a string", "an octal number");
        if (errno == ERANGE || v > (unsigned long long)INT64_MAX) {
            n->type = SSMC_NODE_FLOAT;
            n->val.f = (double)v;
        } else {
            n->type = SSMC_NODE_INT;
            n->val.i = (int64_t)v;
        }
        return;
    }
    if (is_core_float(s)) {
        n->type = SSMC_NODE_FLOAT;
        n->val.f = strtod(s, NULL);
        /* YAML 1.1 floats need a '.', and a sign on the exponent. */
        if (!strchr(s, '.'))
            warn_ambiguous(ld, n, "a string", "a number");
        return;
    }
    if (is_one_of(s, infs) || is_one_of(s, nans)) {
        n->type = SSMC_NODE_FLOAT;
        n->val.f = is_one_of(s, nans) ? NAN : (s[0] == '-' ? -INFINITY : INFINITY);
        return;
    }
    /* Forms only YAML 1.1 reads as numbers. */
    if (digits[0] >= '0' && digits[0] <= '9') {
        if (digits[0] == '0' && digits[1] == 'b' && all_match(digits + 2, strlen(digits + 2), "01_")) {
            warn_ambiguous(ld, n, "a binary number", "a string");
        } else if (strchr(s, '_') && all_match(digits, strlen(digits), "0123456789_.eE+-") &&
                   digits[0] != '_') {
            warn_ambiguous(ld, n, "a number", "a string");
        } else if (strchr(s, ':') && all_match(digits, strlen(digits), "0123456789_:.") &&
                   digits[0] != '0') {
            /* Sexagesimal: 1:30 is 90 in YAML 1.1. */
            const char *c = strchr(digits, ':');
            if (c[1] >= '0' && c[1] <= '9')
                warn_ambiguous(ld, n, "a base-60 number", "a string");
        }
    }
}

/* Core-schema tags that keep their meaning in JSON. */
static bool apply_tag(yaml_loader *yl, ssmc_node *n, const char *tag, bool plain)
{
    loader *ld = yl->ld;
    if (strcmp(tag, "tag:yaml.org,2002:str") == 0) {
        n->type = SSMC_NODE_STRING;
        return true;
    }
    if (strcmp(tag, "!") == 0) {
        /* The non-specific tag: a quoted scalar's own tag. */
        n->type = SSMC_NODE_STRING;
        return true;
    }
    if (strcmp(tag, "tag:yaml.org,2002:null") == 0 || strcmp(tag, "tag:yaml.org,2002:bool") == 0 ||
        strcmp(tag, "tag:yaml.org,2002:int") == 0 || strcmp(tag, "tag:yaml.org,2002:float") == 0) {
        resolve_plain(ld, n);
        const char *want = tag + strlen("tag:yaml.org,2002:");
        const char *got = n->type == SSMC_NODE_NULL    ? "null"
                          : n->type == SSMC_NODE_BOOL  ? "bool"
                          : n->type == SSMC_NODE_INT   ? "int"
                          : n->type == SSMC_NODE_FLOAT ? "float"
                                                       : "str";
        if (strcmp(want, got) != 0 && !(strcmp(want, "float") == 0 && strcmp(got, "int") == 0)) {
            ssmc_diag_add(ld->diags, SSMC_RULE_SSM1001, ld->file, n->span,
                          "'%s' is not a valid !!%s value", n->str, want);
        } else if (strcmp(want, "float") == 0 && n->type == SSMC_NODE_INT) {
            n->type = SSMC_NODE_FLOAT;
            n->val.f = (double)n->val.i;
        }
        return true;
    }
    (void)plain;
    return false;
}

static void report_unknown_tag(yaml_loader *yl, ssmc_node *n, const char *tag)
{
    loader *ld = yl->ld;
    const char *shown = tag;
    char shortened[256];
    if (strncmp(tag, "tag:yaml.org,2002:", 18) == 0) {
        snprintf(shortened, sizeof shortened, "!!%s", tag + 18);
        shown = shortened;
    }
    static const char *const cfn[] = {"!Ref", "!Sub", "!GetAtt", "!Join", "!Select", "!Split",
                                      "!If", "!Equals", "!Not", "!And", "!Or", "!FindInMap",
                                      "!ImportValue", "!GetAZs", "!Base64", "!Cidr",
                                      "!Condition", "!Transform", NULL};
    if (is_one_of(tag, cfn))
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1020, ld->file, n->span,
                      "tag '%s' is a CloudFormation intrinsic function, not part of an SSM "
                      "document; check the document inside the template's Content instead",
                      shown);
    else
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1020, ld->file, n->span,
                      "tag '%s' is not supported in SSM documents (only the JSON-compatible "
                      "core tags !!str, !!int, !!float, !!bool, !!null, !!seq, !!map are); "
                      "remove it",
                      shown);
}

/* --- tree building --------------------------------------------------- */

static bool over_node_limit(yaml_loader *yl, yaml_mark_t m)
{
    loader *ld = yl->ld;
    if (ld->nodes < ld->limits.max_nodes)
        return false;
    ssmc_diag_add(ld->diags, SSMC_RULE_SSM1023, ld->file, point(yl, m),
                  "the document has more than %zu nodes; ssmc stops reading here",
                  ld->limits.max_nodes);
    ld->failed = true;
    return true;
}

static void register_anchor(yaml_loader *yl, const yaml_char_t *name, ssmc_node *node)
{
    if (!name)
        return;
    /* A later anchor of the same name shadows the earlier one, as YAML says. */
    GROW(yl->anchors, yl->anchor_cap, yl->anchor_count + 1);
    yl->anchors[yl->anchor_count].name = arena_strdup(yl->ld->doc->arena, (const char *)name);
    yl->anchors[yl->anchor_count].node = node;
    yl->anchor_count++;
}

static ssmc_node *find_anchor(yaml_loader *yl, const char *name)
{
    for (size_t i = yl->anchor_count; i-- > 0;)
        if (strcmp(yl->anchors[i].name, name) == 0)
            return yl->anchors[i].node;
    return NULL;
}

static void add_child(yaml_loader *yl, ssmc_node *child)
{
    loader *ld = yl->ld;
    if (yl->depth == 0) {
        ld->doc->root = child;
        return;
    }
    frame *f = &yl->stack[yl->depth - 1];
    GROW(f->items, f->cap, f->count + 1);
    f->items[f->count++] = child;
}

static void push_frame(yaml_loader *yl, ssmc_node *node)
{
    GROW(yl->stack, yl->stack_cap, yl->depth + 1);
    frame *f = &yl->stack[yl->depth++];
    memset(f, 0, sizeof *f);
    f->node = node;
}

static bool is_merge_key(const ssmc_node *key)
{
    return key->style == SSMC_STYLE_PLAIN && key->len == 2 && memcmp(key->str, "<<", 2) == 0 &&
           (!key->tag || strcmp(key->tag, "tag:yaml.org,2002:merge") == 0);
}

/* Merge keys ('<<'): the keys of the merged mapping(s) are added unless the
 * mapping already has them; with a list, earlier mappings win. */
static void apply_merges(yaml_loader *yl, ssmc_node *map, ssmc_pair *pairs, size_t n,
                         size_t *out_count)
{
    loader *ld = yl->ld;
    size_t kept = 0;
    ssmc_pair *merged_src[64];
    size_t merged_cnt[64];
    size_t nsrc = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_merge_key(pairs[i].key)) {
            pairs[kept++] = pairs[i];
            continue;
        }
        ssmc_node *v = pairs[i].value;
        ssmc_node **list = &v;
        size_t count = 1;
        if (v->type == SSMC_NODE_SEQ)
            list = v->items, count = v->count;
        for (size_t j = 0; j < count; j++) {
            if (list[j]->type != SSMC_NODE_MAP) {
                ssmc_diag_add(ld->diags, SSMC_RULE_SSM1027, ld->file, list[j]->span,
                              "the value of a merge key '<<' must be a mapping or a list of "
                              "mappings, not a %s", ssmc_node_type_name(list[j]->type));
                continue;
            }
            if (nsrc < sizeof merged_src / sizeof merged_src[0]) {
                merged_src[nsrc] = list[j]->pairs;
                merged_cnt[nsrc] = list[j]->count;
                nsrc++;
            }
        }
    }
    size_t total = kept;
    for (size_t s = 0; s < nsrc; s++)
        total += merged_cnt[s];
    ssmc_pair *out = arena_alloc(ld->doc->arena, (total ? total : 1) * sizeof *out);
    if (kept)
        memcpy(out, pairs, kept * sizeof *out);
    size_t m = kept;
    for (size_t s = 0; s < nsrc; s++) {
        for (size_t j = 0; j < merged_cnt[s]; j++) {
            ssmc_pair p = merged_src[s][j];
            bool present = false;
            for (size_t k = 0; k < m && !present; k++)
                present = out[k].key->len == p.key->len &&
                          memcmp(out[k].key->str, p.key->str, p.key->len) == 0;
            if (present)
                continue;
            p.flags |= SSMC_NODE_MERGED;
            out[m++] = p;
            ld->alias_weight += p.key->weight + p.value->weight;
        }
    }
    map->pairs = out;
    *out_count = m;
}

static void end_collection(yaml_loader *yl, yaml_mark_t end)
{
    loader *ld = yl->ld;
    frame *f = &yl->stack[yl->depth - 1];
    ssmc_node *node = f->node;
    node->span.end = mark_pos(yl, end);
    if (node->type == SSMC_NODE_SEQ) {
        node->items = arena_alloc(ld->doc->arena, (f->count ? f->count : 1) * sizeof(ssmc_node *));
        if (f->count)
            memcpy(node->items, f->items, f->count * sizeof(ssmc_node *));
        node->count = f->count;
    } else {
        size_t n = f->count / 2;
        ssmc_pair *pairs = arena_alloc(ld->doc->arena, (n ? n : 1) * sizeof *pairs);
        bool has_merge = false;
        for (size_t i = 0; i < n; i++) {
            pairs[i].key = f->items[2 * i];
            pairs[i].value = f->items[2 * i + 1];
            if (!ssmc_node_is_scalar(pairs[i].key))
                ssmc_diag_add(ld->diags, SSMC_RULE_SSM1028, ld->file, pairs[i].key->span,
                              "a %s cannot be a key; SSM documents are JSON objects, whose keys "
                              "are strings",
                              ssmc_node_type_name(pairs[i].key->type));
            if (is_merge_key(pairs[i].key))
                has_merge = true;
        }
        node->pairs = pairs;
        node->count = n;
        if (has_merge)
            apply_merges(yl, node, pairs, n, &node->count);
        loader_check_duplicate_keys(ld, node);
    }
    free(f->items);
    yl->depth--;
    loader_finish_collection(node);
    add_child(yl, node);
}

static void on_scalar(yaml_loader *yl, yaml_event_t *ev)
{
    loader *ld = yl->ld;
    if (over_node_limit(yl, ev->start_mark))
        return;
    ssmc_style style;
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = SSMC_STYLE_SINGLE_QUOTED; break;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = SSMC_STYLE_DOUBLE_QUOTED; break;
    case YAML_LITERAL_SCALAR_STYLE: style = SSMC_STYLE_LITERAL; break;
    case YAML_FOLDED_SCALAR_STYLE: style = SSMC_STYLE_FOLDED; break;
    default: style = SSMC_STYLE_PLAIN; break;
    }
    ssmc_node *n = loader_new_node(ld, SSMC_NODE_STRING, style,
                                   mark_span(yl, ev->start_mark, ev->end_mark));
    size_t len = ev->data.scalar.length;
    if (len > ld->limits.max_scalar_bytes) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1024, ld->file, n->span,
                      "this scalar is %zu bytes, over the limit of %zu bytes", len,
                      ld->limits.max_scalar_bytes);
        ld->failed = true;
        return;
    }
    n->str = arena_strndup(ld->doc->arena, (const char *)ev->data.scalar.value, len);
    n->len = len;
    const char *tag = (const char *)ev->data.scalar.tag;
    if (tag) {
        n->tag = arena_strdup(ld->doc->arena, tag);
        if (!apply_tag(yl, n, tag, style == SSMC_STYLE_PLAIN))
            report_unknown_tag(yl, n, tag);
    } else if (style == SSMC_STYLE_PLAIN) {
        resolve_plain(ld, n);
    }
    register_anchor(yl, ev->data.scalar.anchor, n);
    add_child(yl, n);
}

static void on_collection_start(yaml_loader *yl, yaml_event_t *ev, bool is_map)
{
    loader *ld = yl->ld;
    if (over_node_limit(yl, ev->start_mark))
        return;
    if (yl->depth >= ld->limits.max_depth) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1021, ld->file, point(yl, ev->start_mark),
                      "nesting is deeper than %zu levels; ssmc stops reading here",
                      ld->limits.max_depth);
        ld->failed = true;
        return;
    }
    const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    bool flow = is_map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                       : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    ssmc_node *n = loader_new_node(ld, is_map ? SSMC_NODE_MAP : SSMC_NODE_SEQ,
                                   flow ? SSMC_STYLE_FLOW : SSMC_STYLE_BLOCK,
                                   point(yl, ev->start_mark));
    if (tag) {
        n->tag = arena_strdup(ld->doc->arena, (const char *)tag);
        const char *want = is_map ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq";
        if (strcmp((const char *)tag, want) != 0 && strcmp((const char *)tag, "!") != 0)
            report_unknown_tag(yl, n, (const char *)tag);
    }
    register_anchor(yl, is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor, n);
    push_frame(yl, n);
}

static void on_alias(yaml_loader *yl, yaml_event_t *ev)
{
    loader *ld = yl->ld;
    const char *name = (const char *)ev->data.alias.anchor;
    ssmc_node *target = find_anchor(yl, name);
    ssmc_span at = mark_span(yl, ev->start_mark, ev->end_mark);
    if (!target) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1026, ld->file, at,
                      "alias '*%s' refers to no anchor; define '&%s' before it", name, name);
        /* Keep the tree shaped: a null stands in for the missing value. */
        add_child(yl, loader_new_node(ld, SSMC_NODE_NULL, SSMC_STYLE_PLAIN, at));
        return;
    }
    /* An alias to a collection that is still open would make a cycle. */
    for (size_t i = 0; i < yl->depth; i++) {
        if (yl->stack[i].node == target) {
            ssmc_diag_add(ld->diags, SSMC_RULE_SSM1026, ld->file, at,
                          "alias '*%s' refers to a collection that contains it; recursive data "
                          "has no JSON form", name);
            add_child(yl, loader_new_node(ld, SSMC_NODE_NULL, SSMC_STYLE_PLAIN, at));
            return;
        }
    }
    ld->alias_weight += target->weight;
    if (ld->alias_weight > ld->limits.max_alias_weight) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1022, ld->file, at,
                      "aliases expand to more than %zu nodes; ssmc stops reading here (is this "
                      "a 'billion laughs' document?)", ld->limits.max_alias_weight);
        ld->failed = true;
        return;
    }
    target->flags |= SSMC_NODE_ALIASED;
    add_child(yl, target);
}

void load_yaml(loader *ld)
{
    yaml_loader yl;
    memset(&yl, 0, sizeof yl);
    yl.ld = ld;
    const ssmc_source *src = ld->source;
    if (src->len >= 3 && memcmp(src->data, "\xEF\xBB\xBF", 3) == 0)
        yl.base_byte = yl.cur_byte = 3;

    if (!yaml_parser_initialize(&yl.parser)) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM9001, ld->file, span_from_offsets(src, 0, 0),
                      "could not start the YAML parser");
        return;
    }
    yaml_parser_set_input_string(&yl.parser, (const unsigned char *)src->data, src->len);
    yaml_parser_set_encoding(&yl.parser, YAML_UTF8_ENCODING);

    bool done = false;
    while (!done && !ld->failed) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&yl.parser, &ev)) {
            report_parser_error(&yl);
            ld->failed = true;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++yl.documents > 1) {
                ssmc_diag_add(ld->diags, SSMC_RULE_SSM1013, ld->file, point(&yl, ev.start_mark),
                              "a second YAML document starts here; an SSM document file holds "
                              "exactly one (move it to a file of its own)");
                done = true;
            }
            break;
        case YAML_SCALAR_EVENT:
            on_scalar(&yl, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            on_collection_start(&yl, &ev, false);
            break;
        case YAML_MAPPING_START_EVENT:
            on_collection_start(&yl, &ev, true);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            end_collection(&yl, ev.end_mark);
            break;
        case YAML_ALIAS_EVENT:
            on_alias(&yl, &ev);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    if (ld->failed) {
        /* A partial tree is not handed to later stages. */
        ld->doc->root = NULL;
    }
    for (size_t i = 0; i < yl.depth; i++)
        free(yl.stack[i].items);
    free(yl.stack);
    free(yl.anchors);
    yaml_parser_delete(&yl.parser);

    if (!ld->failed && yl.documents == 0 && !ld->doc->root) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1014, ld->file, span_from_offsets(src, 0, 0),
                      "the file is empty (or holds only comments); an SSM document needs at "
                      "least schemaVersion");
    } else if (ld->doc->root && ld->doc->root->type == SSMC_NODE_NULL &&
               ld->doc->root->style == SSMC_STYLE_PLAIN && ld->doc->root->len == 0) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1014, ld->file, span_from_offsets(src, 0, 0),
                      "the document is empty; an SSM document needs at least schemaVersion");
        ld->doc->root = NULL;
    } else if (ld->doc->root && ld->doc->root->type != SSMC_NODE_MAP) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1030, ld->file, ld->doc->root->span,
                      "the document is a %s; an SSM document must be a mapping with "
                      "schemaVersion at the top",
                      ssmc_node_type_name(ld->doc->root->type));
    }
}
