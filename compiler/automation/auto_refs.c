/* auto_refs.c — the {{ }} references of a runbook (spec section 4): what
 * each names must exist (a parameter, a step and its output, a system
 * variable, a runbook variable), {{ssm:...}} only in parameter defaults, a
 * step output only after its step surely ran, and a whole-value reference
 * whose type cannot fill the input it is given to.
 *
 * A token's inside is a reference when it is a word (a parameter), two
 * words joined by a dot (Step.Output) or prefix:rest with prefix automation,
 * global, variable or ssm; anything else stays text (Python's {{}} in
 * format strings, spec 4.1). */
#include "automation.h"
#include "params.h"
#include "refs.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

/* Where a string sits, which decides what it may reference. */
typedef enum where { IN_STEP, IN_ASSUME_ROLE, IN_PARAM_DEFAULT, IN_VARIABLE_DEFAULT } where;

typedef struct rwalk {
    actx *a;
    where at;
    int step;                      /* consumer step, or -1 */
    const ssmc_node *node;         /* the string being scanned */
    grammar_vtype want;            /* what the string fills (ANY: not known) */
    /* its name for messages ("input X", ...): slot_of and slot, joined only
     * when a message needs them (most strings have no finding) */
    const char *slot_of, *slot;
    bool whole;                    /* the string is this one token */
} rwalk;

static bool prefixed(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len > n && memcmp(s, prefix, n) == 0;
}

static ssmc_loc token_span(const rwalk *w, const ref_token *t)
{
    return refs_locate(w->a->v->source, w->node, t->start, t->end);
}

static const ssmc_node *param_def(const actx *a, const char *name, size_t len)
{
    const ssmc_node *ps = a->v->parameters;
    for (size_t i = 0; ps && i < ps->count; i++) {
        const ssmc_node *k = ps->pairs[i].key;
        if (k->len == len && memcmp(k->str, name, len) == 0)
            return ps->pairs[i].value;
    }
    return NULL;
}

static const ssmc_node *variable_def(const actx *a, const char *name, size_t len)
{
    for (size_t i = 0; a->variables && i < a->variables->count; i++) {
        const ssmc_node *k = a->variables->pairs[i].key;
        if (k->len == len && memcmp(k->str, name, len) == 0)
            return a->variables->pairs[i].value;
    }
    return NULL;
}

static const char *param_guess(const actx *a, const char *name)
{
    const ssmc_node *ps = a->v->parameters;
    if (!ps)
        return NULL;
    const char **names = xcalloc(ps->count + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < ps->count; i++)
        if (ps->pairs[i].key->str)
            names[n++] = ps->pairs[i].key->str;
    const char *g = did_you_mean(name, names, n);
    free(names);
    return g;
}

/* --- types ---------------------------------------------------------------- */

static grammar_vtype vtype_of_name(const char *t)
{
    if (!t)
        return GRAMMAR_T_ANY;
    if (strcmp(t, "String") == 0)
        return GRAMMAR_T_STRING;
    if (strcmp(t, "StringList") == 0)
        return GRAMMAR_T_STRING_LIST;
    if (strcmp(t, "Integer") == 0)
        return GRAMMAR_T_INTEGER;
    if (strcmp(t, "Boolean") == 0)
        return GRAMMAR_T_BOOLEAN;
    if (strcmp(t, "StringMap") == 0)
        return GRAMMAR_T_STRING_MAP;
    if (strcmp(t, "MapList") == 0)
        return GRAMMAR_T_MAP_LIST;
    return GRAMMAR_T_ANY;
}

static grammar_vtype param_vtype(const ssmc_node *def)
{
    switch (params_type_of(def)) {
    case PT_STRING: return GRAMMAR_T_STRING;
    case PT_STRING_LIST: return GRAMMAR_T_STRING_LIST;
    case PT_BOOLEAN: return GRAMMAR_T_BOOLEAN;
    case PT_INTEGER: return GRAMMAR_T_INTEGER;
    case PT_STRING_MAP: return GRAMMAR_T_STRING_MAP;
    case PT_MAP_LIST: return GRAMMAR_T_MAP_LIST;
    default: return GRAMMAR_T_ANY;
    }
}

/* The type a step's output has for consumers; ANY when not known. */
static grammar_vtype output_vtype(const astep *s, const char *name)
{
    for (size_t i = 0; s->outputs && i < s->outputs->count; i++) {
        const ssmc_node *o = s->outputs->items[i];
        const ssmc_node *n = o->type == SSMC_NODE_MAP ? ssmc_map_get(o, "Name") : NULL;
        if (n && n->type == SSMC_NODE_STRING && strcmp(n->str, name) == 0) {
            const ssmc_node *t = ssmc_map_get(o, "Type");
            return t && t->type == SSMC_NODE_STRING ? vtype_of_name(t->str) : GRAMMAR_T_ANY;
        }
    }
    const grammar_output *b = s->action ? grammar_action_output(s->action, name) : NULL;
    return b ? b->type : GRAMMAR_T_ANY;
}

/* A clear mismatch (spec 4.8): a map or list of maps where a string goes,
 * anything else where a number or boolean goes. A StringList into a String
 * input is not one: AWS-UpdateLinuxAmi passes {{ launchInstance.InstanceIds }}
 * (StringList) to InstanceId, so a one-item list evidently fills a String.
 * Nor is a String into a StringList (a one-item list). */
static bool type_clash(grammar_vtype want, grammar_vtype have)
{
    if (want == GRAMMAR_T_ANY || have == GRAMMAR_T_ANY)
        return false;
    switch (want) {
    case GRAMMAR_T_STRING:
    case GRAMMAR_T_STRING_LIST: return have == GRAMMAR_T_MAP_LIST || have == GRAMMAR_T_STRING_MAP;
    case GRAMMAR_T_INTEGER:
    case GRAMMAR_T_BOOLEAN: return have != want;
    default: return false;
    }
}

/* A whole-value reference keeps its type (spec 4.1, 4.8); one embedded in
 * text is replaced by its text. The reference is named by what_of and the
 * len bytes of what ("parameter " "X"), joined only in a message. How a list or a map turns into text is not
 * documented (spec 4.1: embedding a non-scalar is a warning), and none of
 * the corpus's AWS-managed runbooks does it. */
static void check_type(rwalk *w, const ref_token *t, grammar_vtype have, const char *what_of, const char *what,
                       size_t len)
{
    if (!w->whole) {
        bool list = have == GRAMMAR_T_STRING_LIST;
        if (w->at != IN_STEP || (!list && have != GRAMMAR_T_MAP_LIST && have != GRAMMAR_T_STRING_MAP))
            return;
        ssmc_diag *d = ssmc_diag_add(
            w->a->v->diags, SSMC_RULE_SSM8083, w->a->v->file, token_span(w, t),
            "%s%.*s is %s, written inside a longer string%s%s%s: %s; pass it as the whole value, or "
            "pick one item in an aws:executeScript step",
            what_of, (int)len, what, grammar_vtype_name(have), w->slot ? " of " : "", w->slot ? w->slot_of : "",
            w->slot ? w->slot : "",
            list ? "Automation documents converting a one-item StringList to String, not how "
                   "a longer list becomes text"
                 : "Automation does not document how a map becomes text");
        /* AWS-PatchInstanceWithRollback embeds a child automation's Output
         * (StringList) in a Lambda payload: a one-item list evidently works. */
        if (list)
            d->severity = SSMC_SEV_INFO;
        return;
    }
    if (!type_clash(w->want, have))
        return;
    ssmc_diag_add(w->a->v->diags, SSMC_RULE_SSM8047, w->a->v->file, token_span(w, t),
                  "%s%.*s is %s, but %s%s takes %s; the step fails when it starts", what_of, (int)len, what,
                  grammar_vtype_name(have), w->slot ? w->slot_of : "the input", w->slot ? w->slot : "",
                  grammar_vtype_name(w->want));
}

/* --- one token ------------------------------------------------------------- */

static void ref_param(rwalk *w, const ref_token *t, const char *name, size_t len)
{
    actx *a = w->a;
    vctx *v = a->v;
    const ssmc_node *def = param_def(a, name, len);
    if (def) {
        check_type(w, t, param_vtype(def), "parameter ", name, len);
        return;
    }
    char *n = xstrndup(name, len);
    const char *g = param_guess(a, n);
    int st = automation_step_find(a, name, len);
    if (st >= 0)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8040, v->file, token_span(w, t),
                      "Parameter \"%s\" is not declared. (CreateDocument's error); '%s' is a "
                      "step: read one of its outputs as {{ %s.OUTPUT }}",
                      n, n, n);
    else if (g)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8040, v->file, token_span(w, t),
                      "Parameter \"%s\" is not declared. (CreateDocument's error); did you mean "
                      "'%s'?",
                      n, g);
    else
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8040, v->file, token_span(w, t),
                      "Parameter \"%s\" is not declared. (CreateDocument's error); declare it "
                      "under parameters",
                      n);
    free(n);
}

static void ref_output(rwalk *w, const ref_token *t, const char *name, size_t len)
{
    actx *a = w->a;
    vctx *v = a->v;
    const char *dot = memchr(name, '.', len);
    size_t slen = (size_t)(dot - name);
    char *out = xstrndup(dot + 1, len - slen - 1);
    char *full = xstrndup(name, len);
    int p = automation_step_find(a, name, slen);
    if (p < 0) {
        char *step = xstrndup(name, slen);
        const char *g = automation_step_guess(a, step);
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8041, v->file, token_span(w, t),
                      "{{ %s }} names no step '%s'%s%s%s", full, step, g ? "; did you mean '" : "",
                      g ? g : "", g ? "'?" : "");
        free(step);
        goto done;
    }
    const astep *producer = &a->steps[p];
    if (w->at != IN_STEP) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8046, v->file, token_span(w, t),
                      "{{ %s }} is read before any step runs; step outputs exist only in the "
                      "inputs of later steps",
                      full);
        goto done;
    }
    if (!automation_step_output(a, producer, out)) {
        buf known;
        buf_init(&known);
        for (size_t i = 0; producer->action && i < producer->action->output_count; i++)
            buf_printf(&known, "%s%s", known.len ? ", " : "", producer->action->outputs[i].name);
        for (size_t i = 0; producer->outputs && i < producer->outputs->count; i++) {
            const ssmc_node *o = producer->outputs->items[i];
            const ssmc_node *n = o->type == SSMC_NODE_MAP ? ssmc_map_get(o, "Name") : NULL;
            if (n && n->type == SSMC_NODE_STRING)
                buf_printf(&known, "%s%s", known.len ? ", " : "", n->str);
        }
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8042, v->file, token_span(w, t),
                      "step '%s' has no output '%s' (%s%s); declare it in the step's outputs",
                      producer->name, out, known.len ? "it has " : "it has none",
                      known.len ? known.data : "");
        buf_free(&known);
        goto done;
    }
    int c = w->step;
    bool loop_var = producer->action && strcmp(producer->action->name, "aws:loop") == 0;
    if (c == p && !loop_var) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8046, v->file, token_span(w, t),
                      "step '%s' reads its own output {{ %s }}, which does not exist yet",
                      producer->name, full);
    } else if (c >= 0 && a->dom && a->reachable && a->reachable[c] &&
               !a->dom[(size_t)c * a->count + (size_t)p]) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8046, v->file, token_span(w, t),
                      "{{ %s }}: some path reaches step '%s' without running step '%s' "
                      "(a branch, a nextStep or an onFailure jump around it)",
                      full, a->steps[c].name ? a->steps[c].name : "?", producer->name);
    }
    check_type(w, t, output_vtype(producer, out), "output ", name, len);
done:
    free(out);
    free(full);
}

/* The system variables are the grammar's (grammar/automation/automation.json,
 * systemVariables), the table the language server's hover reads too. */
static void ref_system(rwalk *w, const ref_token *t, const char *name, size_t len)
{
    vctx *v = w->a->v;
    char *n = xstrndup(name, len);
    if (grammar_system_variable_find(name, len)) {
        check_type(w, t, GRAMMAR_T_STRING, "", name, len);
    } else if (strcmp(n, "automation:DOCUMENT_NAME") == 0) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8045, v->file, token_span(w, t),
                      "{{ automation:DOCUMENT_NAME }} is not documented (\"The only supported "
                      "Automation variable is automation:EXECUTION_ID\"); pass the name as a "
                      "parameter");
    } else {
        const char **names = xcalloc(grammar_system_variable_count, sizeof *names);
        buf all;
        buf_init(&all);
        for (size_t i = 0; i < grammar_system_variable_count; i++) {
            names[i] = grammar_system_variables[i].name;
            buf_printf(&all, "%s%s", i ? ", " : "", names[i]);
        }
        const char *g = did_you_mean(n, names, grammar_system_variable_count);
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8044, v->file, token_span(w, t),
                      "{{ %s }} is not a system variable%s%s%s (%s)", n,
                      g ? "; did you mean '" : "", g ? g : "", g ? "'?" : "", all.data);
        buf_free(&all);
        free(names);
    }
    free(n);
}

static void ref_variable(rwalk *w, const ref_token *t, const char *name, size_t len)
{
    actx *a = w->a;
    const ssmc_node *def = variable_def(a, name + 9, len - 9);
    if (def) {
        check_type(w, t, param_vtype(def), "variable ", name + 9, len - 9);
        return;
    }
    ssmc_diag_add(a->v->diags, SSMC_RULE_SSM8044, a->v->file, token_span(w, t),
                  "{{ %.*s }} names no runbook variable; declare %.*s under variables",
                  (int)len, name, (int)(len - 9), name + 9);
}

static bool visit(const ref_token *t, const char *s, void *user)
{
    rwalk *w = user;
    const char *name = s + t->name_start;
    size_t len = t->name_len;
    vctx *v = w->a->v;
    if (automation_is_word(name, len)) {
        ref_param(w, t, name, len);
    } else if (prefixed(name, len, "ssm:") || prefixed(name, len, "ssm-secure:")) {
        if (w->at != IN_PARAM_DEFAULT)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8043, v->file, token_span(w, t),
                          "{{%.*s}} is resolved only in parameter defaults; %s rejects it here: "
                          "declare a parameter with this default and reference the parameter",
                          (int)len, name, "CreateDocument");
    } else if (prefixed(name, len, "automation:") || prefixed(name, len, "global:")) {
        ref_system(w, t, name, len);
    } else if (prefixed(name, len, "variable:")) {
        ref_variable(w, t, name, len);
    } else {
        const char *dot = memchr(name, '.', len);
        if (dot && automation_is_word(name, (size_t)(dot - name)) &&
            automation_is_word(dot + 1, len - (size_t)(dot - name) - 1))
            ref_output(w, t, name, len);
        else if (refs_looks_like_name(name, len))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8048, v->file, token_span(w, t),
                          "{{ %.*s }} is not a reference (names are letters, digits and _) and "
                          "stays as text",
                          (int)len, name);
    }
    return true;
}

typedef struct span_probe {
    size_t count, start, end;
} span_probe;

static bool probe(const ref_token *t, const char *s, void *user)
{
    (void)s;
    span_probe *p = user;
    if (p->count++ == 0) {
        p->start = t->start;
        p->end = t->end;
    }
    return p->count < 2;
}

/* {{Name} / {Name}} of a runbook parameter in a step (SSM3101). */
static bool visit_typo(const ref_typo *t, const char *s, void *user)
{
    rwalk *w = user;
    if (param_def(w->a, s + t->name_start, t->name_len)) {
        char *name = xstrndup(s + t->name_start, t->name_len);
        params_report_brace_typo(w->a->v, w->node, t, name);
        free(name);
    }
    return true;
}

static void scan(rwalk *w, const ssmc_node *n)
{
    if (n->type != SSMC_NODE_STRING || !n->str || !memchr(n->str, '{', n->len))
        return;
    w->node = n;
    if (w->at == IN_STEP)
        refs_scan_typos(n->str, n->len, visit_typo, w);
    span_probe p = {0, 0, 0};
    refs_scan(n->str, n->len, probe, &p);
    if (!p.count)
        return;
    size_t a = 0, b = n->len;
    while (a < b && refs_is_space(n->str[a]))
        a++;
    while (b > a && refs_is_space(n->str[b - 1]))
        b--;
    w->whole = p.count == 1 && p.start == a && p.end == b;
    refs_scan(n->str, n->len, visit, w);
}

static void walk(rwalk *w, const ssmc_node *n, size_t depth)
{
    if (!n || depth > MAX_DEPTH)
        return;
    if (n->type == SSMC_NODE_STRING) {
        scan(w, n);
    } else if (n->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < n->count; i++)
            walk(w, n->items[i], depth + 1);
    } else if (n->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < n->count; i++)
            walk(w, n->pairs[i].value, depth + 1);
    }
}

/* The values of one input: a whole string is typed by the input, an item of
 * a list of strings by String (a StringList item is flattened, spec 4.1),
 * anything deeper is scanned untyped. */
static void walk_input(rwalk *w, const char *name, grammar_vtype type, const ssmc_node *val)
{
    w->slot_of = "input ";
    w->slot = name;
    w->want = type;
    if (val->type == SSMC_NODE_STRING) {
        scan(w, val);
    } else if (val->type == SSMC_NODE_SEQ && type == GRAMMAR_T_STRING_LIST) {
        for (size_t i = 0; i < val->count; i++) {
            w->slot_of = "an item of input ";
            w->want = GRAMMAR_T_STRING;
            if (val->items[i]->type == SSMC_NODE_STRING)
                scan(w, val->items[i]);
            else
                walk(w, val->items[i], 1);
        }
    } else {
        w->want = GRAMMAR_T_ANY;
        walk(w, val, 1);
    }
    w->slot_of = w->slot = NULL;
    w->want = GRAMMAR_T_ANY;
}

static void walk_step(actx *a, int idx)
{
    const astep *s = &a->steps[idx];
    if (!s->inputs)
        return;
    rwalk w = {a, IN_STEP, idx, NULL, GRAMMAR_T_ANY, NULL, NULL, false};
    bool loop = s->action && strcmp(s->action->name, "aws:loop") == 0;
    for (size_t i = 0; i < s->inputs->count; i++) {
        const ssmc_pair *p = &s->inputs->pairs[i];
        if (loop && strcmp(p->key->str, "Steps") == 0)
            continue; /* inner steps are steps of their own */
        bool exact = false;
        const grammar_input *in = s->action ? grammar_action_input(s->action, p->key->str, &exact)
                                            : NULL;
        walk_input(&w, p->key->str, in && exact ? in->type : GRAMMAR_T_ANY, p->value);
    }
    if (s->action && strcmp(s->action->name, "aws:updateVariable") == 0) {
        const ssmc_node *n = ssmc_map_get(s->inputs, "Name");
        if (n && n->type == SSMC_NODE_STRING && strncmp(n->str, "variable:", 9) == 0 &&
            !variable_def(a, n->str + 9, n->len - 9))
            ssmc_diag_add(a->v->diags, SSMC_RULE_SSM8044, a->v->file, n->span,
                          "%s names no runbook variable; declare %s under variables", n->str,
                          n->str + 9);
    }
}

/* --- the parameters of a called document --------------------------------- */

/* The type of what a token names; ANY when unknown (unknown names are
 * reported where the string is scanned, not here). */
static grammar_vtype token_vtype(const actx *a, const char *name, size_t len)
{
    if (automation_is_word(name, len)) {
        const ssmc_node *def = param_def(a, name, len);
        return def ? param_vtype(def) : GRAMMAR_T_ANY;
    }
    if (prefixed(name, len, "variable:")) {
        const ssmc_node *def = variable_def(a, name + 9, len - 9);
        return def ? param_vtype(def) : GRAMMAR_T_ANY;
    }
    if (prefixed(name, len, "automation:") || prefixed(name, len, "global:"))
        return GRAMMAR_T_STRING;
    const char *dot = memchr(name, '.', len);
    if (!dot)
        return GRAMMAR_T_ANY;
    int p = automation_step_find(a, name, (size_t)(dot - name));
    if (p < 0)
        return GRAMMAR_T_ANY;
    char *out = xstrndup(dot + 1, len - (size_t)(dot - name) - 1);
    grammar_vtype t = output_vtype(&a->steps[p], out);
    free(out);
    return t;
}

/* The value of one called-document parameter, whole or an item of a list.
 * Parameters travel to the called document as lists of strings
 * (SendCommand, StartAutomationExecution), which converts them to its own
 * types: a String output into an Integer parameter works
 * (AWSResilienceHub-ForceSQSFifoQueueMaxReceiveFailureTest does it), so only
 * a map or a list of maps where text goes is a clash. */
static void called_value(actx *a, const ssmc_node *val, grammar_vtype want, const char *slot)
{
    if (!val || val->type != SSMC_NODE_STRING || !memchr(val->str, '{', val->len) ||
        (want != GRAMMAR_T_STRING && want != GRAMMAR_T_STRING_LIST))
        return;
    span_probe p = {0, 0, 0};
    refs_scan(val->str, val->len, probe, &p);
    size_t lo = 0, hi = val->len;
    while (lo < hi && refs_is_space(val->str[lo]))
        lo++;
    while (hi > lo && refs_is_space(val->str[hi - 1]))
        hi--;
    if (p.count != 1 || p.start != lo || p.end != hi)
        return;
    /* The inside, trimmed, whatever its kind. */
    size_t a0 = lo + 2, b0 = hi - 2;
    while (a0 < b0 && refs_is_space(val->str[a0]))
        a0++;
    while (b0 > a0 && refs_is_space(val->str[b0 - 1]))
        b0--;
    grammar_vtype have = token_vtype(a, val->str + a0, b0 - a0);
    if (!type_clash(want, have))
        return;
    rwalk w = {a, IN_STEP, -1, val, want, "", slot, true};
    ref_token tok = {REF_OTHER, lo, hi, a0, b0 - a0, false};
    const char *name = val->str + a0;
    size_t len = b0 - a0;
    if (automation_is_word(name, len))
        check_type(&w, &tok, have, "parameter ", name, len);
    else if (prefixed(name, len, "variable:"))
        check_type(&w, &tok, have, "variable ", name + 9, len - 9);
    else
        check_type(&w, &tok, have, memchr(name, ':', len) ? "" : "output ", name, len);
}

void automation_called_types(actx *a, const ssmc_node *given, const ssmc_node *params,
                             const char *document)
{
    for (size_t i = 0; given && i < given->count; i++) {
        const ssmc_node *k = given->pairs[i].key, *val = given->pairs[i].value;
        const ssmc_node *def = ssmc_map_get(params, k->str);
        if (!def || def->type != SSMC_NODE_MAP)
            continue;
        grammar_vtype want = param_vtype(def);
        char *slot = xasprintf("parameter %s of %s", k->str, document);
        if (val->type == SSMC_NODE_SEQ && want == GRAMMAR_T_STRING_LIST) {
            char *item = xasprintf("an item of parameter %s of %s", k->str, document);
            for (size_t j = 0; j < val->count; j++)
                called_value(a, val->items[j], GRAMMAR_T_STRING, item);
            free(item);
        } else {
            called_value(a, val, want, slot);
        }
        free(slot);
    }
}

void automation_refs(actx *a)
{
    vctx *v = a->v;
    rwalk w = {a, IN_ASSUME_ROLE, -1, NULL, GRAMMAR_T_ANY, NULL, NULL, false};
    const ssmc_node *role = ssmc_map_get(v->root, "assumeRole");
    if (role)
        scan(&w, role);
    w.at = IN_PARAM_DEFAULT;
    for (size_t i = 0; v->parameters && i < v->parameters->count; i++) {
        const ssmc_node *def = v->parameters->pairs[i].value;
        if (def->type == SSMC_NODE_MAP)
            walk(&w, ssmc_map_get(def, "default"), 0);
    }
    w.at = IN_VARIABLE_DEFAULT;
    for (size_t i = 0; a->variables && i < a->variables->count; i++) {
        const ssmc_node *def = a->variables->pairs[i].value;
        if (def->type == SSMC_NODE_MAP)
            walk(&w, ssmc_map_get(def, "default"), 0);
    }
    for (size_t i = 0; i < a->count; i++)
        walk_step(a, (int)i);
}
