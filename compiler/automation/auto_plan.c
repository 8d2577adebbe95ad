/* auto_plan.c — the plan of an Automation runbook (`ssmc plan`): the step
 * graph with the parameters resolved, and which step output or parameter
 * feeds which input; rendered as JSON, text or Graphviz dot.
 *
 * Plan shape (README, "Plans of runbooks"): planVersion, kind "Automation",
 * source {file, sha256, schemaVersion}, assumeRole, parameters (as in a
 * Command plan), entry, steps [{name, action, parent, reachable, inputs,
 * reads [{input, reference, kind}], edges [{to, kind, label}], maxAttempts,
 * timeoutSeconds, onFailure, onCancel, isCritical, isEnd}], outputs. */
#include "automation.h"
#include "emit.h"
#include "plan.h"
#include "refs.h"

#include <stdlib.h>
#include <string.h>

#define MAX_COND_DEPTH 16

/* --- condition text ----------------------------------------------------- */

static void condition_text(buf *b, const ssmc_node *c, size_t depth)
{
    if (!c || c->type != SSMC_NODE_MAP || depth > MAX_COND_DEPTH) {
        buf_adds(b, "?");
        return;
    }
    const ssmc_node *var = ssmc_map_get(c, "Variable");
    for (size_t i = 0; i < c->count; i++) {
        const char *k = c->pairs[i].key->str;
        const ssmc_node *val = c->pairs[i].value;
        if (strcmp(k, "And") == 0 || strcmp(k, "Or") == 0) {
            buf_printf(b, "%s(", k);
            for (size_t j = 0; val->type == SSMC_NODE_SEQ && j < val->count; j++) {
                if (j)
                    buf_adds(b, ", ");
                condition_text(b, val->items[j], depth + 1);
            }
            buf_addc(b, ')');
            return;
        }
        if (strcmp(k, "Not") == 0) {
            buf_adds(b, "Not(");
            condition_text(b, val, depth + 1);
            buf_addc(b, ')');
            return;
        }
        if (grammar_branch_operator_find(k)) {
            buf_printf(b, "%s %s ", var && ssmc_node_is_scalar(var) ? var->str : "?", k);
            if (val->type == SSMC_NODE_STRING)
                buf_printf(b, "'%s'", val->str);
            else if (ssmc_node_is_scalar(val))
                buf_adds(b, val->str);
            else
                buf_adds(b, "?");
            return;
        }
    }
    buf_adds(b, "?");
}

static const char *const edge_kinds[] = {
    [AEDGE_NEXT] = "next",         [AEDGE_CHOICE] = "choice", [AEDGE_DEFAULT] = "default",
    [AEDGE_FAILURE] = "onFailure", [AEDGE_CANCEL] = "onCancel", [AEDGE_LOOP] = "loop"};

static char *edge_label(const actx *a, const aedge *e)
{
    if (e->kind != AEDGE_CHOICE)
        return xstrdup(edge_kinds[e->kind]);
    const astep *s = &a->steps[e->from];
    const ssmc_node *choices = ssmc_map_get(s->inputs, "Choices");
    buf b;
    buf_init(&b);
    buf_printf(&b, "choice %d: ", e->choice + 1);
    condition_text(&b, choices && choices->type == SSMC_NODE_SEQ &&
                               (size_t)e->choice < choices->count
                           ? choices->items[e->choice]
                           : NULL,
                   0);
    return buf_steal(&b);
}

/* --- references an input reads ------------------------------------------ */

typedef struct reads_ctx {
    json_t *list;
    const char *input;
    const actx *a;
} reads_ctx;

static bool add_read(const ref_token *t, const char *s, void *user)
{
    reads_ctx *rc = user;
    const char *name = s + t->name_start;
    size_t len = t->name_len;
    const char *kind = NULL;
    const char *dot = memchr(name, '.', len);
    if (automation_is_word(name, len))
        kind = "parameter";
    else if (len > 9 && strncmp(name, "variable:", 9) == 0)
        kind = "variable";
    else if ((len > 11 && strncmp(name, "automation:", 11) == 0) ||
             (len > 7 && strncmp(name, "global:", 7) == 0))
        kind = "system";
    else if (dot && automation_is_word(name, (size_t)(dot - name)) &&
             automation_is_word(dot + 1, len - (size_t)(dot - name) - 1))
        kind = "output";
    if (!kind)
        return true;
    char *ref = xstrndup(name, len);
    json_array_append_new(rc->list, json_pack("{s:s, s:s, s:s}", "input", rc->input, "reference",
                                              ref, "kind", kind));
    free(ref);
    return true;
}

static void walk_reads(reads_ctx *rc, const ssmc_node *n, size_t depth)
{
    if (!n || depth > 64)
        return;
    if (n->type == SSMC_NODE_STRING && n->str && memchr(n->str, '{', n->len))
        refs_scan(n->str, n->len, add_read, rc);
    else if (n->type == SSMC_NODE_SEQ)
        for (size_t i = 0; i < n->count; i++)
            walk_reads(rc, n->items[i], depth + 1);
    else if (n->type == SSMC_NODE_MAP)
        for (size_t i = 0; i < n->count; i++)
            walk_reads(rc, n->pairs[i].value, depth + 1);
}

/* --- building -------------------------------------------------------------- */

static json_t *field(const ssmc_node *step, const char *key)
{
    const ssmc_node *n = ssmc_map_get(step, key);
    return n ? node_to_json(n) : json_null();
}

static json_t *step_json(const actx *a, size_t i, ssmc_arena *arena, const param_values *pv,
                         sub_budget *text)
{
    const astep *s = &a->steps[i];
    json_t *o = json_object();
    json_object_set_new(o, "name", s->name ? json_string(s->name) : json_null());
    json_object_set_new(o, "action", s->action_name ? json_string(s->action_name) : json_null());
    json_object_set_new(o, "parent",
                        s->parent >= 0 && a->steps[s->parent].name
                            ? json_string(a->steps[s->parent].name)
                            : json_null());
    json_object_set_new(o, "reachable", json_boolean(!a->reachable || a->reachable[i]));
    json_t *reads = json_array();
    if (s->inputs) {
        /* The nested steps of a loop are steps of their own. */
        bool loop = s->action && strcmp(s->action->name, "aws:loop") == 0;
        ssmc_node *copy = node_new(arena, SSMC_NODE_MAP);
        copy->pairs = arena_alloc(arena, (s->inputs->count + 1) * sizeof *copy->pairs);
        for (size_t k = 0; k < s->inputs->count; k++) {
            const ssmc_pair *p = &s->inputs->pairs[k];
            if (loop && strcmp(p->key->str, "Steps") == 0)
                continue;
            copy->pairs[copy->count++] = *p;
            reads_ctx rc = {reads, p->key->str, a};
            walk_reads(&rc, p->value, 0);
        }
        ssmc_node *subst = sub_tree(arena, copy, pv->subs, pv->sub_count, text);
        json_object_set_new(o, "inputs", node_to_json(subst));
    } else {
        json_object_set_new(o, "inputs", json_null());
    }
    json_object_set_new(o, "reads", reads);
    json_t *edges = json_array();
    for (size_t e = 0; e < a->edge_count; e++) {
        const aedge *ed = &a->edges[e];
        if (ed->from != (int)i)
            continue;
        char *label = edge_label(a, ed);
        json_array_append_new(
            edges, json_pack("{s:o, s:s, s:s}", "to",
                             ed->to >= 0 && a->steps[ed->to].name ? json_string(a->steps[ed->to].name)
                                                                  : json_null(),
                             "kind", edge_kinds[ed->kind], "label", label));
        free(label);
    }
    json_object_set_new(o, "edges", edges);
    static const char *const fields[] = {"maxAttempts", "timeoutSeconds", "onFailure",
                                         "onCancel", "isCritical", "isEnd"};
    for (size_t f = 0; f < 6; f++)
        json_object_set_new(o, fields[f], field(s->node, fields[f]));
    return o;
}

/* The runbook's steps and graph again, their findings dropped: `check`
 * reported them. */
static void quiet_graph(const ssmc_sources *sources, const ssmc_document *doc,
                        const ssmc_config *config, ssmc_diags *quiet, vctx *v, actx *a)
{
    memset(quiet, 0, sizeof *quiet);
    quiet->sources = sources;
    memset(v, 0, sizeof *v);
    v->sources = sources;
    v->source = ssmc_sources_get(sources, doc->file);
    v->doc = (ssmc_document *)doc;
    v->config = config;
    v->diags = quiet;
    v->file = doc->file;
    v->root = doc->root;
    v->kind = KIND_AUTOMATION;
    const ssmc_node *n = ssmc_map_get(doc->root, "parameters");
    v->parameters = n && n->type == SSMC_NODE_MAP ? (ssmc_node *)n : NULL;
    n = ssmc_map_get(doc->root, "mainSteps");
    v->main_steps = n && n->type == SSMC_NODE_SEQ ? (ssmc_node *)n : NULL;
    automation_collect(v, a);
    automation_flow(a);
}

json_t *automation_plan(ssmc_document *doc, const plan_options *options, ssmc_diags *diags)
{
    const ssmc_source *src = ssmc_sources_get(options->sources, doc->file);
    ssmc_arena *arena = arena_new();
    ssm_store store;
    memset(&store, 0, sizeof store);
    store.values = options->ssm_values;
    store.given = options->ssm_values != NULL;
    param_values pv;
    json_t *plan = NULL;
    if (!param_values_resolve(&pv, arena, doc, options->given, &store, false, diags)) {
        param_values_free(&pv);
        ssm_store_free(&store);
        arena_free(arena);
        return NULL;
    }
    ssmc_diags quiet;
    vctx v;
    actx a;
    quiet_graph(options->sources, doc, options->config, &quiet, &v, &a);

    plan = plan_header(src, doc, "Automation");
    sub_budget text = {PLAN_MAX_TEXT, false};
    const ssmc_node *role = ssmc_map_get(doc->root, "assumeRole");
    json_object_set_new(plan, "assumeRole",
                        role ? node_to_json(sub_tree(arena, role, pv.subs, pv.sub_count, &text))
                             : json_null());
    json_object_set_new(plan, "parameters", plan_parameters_json(&pv));
    json_object_set_new(plan, "entry",
                        a.count && a.steps[0].name ? json_string(a.steps[0].name) : json_null());
    json_t *steps = json_array();
    for (size_t i = 0; i < a.count; i++)
        json_array_append_new(steps, step_json(&a, i, arena, &pv, &text));
    json_object_set_new(plan, "steps", steps);
    if (text.spent)
        ssmc_diag_add(diags, SSMC_RULE_SSM6102, doc->file, loc_of_node(doc->root),
                      PLAN_TOO_MUCH_TEXT_MESSAGE, PLAN_MAX_TEXT >> 20);
    const ssmc_node *outs = ssmc_map_get(doc->root, "outputs");
    json_object_set_new(plan, "outputs", outs ? node_to_json(outs) : json_array());
    automation_steps_free(&a);
    ssmc_diags_free(&quiet);
    param_values_free(&pv);
    ssm_store_free(&store);
    arena_free(arena);
    return plan;
}

/* --- rendering --------------------------------------------------------------- */

void automation_plan_text(const json_t *plan, buf *out)
{
    const json_t *src = json_object_get(plan, "source");
    buf_printf(out, "Automation plan for %s (schema %s, sha256 %.12s)\n", plan_jstr(src, "file"),
               plan_jstr(src, "schemaVersion"), plan_jstr(src, "sha256"));
    const json_t *role = json_object_get(plan, "assumeRole");
    if (json_is_string(role))
        buf_printf(out, "Assume role: %s\n",
                   *json_string_value(role) ? json_string_value(role) : "(none: the caller's permissions)");
    const json_t *params = json_object_get(plan, "parameters");
    if (json_array_size(params)) {
        buf_adds(out, "Parameters:\n");
        size_t i;
        json_t *p;
        json_array_foreach(params, i, p) {
            char *val = json_dumps(json_object_get(p, "value"), JSON_COMPACT | JSON_ENCODE_ANY);
            buf_printf(out, "  %s (%s) = %s [%s]\n", plan_jstr(p, "name"), plan_jstr(p, "type"),
                       val ? val : "null", plan_jstr(p, "source"));
            free(val);
        }
    }
    buf_printf(out, "Steps (entry: %s):\n", plan_jstr(plan, "entry"));
    size_t i;
    json_t *st;
    json_array_foreach(json_object_get(plan, "steps"), i, st) {
        const char *parent = plan_jstr(st, "parent");
        buf_printf(out, "  %zu. %s%s%s%s (%s)%s\n", i + 1, *parent ? parent : "",
                   *parent ? " > " : "", plan_jstr(st, "name"), "", plan_jstr(st, "action"),
                   json_is_false(json_object_get(st, "reachable")) ? " [unreachable]" : "");
        size_t k;
        json_t *r;
        json_array_foreach(json_object_get(st, "reads"), k, r)
            if (strcmp(plan_jstr(r, "kind"), "output") == 0)
                buf_printf(out, "       %s <- {{ %s }}\n", plan_jstr(r, "input"), plan_jstr(r, "reference"));
        json_t *e;
        json_array_foreach(json_object_get(st, "edges"), k, e) {
            const char *to = plan_jstr(e, "to");
            buf_printf(out, "       %s -> %s\n", plan_jstr(e, "label"), *to ? to : "(end)");
        }
    }
    const json_t *outs = json_object_get(plan, "outputs");
    if (json_array_size(outs)) {
        buf_adds(out, "Outputs:");
        json_t *o;
        json_array_foreach(outs, i, o)
            buf_printf(out, " %s", json_is_string(o) ? json_string_value(o) : "?");
        buf_addc(out, '\n');
    }
}

void automation_plan_dot(const json_t *plan, buf *out)
{
    buf_adds(out, "digraph runbook {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n"
                  "  edge [fontname=\"Helvetica\", fontsize=10];\n  label=\"");
    plan_dot_label(out, plan_jstr(json_object_get(plan, "source"), "file"));
    buf_adds(out, "\";\n");
    bool end = false;
    size_t i;
    json_t *st;
    json_array_foreach(json_object_get(plan, "steps"), i, st) {
        buf_adds(out, "  \"");
        plan_dot_label(out, plan_jstr(st, "name"));
        buf_adds(out, "\" [label=\"");
        plan_dot_label(out, plan_jstr(st, "name"));
        buf_adds(out, "\\n");
        plan_dot_label(out, plan_jstr(st, "action"));
        buf_printf(out, "\"%s];\n",
                   json_is_false(json_object_get(st, "reachable")) ? ", style=dashed" : "");
    }
    json_array_foreach(json_object_get(plan, "steps"), i, st) {
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(st, "edges"), k, e) {
            const char *to = plan_jstr(e, "to");
            const char *kind = plan_jstr(e, "kind");
            end = end || !*to;
            buf_adds(out, "  \"");
            plan_dot_label(out, plan_jstr(st, "name"));
            buf_adds(out, "\" -> \"");
            plan_dot_label(out, *to ? to : "(end)");
            buf_adds(out, "\" [label=\"");
            plan_dot_label(out, plan_jstr(e, "label"));
            buf_printf(out, "\"%s];\n",
                       strcmp(kind, "onFailure") == 0  ? ", color=red, style=dashed"
                       : strcmp(kind, "onCancel") == 0 ? ", color=orange, style=dotted"
                                                       : "");
        }
    }
    if (end)
        buf_adds(out, "  \"(end)\" [shape=doublecircle, label=\"end\"];\n");
    buf_adds(out, "}\n");
}

/* --- the Mermaid flowchart of `ssmc doc` -------------------------------------- */

/* Mermaid label text inside "...": quotes as #quot;, no line breaks. */
static void mermaid_text(buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"')
            buf_adds(out, "#quot;");
        else if (*s == '\n' || *s == '\r')
            buf_addc(out, ' ');
        else
            buf_addc(out, *s);
    }
}

void automation_mermaid(const ssmc_sources *sources, const ssmc_document *doc, buf *out)
{
    ssmc_diags quiet;
    vctx v;
    actx a;
    quiet_graph(sources, doc, NULL, &quiet, &v, &a);
    buf_adds(out, "```mermaid\nflowchart TD\n");
    bool end = false;
    for (size_t i = 0; i < a.count; i++) {
        const astep *s = &a.steps[i];
        buf_printf(out, "  s%zu[\"", i);
        mermaid_text(out, s->name ? s->name : "?");
        buf_adds(out, "<br/>");
        mermaid_text(out, s->action_name ? s->action_name : "?");
        buf_adds(out, "\"]\n");
    }
    for (size_t e = 0; e < a.edge_count; e++) {
        const aedge *ed = &a.edges[e];
        char *label = edge_label(&a, ed);
        bool dashed = ed->kind == AEDGE_FAILURE || ed->kind == AEDGE_CANCEL;
        buf_printf(out, "  s%d %s|\"", ed->from, dashed ? "-.->" : "-->");
        mermaid_text(out, label);
        if (ed->to >= 0)
            buf_printf(out, "\"| s%d\n", ed->to);
        else
            buf_adds(out, "\"| done\n");
        end = end || ed->to < 0;
        free(label);
    }
    if (end)
        buf_adds(out, "  done((end))\n");
    buf_adds(out, "```\n\n");
    automation_steps_free(&a);
    ssmc_diags_free(&quiet);
}
