/* auto_flow.c — the step graph of a runbook: every target names a step,
 * aws:branch choices are well formed, every step is reachable from the
 * first, no cycle traps the execution, and which steps surely ran before
 * another (dominators, for {{ step.Output }} in auto_refs.c).
 *
 * Successors (spec section 5.1): on success an aws:branch goes to the
 * NextStep of a true choice or Default, else (no Default) to the next step
 * unless isEnd; another step ends with isEnd, else goes to nextStep, else to
 * the next step of its list. The last step of an aws:loop's Steps goes back
 * to the loop (section 5.4). Failure: onFailure step:X, Continue (as
 * success) or Abort (end). Cancellation: onCancel step:X. */
#include "automation.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DOM_STEPS 256    /* dominator sets: count^2 bytes, up to count rounds */
#define MAX_COND_DEPTH 32

typedef struct edges {
    int *to;
    size_t count, cap;
} edges;

typedef struct graph {
    actx *a;
    size_t n;          /* steps; node n is the end of the execution */
    edges *succ;       /* success edges (the ones a cycle may leave by) */
    edges *other;      /* failure and cancel edges */
} graph;

static void add_edge(edges *e, int to)
{
    for (size_t i = 0; i < e->count; i++)
        if (e->to[i] == to)
            return;
    GROW(e->to, e->cap, e->count + 1);
    e->to[e->count++] = to;
}

/* Adds an edge to the graph and to the runbook's list of labelled edges. */
static void link(graph *g, int from, int to, aedge_kind kind, int choice)
{
    actx *a = g->a;
    add_edge(kind == AEDGE_FAILURE || kind == AEDGE_CANCEL ? &g->other[from] : &g->succ[from],
             to < 0 ? (int)g->n : to);
    GROW(a->edges, a->edge_cap, a->edge_count + 1);
    a->edges[a->edge_count++] = (aedge){from, to < 0 || (size_t)to >= g->n ? -1 : to, kind, choice};
}

static ssmc_loc step_span(const astep *s)
{
    return s->name_node ? s->name_node->span : s->node->span;
}

/* The did-you-mean of a target naming no step: "; did you mean 'X'?", or
 * "'X' or 'Y'" when another step name is as close to reach. *sole is X
 * when it is the only step name within reach: only then is renaming the
 * target to it clearly the fix (SSM8050). */
static char *target_hint(const actx *a, const char *name, const char *prefix, const char **sole)
{
    *sole = NULL;
    const char *g = automation_step_guess(a, name);
    if (!g)
        return xstrdup("");
    const char **names = xcalloc(a->count + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < a->count; i++)
        if (a->steps[i].name && strcmp(a->steps[i].name, g) != 0)
            names[n++] = a->steps[i].name;
    const char *other = did_you_mean(name, names, n);
    free(names);
    if (!other) {
        *sole = g;
        return xasprintf("; did you mean '%s%s'?", prefix, g);
    }
    return xasprintf("; did you mean '%s%s' or '%s%s'?", prefix, g, prefix, other);
}

/* A bare step name (nextStep, NextStep, Default): its index, or -1 after
 * reporting why it names none. */
static int resolve_name(actx *a, const ssmc_node *n, const char *field)
{
    vctx *v = a->v;
    if (!n || n->type != SSMC_NODE_STRING)
        return -1;
    if (strncmp(n->str, "step:", 5) == 0) {
        int t = automation_step_find(a, n->str + 5, n->len - 5);
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8051, v->file, n->span,
                      "%s takes a bare step name: write %s without step:", field, n->str + 5);
        return t;
    }
    int t = automation_step_find(a, n->str, n->len);
    if (t >= 0)
        return t;
    const char *sole;
    char *hint = target_hint(a, n->str, "", &sole);
    ssmc_diag *d = ssmc_diag_add(v->diags, SSMC_RULE_SSM8050, v->file, n->span,
                                 "%s '%s' names no step%s", field, n->str, hint);
    free(hint);
    if (sole)
        fix_replace_scalar(d, v->sources, n, sole, false);
    return -1;
}

/* onFailure/onCancel step:NAME: the index, -1 for Abort/Continue/none. */
static int resolve_on(actx *a, const ssmc_node *n, const char *field)
{
    vctx *v = a->v;
    if (!n || n->type != SSMC_NODE_STRING || strncmp(n->str, "step:", 5) != 0)
        return -1;
    int t = automation_step_find(a, n->str + 5, n->len - 5);
    if (t >= 0)
        return t;
    const char *sole;
    char *hint = target_hint(a, n->str + 5, "step:", &sole);
    ssmc_diag *d = ssmc_diag_add(v->diags, SSMC_RULE_SSM8050, v->file, n->span,
                                 "%s '%s' names no step%s", field, n->str, hint);
    free(hint);
    if (sole) {
        char *to = xasprintf("step:%s", sole);
        fix_replace_scalar(d, v->sources, n, to, false);
        free(to);
    }
    return -1;
}

/* --- aws:branch conditions --------------------------------------------- */

static bool is_token(const ssmc_node *n)
{
    return n && n->type == SSMC_NODE_STRING && strstr(n->str, "{{") && strstr(n->str, "}}");
}

static void check_condition(actx *a, const char *step, const ssmc_node *c, size_t depth,
                            bool top);

static void check_operands(actx *a, const char *step, const char *op, const ssmc_node *list,
                           size_t depth)
{
    vctx *v = a->v;
    if (list->type != SSMC_NODE_SEQ) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, list->span,
                      "%s must be a list of at least two conditions, not %s", op,
                      ssmc_node_type_phrase(list->type));
        return;
    }
    if (list->count < 2)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, list->span,
                      "Expect at lease two expressions for operator: %s in step: %s. Provided: %zu "
                      "(CreateDocument's error); add a condition, or drop the %s",
                      op, step, (size_t)list->count, op);
    for (size_t i = 0; i < list->count; i++)
        check_condition(a, step, list->items[i], depth + 1, false);
}

static void check_condition(actx *a, const char *step, const ssmc_node *c, size_t depth, bool top)
{
    vctx *v = a->v;
    if (depth > MAX_COND_DEPTH)
        return;
    if (c->type != SSMC_NODE_MAP) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, c->span,
                      "a condition must be a mapping (Variable and an operator, And, Or or Not), "
                      "not %s",
                      ssmc_node_type_phrase(c->type));
        return;
    }
    const ssmc_pair *variable = NULL, *op = NULL, *logic = NULL;
    size_t conditions = 0;
    for (size_t i = 0; i < c->count; i++) {
        const ssmc_pair *p = &c->pairs[i];
        const char *k = p->key->str;
        if (strcmp(k, "Variable") == 0) {
            variable = p;
        } else if (strcmp(k, "And") == 0 || strcmp(k, "Or") == 0 || strcmp(k, "Not") == 0) {
            logic = p;
            conditions++;
        } else if (grammar_branch_operator_find(k)) {
            op = p;
            conditions++;
        } else if (!(top && strcmp(k, "NextStep") == 0)) {
            const char *names[16];
            size_t n = 0;
            for (size_t j = 0; j < grammar_branch_operator_count && n < 13; j++)
                names[n++] = grammar_branch_operators[j].name;
            names[n++] = "Variable";
            names[n++] = "NextStep";
            const char *g = did_you_mean(k, names, n);
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, p->key->span,
                          "'%s' is not an aws:branch operator%s%s%s", k,
                          g ? "; did you mean '" : " (StringEquals, EqualsIgnoreCase, StartsWith, EndsWith, Contains, NumericEquals, NumericGreater, NumericLesser, NumericGreaterOrEquals, NumericLesserOrEquals, BooleanEquals, And, Or, Not)",
                          g ? g : "", g ? "'?" : "");
            return;
        }
    }
    if (conditions != 1) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, c->span,
                      conditions ? "a condition holds one operator (or one And, Or, Not); split "
                                   "it or join the parts with And"
                                 : "a condition needs Variable and an operator, or And, Or or Not");
        return;
    }
    if (logic) {
        if (variable)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, variable->key->span,
                          "Variable goes inside the %s's conditions", logic->key->str);
        if (strcmp(logic->key->str, "Not") == 0) {
            if (logic->value->type != SSMC_NODE_MAP)
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, logic->value->span,
                              "Not takes one condition (a mapping), not %s",
                              ssmc_node_type_phrase(logic->value->type));
            else
                check_condition(a, step, logic->value, depth + 1, false);
        } else {
            check_operands(a, step, logic->key->str, logic->value, depth);
        }
        return;
    }
    if (!variable) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, op->key->span,
                      "%s needs a Variable to compare", op->key->str);
        return;
    }
    if (!is_token(variable->value))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8056, v->file, variable->value->span,
                      "Variable is not a {{ }} reference, so the choice compares a constant; "
                      "write Variable: '{{ step.Output }}' or '{{ Parameter }}'");
    const grammar_branch_operator *bo = grammar_branch_operator_find(op->key->str);
    const ssmc_node *val = op->value;
    if (is_token(val))
        return;
    bool ok = bo->operand == GRAMMAR_T_STRING    ? val->type == SSMC_NODE_STRING
              : bo->operand == GRAMMAR_T_INTEGER ? (val->type == SSMC_NODE_INT || val->type == SSMC_NODE_FLOAT)
              : bo->operand == GRAMMAR_T_BOOLEAN ? val->type == SSMC_NODE_BOOL
                                                 : true;
    if (!ok)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8055, v->file, val->span,
                      "%s compares %s, not %s%s", op->key->str,
                      bo->operand == GRAMMAR_T_STRING    ? "strings"
                      : bo->operand == GRAMMAR_T_INTEGER ? "numbers"
                                                         : "booleans (true or false)",
                      ssmc_node_type_phrase(val->type),
                      val->type == SSMC_NODE_STRING ? ": write it without quotes" : "");
}

/* A condition as canonical text, for spotting two choices that test the
 * same: a reference's spaces inside {{ }} do not count, numbers compare by
 * value, EqualsIgnoreCase values without case, and the conditions of And and
 * Or in any order. NULL for a malformed condition (SSM8054 says why). Only
 * equal conditions are found: a choice implied by an earlier one (x > 5
 * after x > 3) is left alone. */
static void key_text(buf *b, const char *s, bool fold)
{
    bool in_ref = false;
    for (const char *p = s; *p; p++) {
        if (p[0] == '{' && p[1] == '{')
            in_ref = true;
        else if (p[0] == '}' && p[1] == '}')
            in_ref = false;
        if (in_ref && (*p == ' ' || *p == '\t'))
            continue;
        buf_addc(b, fold && *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
    }
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static char *condition_key(const ssmc_node *c, size_t depth)
{
    if (!c || c->type != SSMC_NODE_MAP || depth > MAX_COND_DEPTH)
        return NULL;
    const ssmc_node *var = ssmc_map_get(c, "Variable");
    const ssmc_pair *test = NULL;
    for (size_t i = 0; i < c->count; i++) {
        const char *k = c->pairs[i].key->str;
        if (strcmp(k, "Variable") == 0 || strcmp(k, "NextStep") == 0)
            continue;
        if (test)
            return NULL;
        test = &c->pairs[i];
    }
    if (!test)
        return NULL;
    const char *op = test->key->str;
    const ssmc_node *val = test->value;
    buf b;
    buf_init(&b);
    if (strcmp(op, "Not") == 0) {
        char *inner = condition_key(val, depth + 1);
        if (!inner)
            return NULL;
        buf_printf(&b, "!(%s)", inner);
        free(inner);
    } else if (strcmp(op, "And") == 0 || strcmp(op, "Or") == 0) {
        if (val->type != SSMC_NODE_SEQ || val->count < 2)
            return NULL;
        char **parts = xcalloc(val->count, sizeof *parts);
        bool ok = true;
        for (size_t i = 0; i < val->count && ok; i++)
            ok = (parts[i] = condition_key(val->items[i], depth + 1)) != NULL;
        if (ok) {
            qsort(parts, val->count, sizeof *parts, cmp_str);
            buf_printf(&b, "%s(", op);
            for (size_t i = 0; i < val->count; i++)
                buf_printf(&b, "%s%s", i ? "\x1e" : "", parts[i]);
            buf_addc(&b, ')');
        }
        for (size_t i = 0; i < val->count; i++)
            free(parts[i]);
        free(parts);
        if (!ok) {
            buf_free(&b);
            return NULL;
        }
    } else {
        const grammar_branch_operator *bo = grammar_branch_operator_find(op);
        if (!bo || !var || !ssmc_node_is_scalar(var) || !ssmc_node_is_scalar(val))
            return NULL;
        key_text(&b, var->str, false);
        buf_printf(&b, "\x1f%s\x1f", op);
        if (bo->operand == GRAMMAR_T_INTEGER &&
            (val->type == SSMC_NODE_INT || val->type == SSMC_NODE_FLOAT)) {
            buf_printf(&b, "%.17g", strtod(val->str, NULL));
        } else {
            buf_printf(&b, "%c", val->type == SSMC_NODE_STRING ? 's' : 'v');
            key_text(&b, val->str, strcmp(op, "EqualsIgnoreCase") == 0);
        }
    }
    return buf_steal(&b);
}

static void branch_edges(graph *g, int i)
{
    actx *a = g->a;
    vctx *v = a->v;
    const astep *s = &a->steps[i];
    const ssmc_node *choices = ssmc_map_get(s->inputs, "Choices");
    const char *step = s->name ? s->name : "?";
    if (choices && (choices->type != SSMC_NODE_SEQ || choices->count == 0)) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, choices->span,
                      "Choices must be a non-empty list of choices {NextStep, condition}");
        choices = NULL;
    }
    char **keys = choices ? xcalloc(choices->count, sizeof *keys) : NULL;
    for (size_t c = 0; choices && c < choices->count; c++) {
        const ssmc_node *ch = choices->items[c];
        check_condition(a, step, ch, 0, true);
        if (ch->type != SSMC_NODE_MAP)
            continue;
        const ssmc_node *ns = ssmc_map_get(ch, "NextStep");
        if (!ns)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8054, v->file, ch->span,
                          "a choice needs NextStep: the step to run when it is true");
        int t = resolve_name(a, ns, "NextStep");
        if (t >= 0)
            link(g, i, t, AEDGE_CHOICE, (int)c);
        keys[c] = condition_key(ch, 0);
        for (size_t d = 0; d < c && keys[c]; d++)
            if (keys[d] && strcmp(keys[c], keys[d]) == 0) {
                ssmc_diag *dg = ssmc_diag_add(v->diags, SSMC_RULE_SSM8057, v->file, ch->span,
                                              "this choice tests the same as an earlier one, "
                                              "which wins: it never runs");
                ssmc_diag_add_related(dg, v->file, choices->items[d]->span, "the earlier choice");
                break;
            }
    }
    const ssmc_node *def = ssmc_map_get(s->inputs, "Default");
    int t = resolve_name(a, def, "Default");
    if (t >= 0)
        link(g, i, t, AEDGE_DEFAULT, -1);
    /* Every choice going where Default goes: the branch decides nothing.
     * (Only some of them doing so is left alone: AWS-managed runbooks list a
     * value explicitly next to a Default that goes to the same step.) */
    bool all_default = t >= 0 && choices;
    for (size_t c = 0; all_default && c < choices->count; c++) {
        const ssmc_node *ch = choices->items[c];
        const ssmc_node *ns = ch->type == SSMC_NODE_MAP ? ssmc_map_get(ch, "NextStep") : NULL;
        all_default = ns && ns->type == SSMC_NODE_STRING &&
                      automation_step_find(a, ns->str, ns->len) == t;
    }
    if (all_default) {
        const char *to = a->steps[t].name ? a->steps[t].name : "?";
        ssmc_diag *dg = ssmc_diag_add(v->diags, SSMC_RULE_SSM8057, v->file, choices->span,
                                      "every choice goes to '%s', as Default does: whatever "
                                      "the conditions, the execution goes on at '%s', so the "
                                      "branch decides nothing",
                                      to, to);
        ssmc_diag_add_related(dg, v->file, def->span, "Default");
    }
    for (size_t c = 0; choices && c < choices->count; c++)
        free(keys[c]);
    free(keys);
    if (!def)
        link(g, i,
             automation_step_bool(s, "isEnd", false)
                 ? -1
                 : (s->next >= 0 ? s->next : s->parent >= 0 ? s->parent : -1),
             AEDGE_DEFAULT, -1);
    const ssmc_pair *ns = ssmc_map_get_pair(s->node, "nextStep");
    if (ns)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8058, v->file, ns->key->span,
                      "an aws:branch goes where Choices and Default say; nextStep is ignored");
}

static void build(graph *g)
{
    actx *a = g->a;
    vctx *v = a->v;
    for (size_t k = 0; k < g->n; k++) {
        int i = (int)k;
        const astep *s = &a->steps[i];
        if (s->node->type != SSMC_NODE_MAP)
            continue;
        int fall = s->next >= 0 ? s->next : s->parent >= 0 ? s->parent : -1;
        bool is_end = automation_step_bool(s, "isEnd", false);
        const ssmc_node *ns = ssmc_map_get(s->node, "nextStep");
        bool branch = s->action && strcmp(s->action->name, "aws:branch") == 0;
        if (branch && s->inputs) {
            branch_edges(g, i);
        } else {
            int t = branch ? -1 : resolve_name(a, ns, "nextStep");
            if (is_end)
                link(g, i, -1, AEDGE_NEXT, -1);
            else if (t >= 0)
                link(g, i, t, AEDGE_NEXT, -1);
            else /* no nextStep, or one naming no step (reported): fall through */
                link(g, i, fall, AEDGE_NEXT, -1);
            if (is_end && ns)
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8058, v->file,
                              ssmc_map_get_pair(s->node, "nextStep")->key->span,
                              "isEnd: true ends the execution after this step; nextStep is "
                              "ignored");
        }
        if (s->first_child >= 0)
            link(g, i, s->first_child, AEDGE_LOOP, -1);
        const ssmc_node *of = ssmc_map_get(s->node, "onFailure");
        int f = resolve_on(a, of, "onFailure");
        if (f >= 0) {
            link(g, i, f, AEDGE_FAILURE, -1);
        } else if (of && of->type == SSMC_NODE_STRING && strcmp(of->str, "Continue") == 0) {
            /* Continue goes on as after a success (not into the loop body). */
            size_t before = g->succ[i].count;
            for (size_t e = 0; e < before; e++) {
                int to = g->succ[i].to[e];
                if (to != s->first_child)
                    link(g, i, (size_t)to == g->n ? -1 : to, AEDGE_FAILURE, -1);
            }
        }
        int c = resolve_on(a, ssmc_map_get(s->node, "onCancel"), "onCancel");
        if (c >= 0)
            link(g, i, c, AEDGE_CANCEL, -1);
    }
}

/* --- reachability -------------------------------------------------------- */

static void reach(graph *g)
{
    actx *a = g->a;
    a->reachable = xcalloc(g->n + 1, 1);
    int *stack = xmalloc((g->n + 1) * sizeof *stack);
    size_t sp = 0;
    stack[sp++] = 0;
    a->reachable[0] = 1;
    while (sp) {
        int i = stack[--sp];
        if ((size_t)i == g->n)
            continue;
        edges *lists[2] = {&g->succ[i], &g->other[i]};
        for (size_t l = 0; l < 2; l++)
            for (size_t e = 0; e < lists[l]->count; e++) {
                int t = lists[l]->to[e];
                if (!a->reachable[t]) {
                    a->reachable[t] = 1;
                    stack[sp++] = t;
                }
            }
    }
    free(stack);
    for (size_t i = 0; i < g->n; i++) {
        const astep *s = &a->steps[i];
        if (!a->reachable[i] && s->node->type == SSMC_NODE_MAP &&
            (s->parent < 0 || a->reachable[s->parent]))
            ssmc_diag_add(a->v->diags, SSMC_RULE_SSM8052, a->v->file, step_span(s),
                          "step '%s' is unreachable: no nextStep, branch, onFailure or onCancel "
                          "leads to it and the step before it does not fall through",
                          s->name ? s->name : "?");
    }
}

/* --- cycles without a way out (Tarjan over the success edges) ------------- */

typedef struct tarjan {
    graph *g;
    int *index, *low, *stack, *comp;
    bool *on;
    int next, sp, ncomp;
} tarjan;

static void strong(tarjan *t, int v0)
{
    /* Iterative Tarjan: frames of (node, next edge). */
    graph *g = t->g;
    int *frame_v = xmalloc((g->n + 1) * sizeof *frame_v);
    size_t *frame_e = xmalloc((g->n + 1) * sizeof *frame_e);
    int fp = 0;
    frame_v[fp] = v0;
    frame_e[fp++] = 0;
    t->index[v0] = t->low[v0] = t->next++;
    t->stack[t->sp++] = v0;
    t->on[v0] = true;
    while (fp) {
        int v = frame_v[fp - 1];
        size_t *e = &frame_e[fp - 1];
        edges *out = &g->succ[v];
        if (*e < out->count) {
            int w = out->to[(*e)++];
            if ((size_t)w == g->n)
                continue;
            if (t->index[w] < 0) {
                t->index[w] = t->low[w] = t->next++;
                t->stack[t->sp++] = w;
                t->on[w] = true;
                frame_v[fp] = w;
                frame_e[fp++] = 0;
            } else if (t->on[w] && t->index[w] < t->low[v]) {
                t->low[v] = t->index[w];
            }
            continue;
        }
        if (t->low[v] == t->index[v]) {
            int w;
            do {
                w = t->stack[--t->sp];
                t->on[w] = false;
                t->comp[w] = t->ncomp;
            } while (w != v);
            t->ncomp++;
        }
        fp--;
        if (fp && t->low[v] < t->low[frame_v[fp - 1]])
            t->low[frame_v[fp - 1]] = t->low[v];
    }
    free(frame_v);
    free(frame_e);
}

/* Whether step `inner` lies inside the aws:loop step `loop`. */
static bool inside_loop(const actx *a, int inner, int loop)
{
    for (int p = a->steps[inner].parent, hops = 0; p >= 0 && hops < 64; p = a->steps[p].parent, hops++)
        if (p == loop)
            return true;
    return false;
}

/* Strongly connected components of g->succ into t (caller frees). */
static void components(graph *g, tarjan *t)
{
    size_t n = g->n;
    *t = (tarjan){g, xmalloc(n * sizeof(int)), xmalloc(n * sizeof(int)), xmalloc(n * sizeof(int)),
                  xmalloc(n * sizeof(int)), xcalloc(n, sizeof(bool)), 0, 0, 0};
    for (size_t i = 0; i < n; i++)
        t->index[i] = -1;
    for (size_t i = 0; i < n; i++)
        if (t->index[i] < 0)
            strong(t, (int)i);
}

static void components_free(tarjan *t)
{
    free(t->index);
    free(t->low);
    free(t->stack);
    free(t->comp);
    free(t->on);
}

static char *component_names(const actx *a, const tarjan *t, int c)
{
    buf list;
    buf_init(&list);
    for (size_t i = 0; i < a->count; i++)
        if (t->comp[i] == c)
            buf_printf(&list, "%s%s", list.len ? " -> " : "",
                       a->steps[i].name ? a->steps[i].name : "?");
    return list.data;
}

/* What one pass over the steps tells of each component of t: its size, its
 * first step, whether a member has an edge to itself, whether an edge
 * leaves it (or ends the runbook: index n), and whether a member is in
 * `marked` (may be NULL). */
typedef struct comp_summary {
    size_t members;
    int first;
    bool self, leaves, marked;
} comp_summary;

static comp_summary *summarize(const tarjan *t, size_t n, const edges *out, const bool *marked)
{
    comp_summary *cs = xcalloc(t->ncomp ? (size_t)t->ncomp : 1, sizeof *cs);
    for (int c = 0; c < t->ncomp; c++)
        cs[c].first = -1;
    for (size_t i = 0; i < n; i++) {
        comp_summary *s = &cs[t->comp[i]];
        s->members++;
        if (s->first < 0)
            s->first = (int)i;
        s->marked = s->marked || (marked && marked[i]);
        for (size_t e = 0; e < out[i].count; e++) {
            int w = out[i].to[e];
            if ((size_t)w == n || t->comp[w] != t->comp[i])
                s->leaves = true;
            if (w == (int)i)
                s->self = true;
        }
    }
    return cs;
}

/* A component repeats when it has two steps or a step that goes to
 * itself, and matters when the runbook can reach it. */
static bool repeats(const actx *a, const comp_summary *s)
{
    return (s->members >= 2 || s->self) && a->reachable[s->first];
}

/* A cycle of success edges that no success edge leaves is an infinite loop:
 * "Before processing a runbook, the system verifies that the runbook doesn't
 * create an infinite loop. If an infinite loop is detected, Automation
 * returns an error and a circle trace" (automation-branch-condition.md), so
 * SSM8053 is an error. A cycle that a branch or an onFailure/onCancel jump
 * can leave is a warning (SSM8078): whether that check counts it is not
 * documented, and none of the corpus's 996 runbooks has one. An aws:loop's
 * repetition is no such cycle (spec 5.4). */
static void cycles(graph *g)
{
    actx *a = g->a;
    size_t n = g->n;
    tarjan t;
    components(g, &t);
    bool *trapped = xcalloc(n, sizeof(bool));
    comp_summary *cs = summarize(&t, n, g->succ, NULL);
    for (int c = 0; c < t.ncomp; c++) {
        if (cs[c].leaves || !repeats(a, &cs[c]))
            continue;
        cs[c].marked = true;
        char *list = component_names(a, &t, c);
        ssmc_diag_add(a->v->diags, SSMC_RULE_SSM8053, a->v->file,
                      step_span(&a->steps[cs[c].first]),
                      "steps %s repeat with no way out on success: an infinite loop, which "
                      "Automation rejects with a circle trace; repeat with maxAttempts or "
                      "aws:loop, or let a branch leave",
                      list);
        free(list);
    }
    for (size_t i = 0; i < n; i++)
        trapped[i] = cs[t.comp[i]].marked;
    free(cs);
    components_free(&t);
    /* Every edge kind, less a loop body's way back to its aws:loop step. */
    edges *all = xcalloc(n, sizeof *all);
    for (size_t i = 0; i < n; i++) {
        edges *lists[2] = {&g->succ[i], &g->other[i]};
        for (size_t l = 0; l < 2; l++)
            for (size_t e = 0; e < lists[l]->count; e++) {
                int w = lists[l]->to[e];
                if ((size_t)w < n && !inside_loop(a, (int)i, w))
                    add_edge(&all[i], w);
            }
    }
    graph ga = {a, n, all, NULL};
    components(&ga, &t);
    cs = summarize(&t, n, all, trapped);
    for (int c = 0; c < t.ncomp; c++) {
        if (cs[c].marked || !repeats(a, &cs[c]))
            continue;
        char *list = component_names(a, &t, c);
        ssmc_diag_add(a->v->diags, SSMC_RULE_SSM8078, a->v->file,
                      step_span(&a->steps[cs[c].first]),
                      "steps %s form a loop (a branch or a failure jump leaves it); Automation "
                      "checks a runbook for infinite loops before it runs and does not document "
                      "whether it accepts this one: repeat with aws:loop or maxAttempts instead",
                      list);
        free(list);
    }
    free(cs);
    components_free(&t);
    for (size_t i = 0; i < n; i++)
        free(all[i].to);
    free(all);
    free(trapped);
}

/* --- dominators (iterative, bit sets) -------------------------------------- */

static void dominators(graph *g)
{
    actx *a = g->a;
    size_t n = g->n;
    if (n == 0 || n > MAX_DOM_STEPS)
        return;
    /* Predecessors over every edge kind. */
    edges *pred = xcalloc(n, sizeof *pred);
    for (size_t i = 0; i < n; i++) {
        edges *lists[2] = {&g->succ[i], &g->other[i]};
        for (size_t l = 0; l < 2; l++)
            for (size_t e = 0; e < lists[l]->count; e++)
                if ((size_t)lists[l]->to[e] < n)
                    add_edge(&pred[lists[l]->to[e]], (int)i);
    }
    unsigned char *dom = xmalloc(n * n);
    /* dom[j * n + i]: i dominates j. */
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            dom[j * n + i] = j == 0 ? (i == 0) : 1;
    unsigned char *tmp = xmalloc(n);
    bool changed = true;
    for (size_t round = 0; changed && round < n + 2; round++) {
        changed = false;
        for (size_t j = 1; j < n; j++) {
            if (!a->reachable[j])
                continue;
            memset(tmp, 1, n);
            bool any = false;
            for (size_t p = 0; p < pred[j].count; p++) {
                size_t q = (size_t)pred[j].to[p];
                if (!a->reachable[q])
                    continue;
                any = true;
                for (size_t i = 0; i < n; i++)
                    tmp[i] &= dom[q * n + i];
            }
            if (!any)
                memset(tmp, 0, n);
            tmp[j] = 1;
            if (memcmp(tmp, dom + j * n, n) != 0) {
                memcpy(dom + j * n, tmp, n);
                changed = true;
            }
        }
    }
    free(tmp);
    for (size_t i = 0; i < n; i++)
        free(pred[i].to);
    free(pred);
    a->dom = dom;
}

void automation_flow(actx *a)
{
    if (a->count == 0)
        return;
    graph g = {a, a->count, xcalloc(a->count, sizeof(edges)), xcalloc(a->count, sizeof(edges))};
    build(&g);
    reach(&g);
    cycles(&g);
    dominators(&g);
    for (size_t i = 0; i < g.n; i++) {
        free(g.succ[i].to);
        free(g.other[i].to);
    }
    free(g.succ);
    free(g.other);
}
