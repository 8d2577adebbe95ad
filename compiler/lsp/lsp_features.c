/* lsp_features.c — hover, completion, definition, references, document
 * symbols and folding ranges, from the tree of the text and the grammar
 * tables the validator uses (compiler/grammar.h): no second description of
 * the document format.
 *
 * Hover, definition and references need exact positions and use the tree
 * of the current text (nothing when it does not load). Completion is asked
 * for while the author types, when the text often does not load (a key
 * without its colon yet): it reads where the cursor is from the YAML lines
 * around it (lsp_where.c) and takes the names of parameters and steps from
 * the last tree that loaded. */
#include "lsp.h"
#include "grammar.h"
#include "refs.h"

#include <stdlib.h>
#include <string.h>

/* --- the tree at an offset --------------------------------------------- */

#define MAX_DEPTH 64

/* The chain of mapping keys from the root to the innermost node holding an
 * offset: keys[i] is the key text at level i, or NULL for a list item. */
typedef struct hit {
    const char *keys[MAX_DEPTH];
    size_t key_lens[MAX_DEPTH];
    const ssmc_node *values[MAX_DEPTH];   /* the node at each level */
    size_t depth;
    const ssmc_node *node;                /* innermost node (a key when on_key) */
    bool on_key;
} hit;

static bool holds(const ssmc_node *n, size_t offset)
{
    return n && ssmc_loc_known(n->span) && n->span.start <= offset && offset <= n->span.end;
}

static void locate(const ssmc_node *n, size_t offset, hit *h)
{
    h->node = n;
    while (n && h->depth < MAX_DEPTH) {
        const ssmc_node *next = NULL;
        if (n->type == SSMC_NODE_MAP) {
            for (size_t i = 0; i < n->count && !next; i++) {
                const ssmc_pair *p = &n->pairs[i];
                if (p->flags & SSMC_NODE_MERGED)
                    continue;
                if (holds(p->key, offset)) {
                    h->keys[h->depth] = p->key->str;
                    h->key_lens[h->depth] = strlen(p->key->str);
                    h->values[h->depth++] = p->value;
                    h->node = p->key;
                    h->on_key = true;
                    return;
                }
                if (holds(p->value, offset) && !(p->value->flags & SSMC_NODE_ALIASED)) {
                    h->keys[h->depth] = p->key->str;
                    h->key_lens[h->depth] = strlen(p->key->str);
                    h->values[h->depth++] = p->value;
                    next = p->value;
                }
            }
        } else if (n->type == SSMC_NODE_SEQ) {
            for (size_t i = 0; i < n->count && !next; i++)
                if (holds(n->items[i], offset) && !(n->items[i]->flags & SSMC_NODE_ALIASED)) {
                    h->keys[h->depth] = NULL;
                    h->key_lens[h->depth] = 0;
                    h->values[h->depth++] = n->items[i];
                    next = n->items[i];
                }
        }
        if (!next)
            return;
        h->node = next;
        n = next;
    }
}

static bool key_is(const hit *h, size_t level, const char *name)
{
    return level < h->depth && h->keys[level] && strcmp(h->keys[level], name) == 0;
}

static const char *str_of(const ssmc_node *n)
{
    return n && n->type == SSMC_NODE_STRING ? n->str : NULL;
}

static const char *str_or(const ssmc_node *n, const char *fallback)
{
    const char *s = str_of(n);
    return s ? s : fallback;
}

/* The tree of the current text, or NULL when it does not load. */
static const ssmc_node *current_root(lsp_server *s, lsp_doc *d)
{
    lsp_doc_load(s, d, NULL);
    return d->tree && d->tree->root && d->tree->root->type == SSMC_NODE_MAP ? d->tree->root : NULL;
}

static const ssmc_node *steps_of(const ssmc_node *root)
{
    const ssmc_node *steps = ssmc_map_get(root, "mainSteps");
    return steps && steps->type == SSMC_NODE_SEQ ? steps : NULL;
}

/* A step of a list of steps, or of the Steps of an aws:loop in it (step
 * names are unique across the whole runbook, nested ones included). */
static const ssmc_node *step_in(const ssmc_node *steps, const char *name, size_t len, size_t depth)
{
    for (size_t i = 0; steps && steps->type == SSMC_NODE_SEQ && depth < MAX_DEPTH &&
                       i < steps->count;
         i++) {
        const char *n = str_of(ssmc_map_get(steps->items[i], "name"));
        if (n && strlen(n) == len && memcmp(n, name, len) == 0)
            return steps->items[i];
        const ssmc_node *inner =
            step_in(ssmc_map_get(ssmc_map_get(steps->items[i], "inputs"), "Steps"), name, len,
                    depth + 1);
        if (inner)
            return inner;
    }
    return NULL;
}

const ssmc_node *lsp_step_named(const ssmc_node *root, const char *name, size_t len)
{
    return step_in(steps_of(root), name, len, 0);
}

static const ssmc_pair *param_named(const ssmc_node *root, const char *name, size_t len)
{
    const ssmc_node *params = ssmc_map_get(root, "parameters");
    if (!params || params->type != SSMC_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < params->count; i++) {
        const char *k = params->pairs[i].key->str;
        if (strlen(k) == len && memcmp(k, name, len) == 0)
            return &params->pairs[i];
    }
    return NULL;
}

/* The {{ ... }} token of a string scalar at offset, with its place. */
typedef struct ref_at {
    size_t offset;
    const ssmc_source *source;
    const ssmc_node *scalar;
    ref_token token;
    ssmc_loc span;
    bool found;
} ref_at;

static bool ref_visit(const ref_token *t, const char *s, void *user)
{
    (void)s;
    ref_at *r = user;
    ssmc_loc sp = refs_locate(r->source, r->scalar, t->start, t->end);
    if (sp.start <= r->offset && r->offset <= sp.end && sp.end > sp.start) {
        r->token = *t;
        r->span = sp;
        r->found = true;
        return false;
    }
    return true;
}

static bool ref_under(lsp_doc *d, const hit *h, size_t offset, ref_at *r)
{
    memset(r, 0, sizeof *r);
    if (h->on_key || !h->node || h->node->type != SSMC_NODE_STRING)
        return false;
    r->offset = offset;
    r->source = ssmc_sources_get(&d->sources, d->file);
    r->scalar = h->node;
    refs_scan(h->node->str, h->node->len, ref_visit, r);
    return r->found;
}

static json_t *node_range(lsp_server *s, lsp_doc *d, const ssmc_node *n)
{
    return lsp_text_range_json(&d->text, s->enc, n->span.start, n->span.end);
}

static json_t *location(lsp_server *s, lsp_doc *d, size_t start, size_t end)
{
    return json_pack("{s:s,s:o}", "uri", d->uri, "range",
                     lsp_text_range_json(&d->text, s->enc, start, end));
}

/* --- hover ------------------------------------------------------------- */

static void scalar_text(buf *b, const ssmc_node *n)
{
    switch (n->type) {
    case SSMC_NODE_SEQ:
        buf_printf(b, "a list of %u", n->count);
        return;
    case SSMC_NODE_MAP:
        buf_printf(b, "a mapping of %u keys", n->count);
        return;
    default:
        buf_adds(b, "`");
        buf_add(b, n->str ? n->str : "", n->str ? strnlen(n->str, n->len) : 0);
        buf_adds(b, "`");
    }
}

static void hover_parameter(buf *b, const ssmc_pair *p)
{
    buf_printf(b, "**%s** (parameter)", p->key->str);
    const ssmc_node *def = p->value;
    const char *type = str_of(ssmc_map_get(def, "type"));
    if (type)
        buf_printf(b, "\n\nType: `%s`", type);
    const ssmc_node *dflt = ssmc_map_get(def, "default");
    if (dflt) {
        buf_adds(b, "\n\nDefault: ");
        scalar_text(b, dflt);
    } else {
        buf_adds(b, "\n\nRequired: no default");
    }
    const ssmc_node *allowed = ssmc_map_get(def, "allowedValues");
    if (allowed && allowed->type == SSMC_NODE_SEQ) {
        buf_adds(b, "\n\nAllowed values:");
        for (size_t i = 0; i < allowed->count; i++) {
            buf_adds(b, i ? ", " : " ");
            scalar_text(b, allowed->items[i]);
        }
    }
    const char *pattern = str_of(ssmc_map_get(def, "allowedPattern"));
    if (pattern)
        buf_printf(b, "\n\nPattern: `%s`", pattern);
    const char *desc = str_of(ssmc_map_get(def, "description"));
    if (desc)
        buf_printf(b, "\n\n%s", desc);
}

/* "**name** — Type, required" with its doc and allowed values, of an
 * input or a step field (a value ending in ':' is a prefix a step name
 * follows: step:NAME). */
static void hover_key(buf *b, const char *name, grammar_vtype type, bool required,
                      const char *what, const char *doc, const char *const *values, size_t count)
{
    buf_printf(b, "**%s** — %s, %s%s", name, grammar_vtype_name(type),
               required ? "required" : "optional", what);
    if (doc && *doc)
        buf_printf(b, "\n\n%s", doc);
    if (count) {
        buf_adds(b, "\n\nAllowed values:");
        for (size_t i = 0; i < count; i++) {
            size_t n = strlen(values[i]);
            buf_printf(b, "%s`%s%s`", i ? ", " : " ", values[i],
                       n && values[i][n - 1] == ':' ? "NAME" : "");
        }
    }
}

static void hover_input(buf *b, const grammar_input *in)
{
    hover_key(b, in->name, in->type, in->required, "", in->doc, in->values, in->value_count);
    if (in->has_range)
        buf_printf(b, "\n\nRange: %lld to %lld", in->range_min, in->range_max);
}

/* A plugin's or action's name (with what), summary and inputs. */
static void hover_inputs(buf *b, const char *name, const char *what, const char *summary,
                         const grammar_input *inputs, size_t count)
{
    buf_printf(b, "**%s**%s", name, what);
    if (summary && *summary)
        buf_printf(b, "\n\n%s", summary);
    if (count) {
        buf_adds(b, "\n\nInputs:");
        for (size_t i = 0; i < count; i++) {
            const grammar_input *in = &inputs[i];
            if (in->agent_only)
                continue;
            buf_printf(b, "\n- `%s` (%s%s)", in->name, grammar_vtype_name(in->type),
                       in->required ? ", required" : "");
        }
    }
}

static void hover_plugin(buf *b, const grammar_plugin *p)
{
    hover_inputs(b, p->name, "", p->summary, p->inputs, p->input_count);
    if (p->note && *p->note)
        buf_printf(b, "\n\n%s", p->note);
}

static bool is_automation(const ssmc_node *root)
{
    const char *v = str_of(ssmc_map_get(root, "schemaVersion"));
    return v && strcmp(v, "0.3") == 0;
}

static bool path_is(const char *const *keys, const size_t *lens, size_t level, const char *name)
{
    return keys[level] && lens[level] == strlen(name) && memcmp(keys[level], name, lens[level]) == 0;
}

/* Is level `level` of a path a step: an item of mainSteps, or of the Steps
 * input of a step (aws:loop)? */
static bool path_step(const char *const *keys, const size_t *lens, size_t level)
{
    if (keys[level])
        return false;
    if (level == 1)
        return path_is(keys, lens, 0, "mainSteps");
    return level >= 4 && path_is(keys, lens, level - 1, "Steps") &&
           path_is(keys, lens, level - 2, "inputs") && path_step(keys, lens, level - 3);
}

size_t lsp_innermost_step(const char *const *keys, const size_t *lens, size_t depth)
{
    for (size_t l = depth; l-- > 0;)
        if (path_step(keys, lens, l))
            return l;
    return SIZE_MAX;
}

static size_t innermost_step(const hit *h)
{
    return lsp_innermost_step(h->keys, h->key_lens, h->depth);
}

static void hover_action(buf *b, const grammar_action *a)
{
    hover_inputs(b, a->name, " (Automation action)", a->summary, a->inputs, a->input_count);
    for (size_t g = 0; g < a->group_count; g++) {
        const grammar_input_group *grp = &a->groups[g];
        buf_adds(b, g ? "; " : "\n\n");
        buf_adds(b, grp->min == grp->max && grp->min == 1 ? "Exactly one of" : "At least one of");
        for (size_t i = 0; i < grp->count; i++)
            buf_printf(b, "%s`%s`", i ? (i + 1 == grp->count ? " or " : ", ") : " ",
                       grp->inputs[i]);
    }
    if (a->open_inputs)
        buf_adds(b, "\n\nOther inputs are passed on to the API call.");
    if (a->output_count) {
        buf_adds(b, "\n\nOutputs:");
        for (size_t i = 0; i < a->output_count; i++)
            buf_printf(b, "\n- `%s` (%s)", a->outputs[i].name,
                       grammar_vtype_name(a->outputs[i].type));
    }
}

/* aws:executeScript's Runtime: the values of the runtimes table. */
static bool runtime_input(const grammar_action *a, const grammar_input *in)
{
    return strcmp(a->name, "aws:executeScript") == 0 && strcmp(in->name, "Runtime") == 0;
}

static void hover_runtimes(buf *b)
{
    static const char *const heads[] = {"\n\nRuntimes: ", "\n\nAlso accepted (not confirmed by AWS): ",
                                        "\n\nRetired (new runbooks cannot use them): "};
    for (int status = GRAMMAR_RUNTIME_CURRENT; status <= GRAMMAR_RUNTIME_RETIRED; status++) {
        size_t n = 0;
        for (size_t i = 0; i < grammar_script_runtime_count; i++)
            if ((int)grammar_script_runtimes[i].status == status)
                buf_printf(b, "%s`%s`", n++ ? ", " : heads[status], grammar_script_runtimes[i].name);
    }
}

static void hover_step_field(buf *b, const grammar_step_field *f)
{
    hover_key(b, f->name, f->type, f->required, " (step field)", f->doc, f->values,
              f->value_count);
}

/* A key of an aws:branch choice or condition (Choices, or aws:loop's
 * LoopCondition), above the step at `step`. */
static bool condition_key(const hit *h, size_t step, const grammar_action *a)
{
    if (!h->on_key || h->depth < step + 4 || !key_is(h, step + 1, "inputs"))
        return false;
    return (strcmp(a->name, "aws:branch") == 0 && key_is(h, step + 2, "Choices")) ||
           (strcmp(a->name, "aws:loop") == 0 && key_is(h, step + 2, "LoopCondition"));
}

static void hover_output(buf *b, const ssmc_node *step, const char *step_name, size_t step_len,
                         const char *out, size_t out_len)
{
    /* {{ step.Payload.key }}: the output is the part before the next dot. */
    const char *dot = memchr(out, '.', out_len);
    size_t name_len = dot ? (size_t)(dot - out) : out_len;
    const char *action_name = str_or(ssmc_map_get(step, "action"), "no action");
    const grammar_action *a = grammar_action_find(action_name);
    const ssmc_node *outs = ssmc_map_get(step, "outputs");
    for (size_t i = 0; outs && outs->type == SSMC_NODE_SEQ && i < outs->count; i++) {
        const char *n = str_of(ssmc_map_get(outs->items[i], "Name"));
        if (!n || strlen(n) != name_len || memcmp(n, out, name_len) != 0)
            continue;
        buf_printf(b, "**%.*s** — %s, output of step `%.*s` (%s)", (int)name_len, out,
                   str_or(ssmc_map_get(outs->items[i], "Type"), "String"), (int)step_len,
                   step_name, action_name);
        const char *sel = str_of(ssmc_map_get(outs->items[i], "Selector"));
        if (sel)
            buf_printf(b, "\n\nSelector: `%s`", sel);
        return;
    }
    char *name = xstrndup(out, name_len);
    const grammar_output *o = a ? grammar_action_output(a, name) : NULL;
    free(name);
    if (o)
        buf_printf(b, "**%.*s** — %s, built-in output of step `%.*s` (%s)", (int)name_len, out,
                   grammar_vtype_name(o->type), (int)step_len, step_name, action_name);
    else
        buf_printf(b, "**%.*s** — not an output of step `%.*s` (%s)", (int)name_len, out,
                   (int)step_len, step_name, action_name);
}

/* The hover of an Automation runbook's place: an action name, a step
 * field, an input of the step's action, a condition key of aws:branch. */
static bool hover_automation(buf *b, const hit *h)
{
    size_t step = innermost_step(h);
    if (step == SIZE_MAX)
        return false;
    const grammar_action *a =
        grammar_action_find(str_or(ssmc_map_get(h->values[step], "action"), ""));
    if (!h->on_key && h->depth == step + 2 && key_is(h, step + 1, "action")) {
        if (!a)
            return false;
        hover_action(b, a);
        return true;
    }
    if (h->on_key && h->depth == step + 2) {
        const grammar_step_field *f = grammar_automation_step_field_find(h->keys[step + 1]);
        if (f)
            hover_step_field(b, f);
        return f != NULL;
    }
    if (!a)
        return false;
    if (h->on_key && h->depth == step + 3 && key_is(h, step + 1, "inputs")) {
        bool exact;
        const grammar_input *in = grammar_action_input(a, h->keys[step + 2], &exact);
        if (!in)
            return false;
        hover_input(b, in);
        if (runtime_input(a, in))
            hover_runtimes(b);
        return true;
    }
    if (condition_key(h, step, a)) {
        const char *key = h->keys[h->depth - 1];
        const grammar_branch_operator *op = grammar_branch_operator_find(key);
        const grammar_term *t = op ? NULL : grammar_branch_key_find(key);
        if (op)
            buf_printf(b, "**%s** (aws:branch operator, %s operand)\n\n%s", op->name,
                       grammar_vtype_name(op->operand), op->doc ? op->doc : "");
        else if (t)
            buf_printf(b, "**%s** (aws:branch)\n\n%s", t->name, t->doc);
        return op || t;
    }
    return false;
}

/* The plugin of the step or runtimeConfig entry that hit level `level`
 * holds. */
static const grammar_plugin *plugin_at(const hit *h, size_t level)
{
    if (key_is(h, 0, "runtimeConfig") && level >= 1 && h->keys[1])
        return grammar_plugin_find(h->keys[1]);
    if (key_is(h, 0, "mainSteps") && level >= 1 && !h->keys[1])
        return grammar_plugin_find(str_or(ssmc_map_get(h->values[1], "action"), ""));
    return NULL;
}

/* The grammar entry of an input key: a step's inputs (2.x) or a 1.2
 * properties entry. */
static const grammar_input *input_at(const hit *h)
{
    const char *key = h->depth ? h->keys[h->depth - 1] : NULL;
    if (!key)
        return NULL;
    bool exact;
    if (h->depth == 4 && key_is(h, 0, "mainSteps") && key_is(h, 2, "inputs")) {
        const grammar_plugin *p = plugin_at(h, 1);
        const grammar_input *in = p ? grammar_plugin_input(p, key, &exact) : NULL;
        return in ? in : grammar_shared_input(key, &exact);
    }
    if (key_is(h, 0, "runtimeConfig") && h->depth >= 4 && key_is(h, 2, "properties")) {
        const grammar_plugin *p = plugin_at(h, 1);
        return p ? grammar_plugin_input(p, key, &exact) : NULL;
    }
    return NULL;
}

json_t *lsp_hover(lsp_server *s, lsp_doc *d, size_t offset)
{
    buf b;
    buf_init(&b);
    json_t *range = NULL;
    const ssmc_node *root = current_root(s, d);
    if (root) {
        hit h = {0};
        locate(root, offset, &h);
        bool automation = is_automation(root);
        ref_at r;
        const grammar_input *in;
        const grammar_plugin *plugin;
        if (ref_under(d, &h, offset, &r)) {
            const char *name = r.scalar->str + r.token.name_start;
            size_t len = r.token.name_len;
            const ssmc_pair *p = r.token.kind == REF_PARAM ? param_named(root, name, len) : NULL;
            const char *dot = memchr(name, '.', len);
            const ssmc_node *step = dot ? lsp_step_named(root, name, (size_t)(dot - name)) : NULL;
            const grammar_term *var = grammar_system_variable_find(name, len);
            if (p) {
                hover_parameter(&b, p);
            } else if (step) {
                size_t step_len = (size_t)(dot - name);
                hover_output(&b, step, name, step_len, dot + 1, len - step_len - 1);
            } else if (var) {
                buf_printf(&b, "**%s** (Automation system variable)\n\n%s", var->name, var->doc);
            }
            if (b.len)
                range = lsp_text_range_json(&d->text, s->enc, r.span.start, r.span.end);
        } else if (!h.on_key && h.depth == 3 && key_is(&h, 0, "mainSteps") &&
                   key_is(&h, 2, "action") && (plugin = grammar_plugin_find(str_or(h.node, "")))) {
            hover_plugin(&b, plugin);
            range = node_range(s, d, h.node);
        } else if (h.on_key && h.depth == 2 && key_is(&h, 0, "runtimeConfig") &&
                   (plugin = grammar_plugin_find(h.keys[1]))) {
            hover_plugin(&b, plugin);
            range = node_range(s, d, h.node);
        } else if (automation && hover_automation(&b, &h)) {
            range = node_range(s, d, h.node);
        } else if (!h.on_key && h.depth == 3 && key_is(&h, 0, "mainSteps") &&
                   key_is(&h, 2, "action") && grammar_is_automation_action(str_or(h.node, ""))) {
            buf_printf(&b, "**%s** (Automation action)", str_of(h.node));
            range = node_range(s, d, h.node);
        } else if (h.on_key && !automation && (in = input_at(&h))) {
            hover_input(&b, in);
            range = node_range(s, d, h.node);
        } else if (h.on_key && h.depth == 2 && key_is(&h, 0, "parameters")) {
            hover_parameter(&b, param_named(root, h.keys[1], strlen(h.keys[1])));
            range = node_range(s, d, h.node);
        }
    }
    /* The rules of the findings under the cursor, as `ssmc rules ID`. */
    if (d->findings_version == d->version) {
        for (size_t i = 0; i < d->finding_count; i++) {
            const lsp_finding *f = &d->findings[i];
            if (f->rule == SSMC_RULE_EXTERNAL || offset < f->start || offset > f->end)
                continue;
            const ssmc_rule_info *info = ssmc_rule_get(f->rule);
            if (b.len)
                buf_adds(&b, "\n\n---\n\n");
            buf_printf(&b, "**%s** %s (%s)\n\n%s\n\n```text\n%s\n```", info->id, info->name,
                       ssmc_severity_name(info->severity), info->summary, info->doc);
        }
    }
    if (!b.len) {
        buf_free(&b);
        json_decref(range);
        return json_null();
    }
    json_t *result = json_pack("{s:{s:s,s:s}}", "contents", "kind", "markdown", "value", b.data);
    if (range)
        json_object_set_new(result, "range", range);
    buf_free(&b);
    return result;
}

/* --- definition and references ----------------------------------------- */

/* A step a value names: nextStep, Choices NextStep/Default, or the
 * "step:NAME" of onFailure and onCancel. */
static const ssmc_node *step_target(const ssmc_node *root, const hit *h)
{
    if (h->on_key || !h->depth || !h->keys[h->depth - 1] || !str_of(h->node))
        return NULL;
    const char *key = h->keys[h->depth - 1], *v = str_of(h->node);
    if (strcmp(key, "nextStep") == 0 || strcmp(key, "NextStep") == 0 || strcmp(key, "Default") == 0)
        return lsp_step_named(root, v, strlen(v));
    if ((strcmp(key, "onFailure") == 0 || strcmp(key, "onCancel") == 0) &&
        strncmp(v, "step:", 5) == 0)
        return lsp_step_named(root, v + 5, strlen(v + 5));
    return NULL;
}

json_t *lsp_definition(lsp_server *s, lsp_doc *d, size_t offset)
{
    const ssmc_node *root = current_root(s, d);
    if (!root)
        return json_null();
    hit h = {0};
    locate(root, offset, &h);
    ref_at r;
    if (ref_under(d, &h, offset, &r)) {
        const char *name = r.scalar->str + r.token.name_start;
        const ssmc_pair *p = param_named(root, name, r.token.name_len);
        if (p)
            return location(s, d, p->key->span.start, p->key->span.end);
        const char *dot = memchr(name, '.', r.token.name_len);
        const ssmc_node *step = dot ? lsp_step_named(root, name, (size_t)(dot - name)) : NULL;
        const ssmc_node *sname = step ? ssmc_map_get(step, "name") : NULL;
        if (sname)
            return location(s, d, sname->span.start, sname->span.end);
        return json_null();
    }
    const ssmc_node *step = step_target(root, &h);
    const ssmc_node *sname = step ? ssmc_map_get(step, "name") : NULL;
    if (sname)
        return location(s, d, sname->span.start, sname->span.end);
    return json_null();
}

typedef struct ref_collect {
    lsp_server *s;
    lsp_doc *d;
    const ssmc_source *source;
    const ssmc_node *scalar;
    const char *name;
    size_t len;
    json_t *out;
} ref_collect;

static bool collect_visit(const ref_token *t, const char *str, void *user)
{
    ref_collect *c = user;
    if (t->kind == REF_PARAM && t->name_len == c->len &&
        memcmp(str + t->name_start, c->name, c->len) == 0) {
        ssmc_loc sp = refs_locate(c->source, c->scalar, t->start, t->end);
        json_array_append_new(c->out, location(c->s, c->d, sp.start, sp.end));
    }
    return true;
}

static void collect_refs(ref_collect *c, const ssmc_node *n, size_t depth)
{
    if (!n || depth > MAX_DEPTH || (n->flags & SSMC_NODE_ALIASED))
        return;
    if (n->type == SSMC_NODE_STRING) {
        c->scalar = n;
        refs_scan(n->str, n->len, collect_visit, c);
    } else if (n->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < n->count; i++)
            collect_refs(c, n->items[i], depth + 1);
    } else if (n->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < n->count; i++)
            if (!(n->pairs[i].flags & SSMC_NODE_MERGED))
                collect_refs(c, n->pairs[i].value, depth + 1);
    }
}

json_t *lsp_references(lsp_server *s, lsp_doc *d, size_t offset, bool include_declaration)
{
    const ssmc_node *root = current_root(s, d);
    json_t *out = json_array();
    if (!root)
        return out;
    hit h = {0};
    locate(root, offset, &h);
    const ssmc_pair *p = NULL;
    ref_at r;
    if (ref_under(d, &h, offset, &r) && r.token.kind == REF_PARAM)
        p = param_named(root, r.scalar->str + r.token.name_start, r.token.name_len);
    else if (h.on_key && h.depth == 2 && key_is(&h, 0, "parameters"))
        p = param_named(root, h.keys[1], strlen(h.keys[1]));
    if (!p)
        return out;
    if (include_declaration)
        json_array_append_new(out,
                              location(s, d, p->key->span.start, p->key->span.end));
    ref_collect c = {s, d, ssmc_sources_get(&d->sources, d->file), NULL, p->key->str,
                     strlen(p->key->str), out};
    collect_refs(&c, root, 0);
    return out;
}

/* --- symbols and folding ------------------------------------------------ */

/* LSP SymbolKind values. */
enum { SYM_NAMESPACE = 3, SYM_PROPERTY = 7, SYM_FIELD = 8, SYM_FUNCTION = 12, SYM_VARIABLE = 13 };

static json_t *symbol(lsp_server *s, lsp_doc *d, const char *name, const char *detail, int kind,
                      const ssmc_node *whole, const ssmc_node *name_node)
{
    json_t *sym = json_pack("{s:s,s:i,s:o,s:o}", "name", *name ? name : "(unnamed)", "kind", kind,
                            "range", node_range(s, d, whole), "selectionRange",
                            node_range(s, d, name_node));
    if (detail)
        json_object_set_new(sym, "detail", json_string(detail));
    return sym;
}

/* A pair's whole extent: from its key to the end of its value. */
static const ssmc_node *pair_extent(const ssmc_pair *p, ssmc_node *tmp)
{
    *tmp = *p->key;
    if (p->value->span.end > tmp->span.end)
        tmp->span.end = p->value->span.end;
    return tmp;
}

json_t *lsp_document_symbols(lsp_server *s, lsp_doc *d)
{
    const ssmc_node *root = current_root(s, d);
    json_t *out = json_array();
    if (!root)
        return out;
    for (size_t i = 0; i < root->count; i++) {
        const ssmc_pair *top = &root->pairs[i];
        const ssmc_node *v = top->value;
        json_t *children = json_array();
        if (strcmp(top->key->str, "parameters") == 0 && v->type == SSMC_NODE_MAP) {
            for (size_t k = 0; k < v->count; k++) {
                ssmc_node tmp;
                json_array_append_new(
                    children, symbol(s, d, v->pairs[k].key->str,
                                     str_of(ssmc_map_get(v->pairs[k].value, "type")), SYM_VARIABLE,
                                     pair_extent(&v->pairs[k], &tmp), v->pairs[k].key));
            }
        } else if (strcmp(top->key->str, "mainSteps") == 0 && v->type == SSMC_NODE_SEQ) {
            for (size_t k = 0; k < v->count; k++) {
                const ssmc_node *step = v->items[k];
                const ssmc_node *name = ssmc_map_get(step, "name");
                json_array_append_new(
                    children, symbol(s, d, str_or(name, ""), str_of(ssmc_map_get(step, "action")),
                                     SYM_FUNCTION, step, name ? name : step));
            }
        } else if (strcmp(top->key->str, "runtimeConfig") == 0 && v->type == SSMC_NODE_MAP) {
            for (size_t k = 0; k < v->count; k++) {
                ssmc_node tmp;
                json_array_append_new(children,
                                      symbol(s, d, v->pairs[k].key->str, NULL, SYM_FUNCTION,
                                             pair_extent(&v->pairs[k], &tmp), v->pairs[k].key));
            }
        } else if (v->type == SSMC_NODE_MAP) {
            /* Session inputs and properties, Package files, ...: their keys. */
            for (size_t k = 0; k < v->count; k++) {
                ssmc_node tmp;
                json_array_append_new(children,
                                      symbol(s, d, v->pairs[k].key->str, NULL, SYM_FIELD,
                                             pair_extent(&v->pairs[k], &tmp), v->pairs[k].key));
            }
        }
        ssmc_node tmp;
        bool block = v->type == SSMC_NODE_MAP || v->type == SSMC_NODE_SEQ;
        json_t *sym = symbol(s, d, top->key->str, block ? NULL : str_of(v),
                             block ? SYM_NAMESPACE : SYM_PROPERTY, pair_extent(top, &tmp), top->key);
        if (json_array_size(children))
            json_object_set_new(sym, "children", children);
        else
            json_decref(children);
        json_array_append_new(out, sym);
    }
    return out;
}

/* The last line a node's text is on (0-based): a block's span ends at the
 * start of the line after it. */
static uint32_t last_line(const ssmc_source *src, const ssmc_node *n)
{
    ssmc_span at = ssmc_loc_span(src, n->span);
    uint32_t end = at.end.line;
    if (at.end.col == 1 && end > at.start.line)
        end--;
    return end - 1;
}

/* The 0-based line a node starts on. */
static uint32_t first_line(const ssmc_source *src, const ssmc_node *n)
{
    return ssmc_source_pos(src, n->span.start).line - 1;
}

/* Folds a collection or block scalar from `from` (0-based: the line of its
 * key, or its own first line) to its last line, then its children. */
static void fold(json_t *out, const ssmc_source *src, const ssmc_node *n, uint32_t from,
                 size_t depth)
{
    if (!n || depth > MAX_DEPTH || (n->flags & SSMC_NODE_ALIASED) || !ssmc_loc_known(n->span))
        return;
    bool block_scalar = n->style == SSMC_STYLE_LITERAL || n->style == SSMC_STYLE_FOLDED;
    /* A list item's mapping starts on its list's line ("- action: ..."):
     * one range per start line is what editors fold. */
    size_t count = json_array_size(out);
    json_t *prev = count ? json_array_get(out, count - 1) : NULL;
    bool same_start = prev && json_integer_value(json_object_get(prev, "startLine")) == from;
    if ((n->type == SSMC_NODE_MAP || n->type == SSMC_NODE_SEQ || block_scalar) && !same_start &&
        last_line(src, n) > from && count < 10000)
        json_array_append_new(out, json_pack("{s:I,s:I}", "startLine", (json_int_t)from,
                                             "endLine", (json_int_t)last_line(src, n)));
    if (n->type == SSMC_NODE_SEQ)
        for (size_t i = 0; i < n->count; i++)
            fold(out, src, n->items[i], first_line(src, n->items[i]), depth + 1);
    else if (n->type == SSMC_NODE_MAP)
        for (size_t i = 0; i < n->count; i++)
            if (!(n->pairs[i].flags & SSMC_NODE_MERGED))
                fold(out, src, n->pairs[i].value, first_line(src, n->pairs[i].key), depth + 1);
}

json_t *lsp_folding_ranges(lsp_server *s, lsp_doc *d)
{
    const ssmc_node *root = current_root(s, d);
    json_t *out = json_array();
    const ssmc_source *src = ssmc_sources_get(&d->sources, d->file);
    if (root)
        for (size_t i = 0; i < root->count; i++)
            fold(out, src, root->pairs[i].value, first_line(src, root->pairs[i].key), 1);
    return out;
}
