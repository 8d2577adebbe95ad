/* fuzz_json.c — differential target: our strict JSON reader (load_json.c)
 * against jansson on the same bytes. Both must give the same verdict
 * (accepted or rejected), and for accepted input the same values: types,
 * strings byte for byte (NULs included), integers exactly, reals exactly
 * (both use strtod), arrays in order, objects with the same members.
 *
 * Where the two differ on purpose, the difference is named here and
 * nothing else is excused:
 *  - a UTF-8 byte-order mark is accepted by us (editors write it), not by
 *    jansson: it is stripped before jansson sees the bytes;
 *  - duplicate keys are an error for us (SSM1012; the SSM service rejects
 *    them), jansson keeps the last: such input is only checked to be
 *    rejected by us;
 *  - integers beyond int64 and reals beyond double are numbers for us
 *    (JSON sets no range; we read them as double, 1e400 as infinity) and an
 *    error for jansson ("too big", "overflow");
 *  - our depth limit (ssmc_limits.max_depth, SSM1021) is below jansson's;
 *  - a document that is not an object gets SSM1030 from us, which is not a
 *    syntax verdict.
 * The whole input is the document (no option byte). */
#include "fuzz_common.h"

#include <jansson.h>
#include <math.h>

static bool is_syntax_error(const ssmc_diag *d)
{
    return d->severity == SSMC_SEV_ERROR && d->rule != SSMC_RULE_SSM1030;
}

static bool has_rule(const ssmc_diags *diags, ssmc_rule rule)
{
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].rule == rule)
            return true;
    return false;
}

static bool has_duplicate_key(const ssmc_node *n)
{
    if (n->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < n->count; i++)
            if (has_duplicate_key(n->items[i]))
                return true;
    } else if (n->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < n->count; i++) {
            const ssmc_node *k = n->pairs[i].key;
            for (size_t j = 0; j < i; j++) {
                const ssmc_node *o = n->pairs[j].key;
                if (o->len == k->len && memcmp(o->str, k->str, k->len) == 0)
                    return true;
            }
            if (has_duplicate_key(n->pairs[i].value))
                return true;
        }
    }
    return false;
}

static void same_value(const ssmc_node *n, const json_t *j)
{
    FUZZ_ASSERT(n != NULL && j != NULL);
    switch (json_typeof(j)) {
    case JSON_NULL:
        FUZZ_ASSERT(n->type == SSMC_NODE_NULL);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        FUZZ_ASSERT(n->type == SSMC_NODE_BOOL);
        FUZZ_ASSERT(n->val.b == json_is_true(j));
        break;
    case JSON_INTEGER:
        FUZZ_ASSERT(n->type == SSMC_NODE_INT);
        FUZZ_ASSERT(n->val.i == (int64_t)json_integer_value(j));
        break;
    case JSON_REAL: {
        FUZZ_ASSERT(n->type == SSMC_NODE_FLOAT);
        double a = n->val.f, b = json_real_value(j);
        FUZZ_ASSERT(memcmp(&a, &b, sizeof a) == 0 || a == b);
        break;
    }
    case JSON_STRING:
        FUZZ_ASSERT(n->type == SSMC_NODE_STRING);
        FUZZ_ASSERT(n->len == json_string_length(j));
        FUZZ_ASSERT(memcmp(n->str, json_string_value(j), n->len) == 0);
        break;
    case JSON_ARRAY:
        FUZZ_ASSERT(n->type == SSMC_NODE_SEQ);
        FUZZ_ASSERT(n->count == json_array_size(j));
        for (size_t i = 0; i < n->count; i++)
            same_value(n->items[i], json_array_get(j, i));
        break;
    case JSON_OBJECT:
        FUZZ_ASSERT(n->type == SSMC_NODE_MAP);
        FUZZ_ASSERT(n->count == json_object_size(j));
        for (size_t i = 0; i < n->count; i++) {
            const ssmc_node *k = n->pairs[i].key;
            FUZZ_ASSERT(k->type == SSMC_NODE_STRING);
            /* jansson keys are C strings: a key with a NUL cannot be looked up */
            if (strlen(k->str) != k->len)
                continue;
            same_value(n->pairs[i].value, json_object_get(j, k->str));
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    uint32_t file = ssmc_sources_add(&sources, "fuzz.json", fuzz_copy(data, size), size);
    ssmc_load_options options;
    ssmc_load_options_init(&options);
    options.format = SSMC_FORMAT_JSON;
    ssmc_document *doc = ssmc_load(&sources, file, &options, &diags);
    fuzz_check_diags(&sources, &diags);

    bool ours_ok = doc->root != NULL;
    for (size_t i = 0; i < diags.count; i++)
        if (is_syntax_error(&diags.items[i]))
            ours_ok = false;

    const char *text = (const char *)data;
    size_t len = size;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    json_error_t error;
    json_t *theirs = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);

    if (has_rule(&diags, SSMC_RULE_SSM1021)) {
        /* our depth limit: no verdict to compare */
    } else if (theirs && !ours_ok && memchr(data, '\0', size)) {
        /* a raw NUL byte: we refuse the file as binary, by design (SSM
         * documents are text); jansson stops reading at it */
    } else if (theirs && !ours_ok) {
        if (!has_rule(&diags, SSMC_RULE_SSM1012) || !doc->root) {
            /* jansson accepted what we rejected, and it is not a duplicate key */
            for (size_t i = 0; i < diags.count; i++)
                fprintf(stderr, "ours: %s\n", diags.items[i].message);
            FUZZ_ASSERT(!"jansson accepts a document our reader rejects");
        }
    } else if (!theirs && ours_ok) {
        bool range = strstr(error.text, "too big") || strstr(error.text, "overflow");
        if (!range) {
            fprintf(stderr, "jansson: %s (line %d column %d)\n", error.text, error.line,
                    error.column);
            FUZZ_ASSERT(!"our reader accepts a document jansson rejects");
        }
    } else if (theirs && ours_ok) {
        FUZZ_ASSERT(!has_duplicate_key(doc->root));
        same_value(doc->root, theirs);
    }

    json_decref(theirs);
    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return 0;
}
