/* validate_document.c — the document level: schemaVersion per kind, the
 * top-level keys, the body section the version asks for, and the size of the
 * JSON the service would store.
 *
 * Sources: User Guide documents-schemas-features.md and
 * documents-syntax-data-elements-parameters.md (versions, keys); agent
 * framework/docparser/docparser.go (routing by version, "Unsupported schema
 * format" for an empty body); CreateDocument API (64 KB, MaxDocumentSizeExceeded);
 * spec sections 1.2, 1.3, 11.5. */
#include "validate.h"
#include "grammar.h"

#include <stdio.h>
#include <string.h>

#define SIZE_LIMIT 65536u         /* CreateDocument: "The size limit of a document is 64 KB." */
#define SIZE_WARN (56u * 1024u)   /* leave room for run-time parameter values */
/* A bound of a YAML text's compact JSON size: RATIO times its bytes plus
 * SLACK (the braces of an empty text); tested in test_emit.c. */
#define YAML_JSON_RATIO 6u
#define YAML_JSON_SLACK 16u

/* Kinds, their schema versions and top-level keys come from grammar/kinds.json. */
static const char *recommended(const grammar_kind *k)
{
    return k->version_count ? k->versions[k->version_count - 1] : "";
}

static void list_versions(buf *b, const grammar_kind *k)
{
    for (size_t i = 0; i < k->version_count; i++)
        buf_printf(b, "%s'%s'", i ? ", " : "", k->versions[i]);
}

static bool in_list(const char *s, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(s, names[i]) == 0)
            return true;
    return false;
}

/* Where a document-wide finding points: the schemaVersion key, else the top. */
static ssmc_loc doc_span(const vctx *v)
{
    ssmc_pair *p = ssmc_map_get_pair(v->root, "schemaVersion");
    if (p)
        return p->key->span;
    ssmc_loc s = v->root->span;
    s.end = s.start;
    return s;
}

static void check_schema_version(vctx *v, const grammar_kind *k)
{
    ssmc_node *sv = v->schema_version;
    buf alts;
    buf_init(&alts);
    list_versions(&alts, k);
    if (!sv) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2001, v->file, doc_span(v),
                      "missing schemaVersion; %s %s document needs one of %s: add "
                      "schemaVersion: '%s' at the top",
                      ssmc_article(k->name), k->name, alts.data, recommended(k));
        buf_free(&alts);
        return;
    }
    if (!ssmc_node_is_scalar(sv) || sv->type == SSMC_NODE_NULL) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2002, v->file, sv->span,
                      "schemaVersion must be a string such as '%s', not %s", recommended(k),
                      ssmc_node_type_phrase(sv->type));
        buf_free(&alts);
        return;
    }
    if (sv->type != SSMC_NODE_STRING) {
        ssmc_diag *d;
        if (sv->style == SSMC_STYLE_JSON)
            d = ssmc_diag_add(v->diags, SSMC_RULE_SSM2002, v->file, sv->span,
                              "schemaVersion should be String (the service's words): %s is a JSON "
                              "%s; write \"%s\"",
                              sv->str, ssmc_node_type_name(sv->type), sv->str);
        else
            d = ssmc_diag_add(v->diags, SSMC_RULE_SSM2002, v->file, sv->span,
                              "schemaVersion %s is a YAML %s, not a string, and the service rejects "
                              "it ('schemaVersion should be String'); quote it: '%s'",
                              sv->str, ssmc_node_type_name(sv->type), sv->str);
        fix_quote_scalar(d, v->sources, sv);
    }
    if (!grammar_kind_has_version(k, sv->str)) {
        const char *agent_only = in_list(sv->str, k->agent_versions, k->agent_version_count)
                                     ? " (the agent reads it, but CreateDocument does not accept it)"
                                     : "";
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2003, v->file, sv->span,
                      "schemaVersion '%s' is not valid for %s %s document%s; use one of %s "
                      "('%s' is recommended)",
                      sv->str, ssmc_article(k->name), k->name, agent_only, alts.data, recommended(k));
    }
    buf_free(&alts);
}

static void check_type(vctx *v, const char *key, ssmc_node_type want, const char *what)
{
    ssmc_node *n = ssmc_map_get(v->root, key);
    if (!n || n->type == want || n->type == SSMC_NODE_NULL)
        return;
    ssmc_diag_add(v->diags, SSMC_RULE_SSM2010, v->file, n->span,
                  "'%s' must be %s, not %s", key, what, ssmc_node_type_phrase(n->type));
}

void validate_top_keys(vctx *v, const grammar_kind *k, const top_keys_words *w)
{
    const char *names[32];
    size_t n = 0;
    for (size_t i = 0; k && i < k->key_count && n < 32; i++)
        names[n++] = k->keys[i].name;
    buf known; /* the kind's keys joined, for a finding: most documents have none */
    buf_init(&known);
    for (size_t i = 0; i < v->root->count; i++) {
        const ssmc_node *key = v->root->pairs[i].key;
        if (!ssmc_node_is_scalar(key) || grammar_kind_key(k, key->str))
            continue;
        char owners[256];
        if (grammar_key_owners(key->str, k, owners, sizeof owners) > 0) {
            bool automation = strncmp(owners, "Automation", 10) == 0;
            ssmc_diag_add(v->diags, automation ? w->elsewhere_automation : w->elsewhere, v->file,
                          key->span,
                          "'%s' belongs to %s documents, not to %s; remove it, or create the "
                          "document with --document-type %.*s",
                          key->str, owners, w->owner_phrase, (int)strcspn(owners, ","), owners);
            continue;
        }
        if (!known.len)
            for (size_t j = 0; k && j < k->key_count; j++)
                if (!w->version || !grammar_kind_has_version(k, w->version) ||
                    grammar_key_in_version(&k->keys[j], w->version))
                    buf_printf(&known, "%s%s", known.len ? ", " : "", k->keys[j].name);
        const char *guess = did_you_mean(key->str, names, n);
        if (guess)
            ssmc_diag_add(v->diags, w->unknown, v->file, key->span,
                          "unknown top-level key '%s'; did you mean '%s'? %s has: %s", key->str,
                          guess, w->list_phrase, known.data ? known.data : "");
        else
            ssmc_diag_add(v->diags, w->unknown, v->file, key->span,
                          "unknown top-level key '%s'; remove it (%s has: %s)", key->str,
                          w->paren_phrase, known.data ? known.data : "");
    }
    buf_free(&known);
}

static void check_keys(vctx *v, const grammar_kind *k)
{
    char *phrase = xasprintf("%s %s document", ssmc_article(k->name), k->name);
    top_keys_words w = {SSMC_RULE_SSM2004, SSMC_RULE_SSM2005, SSMC_RULE_SSM2004,
                        phrase, phrase, phrase, v->version};
    validate_top_keys(v, k, &w);
    free(phrase);
}

static bool section_empty(const ssmc_node *n)
{
    return n->type == SSMC_NODE_NULL ||
           ((n->type == SSMC_NODE_SEQ || n->type == SSMC_NODE_MAP) && n->count == 0);
}

/* mainSteps for 2.x, runtimeConfig for 1.2 (Command); mainSteps for Policy. */
static void check_body(vctx *v)
{
    ssmc_pair *steps = ssmc_map_get_pair(v->root, "mainSteps");
    ssmc_pair *rc = ssmc_map_get_pair(v->root, "runtimeConfig");
    bool command = v->kind == KIND_COMMAND;
    bool v1 = command && v->version_major == 1;
    bool v2 = v->version_major == 2 || !command;
    if (v2 && rc)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2007, v->file, rc->key->span,
                      "runtimeConfig is the schema 1.2 body; with schemaVersion '%s' the steps "
                      "run from mainSteps and no {{ parameter }} would be substituted in them; "
                      "move each plugin into mainSteps as {action, name, inputs}, or set "
                      "schemaVersion '1.2'",
                      v->version ? v->version : "2.2");
    if (v1 && steps)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2008, v->file, steps->key->span,
                      "mainSteps is ignored in a schema 1.2 document; set schemaVersion '2.2', "
                      "or move the plugins into runtimeConfig");
    ssmc_pair *want = v1 ? rc : v2 ? steps : NULL;
    const char *want_name = v1 ? "runtimeConfig" : "mainSteps";
    if (!v1 && !v2)
        return; /* the version is already reported; no body to ask for */
    if (!want) {
        if ((v1 && steps) || (v2 && rc))
            return; /* reported above as the wrong body */
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2006, v->file, doc_span(v),
                      "the document has no %s; a schema %s document runs its %s (add %s, or "
                      "change schemaVersion to match the body)",
                      want_name, v->version, want_name, v1 ? "runtimeConfig: {aws:runShellScript: {properties: [...]}}" : "mainSteps: [...]");
        return;
    }
    if (section_empty(want->value))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2009, v->file, want->value->span,
                      "%s is empty; the agent rejects the document with 'Unsupported schema "
                      "format': add at least one %s",
                      want_name, v1 ? "plugin" : "step");
}

/* --- size: the compact JSON serialization, counted without building it --- */

/* A string's compact JSON size: the quotes, its bytes, and what escapes
 * add: 1 for \" \\ \b \f \n \r \t, 5 for the other control characters
 * (\u00XX). Counted sixteen bytes at a time (SSE2; a scan from escape to
 * escape was 2.4% of checking the corpus, whose scripts escape every
 * line break). */
static size_t json_string_size(const char *s, size_t len)
{
    size_t n = 2 + len, i = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    /* Per byte lane, the escapes seen (a compare gives -1 where true, so
     * subtracting it counts), added up before a lane can wrap. */
    const __m128i ctl = _mm_set1_epi8(0x1f), quote = _mm_set1_epi8('"'),
                  bslash = _mm_set1_epi8('\\'), bs = _mm_set1_epi8('\b'),
                  tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n'), ff = _mm_set1_epi8('\f'),
                  cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
    while (i + 16 <= len) {
        __m128i any = zero, long_form = zero;
        for (int blocks = 0; blocks < 255 && i + 16 <= len; blocks++, i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i is_ctl = _mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl); /* x <= 0x1f */
            __m128i esc = _mm_or_si128(is_ctl, _mm_or_si128(_mm_cmpeq_epi8(x, quote),
                                                            _mm_cmpeq_epi8(x, bslash)));
            any = _mm_sub_epi8(any, esc);
            __m128i short_form = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(x, bs), _mm_cmpeq_epi8(x, tab)),
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, nl), _mm_cmpeq_epi8(x, ff)),
                             _mm_cmpeq_epi8(x, cr)));
            long_form = _mm_sub_epi8(long_form, _mm_andnot_si128(short_form, is_ctl));
        }
        __m128i a = _mm_sad_epu8(any, zero), l = _mm_sad_epu8(long_form, zero);
        n += (size_t)_mm_cvtsi128_si32(a) + (size_t)_mm_extract_epi16(a, 4);
        n += 4 * ((size_t)_mm_cvtsi128_si32(l) + (size_t)_mm_extract_epi16(l, 4));
    }
#endif
    for (; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b == '"' || b == '\\' || b == '\b' || b == '\t' || b == '\n' || b == '\f' ||
            b == '\r')
            n += 1;
        else if (b < 0x20)
            n += 5;
    }
    return n;
}

/* A string's compact JSON size: exact, or an upper bound that reads none
 * of its bytes. An escape adds at most five bytes to a byte (\u00XX, a
 * control character), but only a double-quoted YAML scalar or a JSON
 * string can hold one: libyaml refuses every control character but tab,
 * line feed and carriage return in its input, and those, '"' and '\\'
 * take two bytes each. */
static size_t string_size(const ssmc_node *n, bool exact)
{
    if (exact)
        return json_string_size(n->str, n->len);
    bool plain_text = n->style == SSMC_STYLE_PLAIN || n->style == SSMC_STYLE_SINGLE_QUOTED ||
                      n->style == SSMC_STYLE_LITERAL || n->style == SSMC_STYLE_FOLDED;
    return 2 + (plain_text ? 2 : 6) * (size_t)n->len;
}

/* The compact JSON size of n, or with !exact an upper bound that reads no
 * string's bytes (an integer is then taken as 20 characters): most
 * documents are far under the warning size by the bound alone, and then
 * their strings need no scan (that scan was 2% of checking the corpus's
 * Command documents). Stops counting once past the limit: the exact
 * excess does not matter and alias-heavy trees need not be walked to the
 * end; a bound is cut only once it is over the limit already. */
static size_t json_size(const ssmc_node *n, size_t depth, size_t so_far, bool exact)
{
    if (!n || depth > 10000 || so_far > 2 * SIZE_LIMIT)
        return 0;
    switch (n->type) {
    case SSMC_NODE_NULL: return 4;
    case SSMC_NODE_BOOL: return n->val.b ? 4 : 5;
    case SSMC_NODE_INT: {
        if (!exact)
            return 20;
        char tmp[32];
        return (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)n->val.i);
    }
    case SSMC_NODE_FLOAT: return n->len ? n->len : 3;
    case SSMC_NODE_STRING: return string_size(n, exact);
    case SSMC_NODE_SEQ: {
        size_t s = 2 + (n->count ? n->count - 1 : 0);
        for (size_t i = 0; i < n->count; i++)
            s += json_size(n->items[i], depth + 1, so_far + s, exact);
        return s;
    }
    case SSMC_NODE_MAP: {
        size_t s = 2 + (n->count ? n->count - 1 : 0);
        for (size_t i = 0; i < n->count; i++) {
            s += string_size(n->pairs[i].key, exact) + 1;
            s += json_size(n->pairs[i].value, depth + 1, so_far + s, exact);
        }
        return s;
    }
    }
    return 0;
}

static void check_size(vctx *v)
{
    /* JSON read without a syntax error is no shorter than its compact
     * form: the blanks go, and every string, number and escape is written
     * back in at most the bytes it was read from (a \uXXXX of a character
     * that needs no escape becomes the character). So a JSON source under
     * the warning size needs no walk of its tree (most JSON documents). */
    if (v->doc && v->doc->format == SSMC_FORMAT_JSON && v->doc->syntax_ok && v->source &&
        !v->source->released && v->source->len <= SIZE_WARN)
        return;
    /* YAML without an alias is at most YAML_JSON_RATIO times its text as
     * compact JSON: the most a byte of YAML becomes is 4.5 bytes, a key
     * without a value in a flow mapping ("{a, b}": "a," -> "\"a\":null,"), and
     * a double-quoted escape at most triples ("\0" -> "\u0000"). So a YAML
     * text of up to a sixth of the warning size needs no walk of its tree
     * (the walk and the scan of its strings were 1.6% of checking the
     * corpus). Only for a tree the loader made from this text: a
     * template's document is a subtree of the template, rewritten in
     * place (iac), and has no arena of its own. */
    if (v->doc && v->doc->format == SSMC_FORMAT_YAML && v->doc->arena && !v->doc->aliased &&
        v->source && !v->source->released &&
        v->source->len <= (SIZE_WARN - YAML_JSON_SLACK) / YAML_JSON_RATIO)
        return;
    if (json_size(v->root, 0, 0, false) <= SIZE_WARN)
        return;
    size_t size = json_size(v->root, 0, 0, true);
    if (size > SIZE_LIMIT)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2012, v->file, doc_span(v),
                      "the document is %s%zu bytes as compact JSON, over the 64 KB limit "
                      "(%u bytes; MaxDocumentSizeExceeded): move long scripts into files fetched "
                      "with aws:downloadContent, or split the document and call the parts with "
                      "aws:runDocument",
                      size > 2 * SIZE_LIMIT ? "more than " : "", size, SIZE_LIMIT);
    else if (size > SIZE_WARN)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2013, v->file, doc_span(v),
                      "the document is %zu bytes as compact JSON, close to the 64 KB limit (%u "
                      "bytes) that also counts parameter values given at run time; shorten it or "
                      "move scripts into files fetched with aws:downloadContent",
                      size, SIZE_LIMIT);
}

void validate_document_top(vctx *v)
{
    if (v->kind == KIND_ASSOCIATION || v->kind == KIND_UNKNOWN)
        return; /* association files have their own stage */
    const grammar_kind *k = grammar_kind_find(doc_kind_name(v->kind));
    if (!k)
        return;
    check_schema_version(v, k);
    check_size(v);
    if (v->kind == KIND_AUTOMATION)
        return; /* the rest: compiler/automation/ */
    if (!k->deep) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2011, v->file, doc_span(v),
                      "read as %s %s document%s: only schemaVersion and size are checked; its "
                      "steps and parameters are not validated yet%s",
                      ssmc_article(k->name), k->name, v->kind_forced ? " (--document-type)" : "",
                      v->kind_forced ? ""
                                     : " (use --document-type Command if this is a Command "
                                       "document)");
        return;
    }
    check_keys(v, k);
    check_type(v, "parameters", SSMC_NODE_MAP, "a mapping of parameter name to definition");
    check_type(v, "mainSteps", SSMC_NODE_SEQ, "a list of steps");
    check_type(v, "runtimeConfig", SSMC_NODE_MAP, "a mapping of plugin name to plugin");
    check_type(v, "description", SSMC_NODE_STRING, "a string");
    /* Session documents and package manifests have no steps. */
    if (v->kind != KIND_SESSION && v->kind != KIND_PACKAGE)
        check_body(v);
}
