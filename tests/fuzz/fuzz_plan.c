/* fuzz_plan.c — libFuzzer target for execution plans (compiler/plan.h)
 * with random parameter values: what `ssmc plan` does after a clean check.
 *
 * Input layout:
 *   byte 0    bits 0-2  platforms (PLAN_* mask; 0 means linux)
 *             bit 3     the document is JSON (else YAML); bit 4 sniffed
 *             bit 5     an empty --ssm-params store is given (unknown
 *                       {{ssm:...}} names become errors)
 *   values    up to the first NUL byte: pieces separated by 0x1f, piece i
 *             for the i-th declared parameter; a piece starting with 't'
 *             gives the rest as --param text, 'v' as a typed value (the
 *             rest loaded as YAML, as a --params-file value), 'u' names an
 *             undeclared parameter; anything else leaves the default.
 *   document  the rest.
 *
 * The document is loaded and checked (ShellCheck off); only a document
 * without errors is planned, as the CLI does. Checks: no crash or leak; a
 * plan is either NULL with an error finding saying why, or a well-formed
 * object (one plan per platform asked for, each with its fields) that every
 * renderer (JSON, text, dot) turns into text and whose JSON reads back;
 * findings point inside their sources. */
#include "fuzz_common.h"

#include "plan.h"

#include <jansson.h>

static void check_one_plan(const json_t *p)
{
    FUZZ_ASSERT(json_is_object(p));
    FUZZ_ASSERT(json_integer_value(json_object_get(p, "planVersion")) == 1);
    FUZZ_ASSERT(json_is_object(json_object_get(p, "source")));
    FUZZ_ASSERT(json_is_string(json_object_get(json_object_get(p, "source"), "sha256")));
    FUZZ_ASSERT(json_is_string(json_object_get(p, "platform")));
    FUZZ_ASSERT(json_is_array(json_object_get(p, "steps")));
    FUZZ_ASSERT(json_is_string(json_object_get(p, "expectedStatus")));
    FUZZ_ASSERT(json_object_get(p, "parameters") != NULL);
    FUZZ_ASSERT(json_is_array(json_object_get(p, "ssmParameters")));
}

/* A runbook's plan is one graph, whatever the platforms (auto_plan.c). */
static void check_automation_plan(const json_t *p)
{
    FUZZ_ASSERT(json_is_object(p));
    FUZZ_ASSERT(json_integer_value(json_object_get(p, "planVersion")) == 1);
    FUZZ_ASSERT(json_is_string(json_object_get(json_object_get(p, "source"), "sha256")));
    FUZZ_ASSERT(json_is_array(json_object_get(p, "parameters")));
    const json_t *steps = json_object_get(p, "steps");
    FUZZ_ASSERT(json_is_array(steps));
    size_t i;
    const json_t *st;
    json_array_foreach(steps, i, st) {
        FUZZ_ASSERT(json_is_array(json_object_get(st, "edges")));
        FUZZ_ASSERT(json_is_array(json_object_get(st, "reads")));
    }
}

static bool is_automation_plan(const json_t *p)
{
    const char *k = json_string_value(json_object_get(p, "kind"));
    return k && strcmp(k, "Automation") == 0;
}

static size_t bits(unsigned v)
{
    size_t n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++, size--;
    const uint8_t *nul = memchr(data, '\0', size);
    size_t vlen = nul ? (size_t)(nul - data) : 0;
    const uint8_t *doc_bytes = nul ? nul + 1 : data;
    size_t doc_len = size - (size_t)(doc_bytes - data);

    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    bool json = opt & 8;
    uint32_t file = ssmc_sources_add(&sources, json ? "fuzz.json" : "fuzz.yaml",
                                     fuzz_copy(doc_bytes, doc_len), doc_len);
    uint32_t vfile = ssmc_sources_add(&sources, "<values>", fuzz_copy(data, vlen), vlen);
    const ssmc_source *vsrc = ssmc_sources_get(&sources, vfile);
    ssmc_load_options options;
    ssmc_load_options_init(&options);
    options.format = (opt & 16) ? SSMC_FORMAT_UNKNOWN : json ? SSMC_FORMAT_JSON : SSMC_FORMAT_YAML;
    ssmc_document *doc = ssmc_load(&sources, file, &options, &diags);
    FUZZ_ASSERT(doc != NULL);

    ssmc_config config;
    ssmc_config_init(&config);
    config.shellcheck = "off";
    ssmc_check_documents(&sources, &doc, 1, &config, &diags);
    bool ok = doc->root && ssmc_diags_count_at_least(&diags, SSMC_SEV_ERROR) == 0;

    /* Typed values are loaded from their own sources; they must outlive
     * the plan. */
    enum { MAX_VALUES = 64 };
    ssmc_document *typed[MAX_VALUES];
    size_t typed_count = 0;
    given_values given = {0};
    const ssmc_node *params = ok ? ssmc_map_get(doc->root, "parameters") : NULL;
    size_t piece_start = 0, index = 0;
    while (ok && piece_start <= vlen && index < MAX_VALUES) {
        const char *p = vsrc->data + piece_start;
        const char *sep = memchr(p, 0x1f, vlen - piece_start);
        size_t plen = sep ? (size_t)(sep - p) : vlen - piece_start;
        ssmc_loc span = loc_between(piece_start, piece_start + plen);
        const char *name = NULL;
        if (params && params->type == SSMC_NODE_MAP && index < params->count)
            name = params->pairs[index].key->str;
        if (plen && p[0] == 'u') {
            char *text = strndup(p + 1, plen - 1);
            given_values_add_text(&given, "fuzzUndeclared", text, vfile, span);
            free(text);
        } else if (plen && name && p[0] == 't') {
            char *text = strndup(p + 1, plen - 1);
            given_values_add_text(&given, name, text, vfile, span);
            free(text);
        } else if (plen && name && p[0] == 'v') {
            char vname[32];
            snprintf(vname, sizeof vname, "<value %zu>", index);
            uint32_t f = ssmc_sources_add(&sources, vname, fuzz_copy((const uint8_t *)p + 1,
                                                                     plen - 1), plen - 1);
            ssmc_load_options vo;
            ssmc_load_options_init(&vo);
            vo.format = SSMC_FORMAT_YAML;
            ssmc_document *v = ssmc_load(&sources, f, &vo, &diags);
            typed[typed_count++] = v;
            if (v->root && v->syntax_ok) {
                /* As a --params-file entry: name -> value. */
                ssmc_node *key = node_new_string(v->arena, name, strlen(name));
                ssmc_node *map = node_new(v->arena, SSMC_NODE_MAP);
                ssmc_pair *pair = arena_alloc(v->arena, sizeof *pair);
                pair->key = key;
                pair->value = v->root;
                map->pairs = pair;
                map->count = 1;
                map->file = f;
                map->span = v->root->span;
                key->file = f;
                key->span = v->root->span;
                given_values_add_file(&given, map, &diags);
            }
        }
        index++;
        if (!sep)
            break;
        piece_start += plen + 1;
    }
    /* A typed value that does not load is a finding, not a plan input. */
    ok = ok && ssmc_diags_count_at_least(&diags, SSMC_SEV_ERROR) == 0;

    ssmc_document *store_doc = NULL;
    if (opt & 32) {
        uint32_t f = ssmc_sources_add(&sources, "<ssm>", fuzz_copy((const uint8_t *)"{}", 2), 2);
        store_doc = ssmc_load(&sources, f, NULL, &diags);
    }

    if (ok) {
        plan_options o;
        memset(&o, 0, sizeof o);
        o.platforms = (opt & 7) ? (opt & 7) : PLAN_LINUX;
        o.sources = &sources;
        o.given = &given;
        o.ssm_values = store_doc ? store_doc->root : NULL;
        o.config = &config;
        size_t before = diags.count;
        json_t *plan = plan_build(doc, &o, &diags);
        if (!plan) {
            bool error = false;
            for (size_t i = before; i < diags.count; i++)
                error |= diags.items[i].severity == SSMC_SEV_ERROR;
            FUZZ_ASSERT(error);
        } else {
            size_t n = bits(o.platforms);
            if (is_automation_plan(plan)) {
                check_automation_plan(plan);
            } else if (n == 1) {
                check_one_plan(plan);
            } else {
                FUZZ_ASSERT(json_integer_value(json_object_get(plan, "planVersion")) == 1);
                const json_t *plans = json_object_get(plan, "plans");
                FUZZ_ASSERT(json_array_size(plans) == n);
                for (size_t i = 0; i < n; i++)
                    check_one_plan(json_array_get(plans, i));
            }
            buf out;
            buf_init(&out);
            plan_render_json(plan, &out);
            json_error_t err;
            /* A script may hold NUL (YAML "\0"); the plan writes it as
             * \u0000, which is valid JSON that jansson reads only when asked. */
            json_t *back = json_loadb(out.data, out.len, JSON_ALLOW_NUL, &err);
            if (!back)
                fprintf(stderr, "the plan's JSON does not read back: %s\n", err.text);
            FUZZ_ASSERT(back != NULL);
            json_decref(back);
            buf_free(&out);
            buf_init(&out);
            plan_render_text(plan, &out);
            buf_free(&out);
            buf_init(&out);
            plan_render_dot(plan, &out);
            buf_free(&out);
            json_decref(plan);
        }
    }
    fuzz_check_diags(&sources, &diags);
    ssmc_diags_sort(&diags, &sources);

    given_values_free(&given);
    for (size_t i = 0; i < typed_count; i++)
        ssmc_document_free(typed[i]);
    ssmc_document_free(store_doc);
    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return 0;
}
