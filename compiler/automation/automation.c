/* automation.c — an Automation runbook's sections, steps, actions, inputs
 * and declared outputs, checked against the tables of grammar/automation/
 * (one file per action). References are auto_refs.c, control flow
 * auto_flow.c.
 *
 * Sources: spec sections 1 (top level), 2 (steps), 3 (actions), 9 (where
 * the AWS-managed runbooks overrule the User Guide). */
#include "automation.h"
#include "association.h"
#include "params.h"
#include "refs.h"

#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 4096        /* far above the largest real runbook (78) */
#define MAX_LOOP_DEPTH 8

/* --- small helpers ---------------------------------------------------- */

bool automation_is_word(const char *s, size_t len)
{
    if (!len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

static bool has_token(const ssmc_node *n)
{
    return n && n->type == SSMC_NODE_STRING && n->str && refs_has_double(n->str, n->len, '{') &&
           refs_has_double(n->str, n->len, '}');
}

/* True when the string is one {{ ... }} token and nothing else. */
static bool whole_token(const ssmc_node *n)
{
    if (!n || n->type != SSMC_NODE_STRING || n->len < 4)
        return false;
    const char *s = n->str;
    size_t a = 0, b = n->len;
    while (a < b && refs_is_space(s[a]))
        a++;
    while (b > a && refs_is_space(s[b - 1]))
        b--;
    return b - a >= 4 && s[a] == '{' && s[a + 1] == '{' && s[b - 1] == '}' && s[b - 2] == '}' &&
           !memchr(s + a + 2, '}', b - a - 4);
}

static bool digits(const char *s, size_t len)
{
    if (!len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int automation_step_find(const actx *a, const char *name, size_t len)
{
    for (size_t i = 0; i < a->count; i++) {
        const char *n = a->steps[i].name;
        if (n && strlen(n) == len && memcmp(n, name, len) == 0)
            return (int)i;
    }
    return -1;
}

const char *automation_step_guess(const actx *a, const char *name)
{
    const char **names = xcalloc(a->count + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < a->count; i++)
        if (a->steps[i].name)
            names[n++] = a->steps[i].name;
    const char *g = did_you_mean(name, names, n);
    free(names);
    return g;
}

bool automation_step_bool(const astep *s, const char *field, bool fallback)
{
    const ssmc_node *n = ssmc_map_get(s->node, field);
    if (!n)
        return fallback;
    if (n->type == SSMC_NODE_BOOL)
        return n->val.b;
    if (n->type == SSMC_NODE_STRING && strcmp(n->str, "true") == 0)
        return true;
    if (n->type == SSMC_NODE_STRING && strcmp(n->str, "false") == 0)
        return false;
    return fallback;
}

/* --- top level -------------------------------------------------------- */

static void check_top_keys(vctx *v)
{
    if (v->kind != KIND_AUTOMATION)
        return; /* a change template's keys: validate_document.c */
    static const top_keys_words words = {SSMC_RULE_SSM8001, SSMC_RULE_SSM8001, SSMC_RULE_SSM8001,
                                         "an Automation runbook", "A runbook", "a runbook", NULL};
    validate_top_keys(v, grammar_kind_find("Automation"), &words);
}

static void section_type(vctx *v, const char *key, ssmc_node_type want, const char *what)
{
    const ssmc_node *n = ssmc_map_get(v->root, key);
    if (n && n->type != want && n->type != SSMC_NODE_NULL)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8002, v->file, n->span, "'%s' must be %s, not %s",
                      key, what, ssmc_node_type_phrase(n->type));
}

static void check_sections(vctx *v)
{
    section_type(v, "parameters", SSMC_NODE_MAP, "a mapping of parameter name to definition");
    section_type(v, "variables", SSMC_NODE_MAP, "a mapping of variable name to definition");
    section_type(v, "files", SSMC_NODE_MAP, "a mapping of attachment name to {checksums}");
    section_type(v, "outputs", SSMC_NODE_SEQ, "a list of \"Step.Output\" strings");
    section_type(v, "description", SSMC_NODE_STRING, "a string");
    section_type(v, "assumeRole", SSMC_NODE_STRING, "a string (an IAM role ARN or a {{ parameter }})");
    ssmc_pair *steps = ssmc_map_get_pair(v->root, "mainSteps");
    if (!steps) {
        ssmc_pair *sv = ssmc_map_get_pair(v->root, "schemaVersion");
        ssmc_loc at = sv ? sv->key->span : v->root->span;
        if (!sv)
            at.end = at.start;
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8002, v->file, at,
                      "the runbook has no mainSteps; add mainSteps: [...] with at least one step");
    } else if (steps->value->type != SSMC_NODE_SEQ) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8002, v->file, steps->value->span,
                      "'mainSteps' must be a list of steps, not %s",
                      ssmc_node_type_phrase(steps->value->type));
    } else if (steps->value->count == 0) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8002, v->file, steps->value->span,
                      "mainSteps is empty; a runbook needs at least one step");
    }
}

static void check_assume_role(vctx *v)
{
    const ssmc_node *r = ssmc_map_get(v->root, "assumeRole");
    if (!r || r->type != SSMC_NODE_STRING || r->len == 0 || has_token(r))
        return;
    if (strncmp(r->str, "arn:aws", 7) == 0 && strstr(r->str, ":iam::") && strstr(r->str, ":role/"))
        return;
    ssmc_diag_add(v->diags, SSMC_RULE_SSM8005, v->file, r->span,
                  "assumeRole '%s' is neither an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME) "
                  "nor a {{ parameter }}; declare a String parameter AutomationAssumeRole and "
                  "write '{{ AutomationAssumeRole }}'",
                  r->str);
}

static void check_variables(actx *a)
{
    vctx *v = a->v;
    if (!a->variables)
        return;
    for (size_t i = 0; i < a->variables->count; i++) {
        const ssmc_node *key = a->variables->pairs[i].key;
        const ssmc_node *def = a->variables->pairs[i].value;
        if (!automation_is_word(key->str, key->len))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8007, v->file, key->span,
                          "variable name '%s' should be letters, digits and _ only", key->str);
        if (def->type != SSMC_NODE_MAP) {
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8007, v->file, def->span,
                          "variable '%s' must be a mapping {type, default, description}, not %s",
                          key->str, ssmc_node_type_phrase(def->type));
            continue;
        }
        const ssmc_node *t = ssmc_map_get(def, "type");
        param_type pt = params_type_of(def);
        if (!t || pt == PT_UNKNOWN)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8007, v->file, t ? t->span : key->span,
                          "variable '%s' needs a type: String, StringList, Integer, Boolean, "
                          "StringMap or MapList",
                          key->str);
        for (size_t j = 0; j < def->count; j++) {
            const char *k = def->pairs[j].key->str;
            if (strcmp(k, "type") && strcmp(k, "default") && strcmp(k, "description"))
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8007, v->file, def->pairs[j].key->span,
                              "variable '%s' has an unknown property '%s' (type, default, "
                              "description)",
                              key->str, k);
        }
    }
}

static void check_files(actx *a)
{
    vctx *v = a->v;
    if (!a->files)
        return;
    if (a->files->count > 5)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8006, v->file, a->files->span,
                      "the runbook lists %zu files; runbooks take at most five attachments",
                      (size_t)a->files->count);
    for (size_t i = 0; i < a->files->count; i++) {
        const ssmc_node *key = a->files->pairs[i].key, *f = a->files->pairs[i].value;
        const ssmc_node *sums = f->type == SSMC_NODE_MAP ? ssmc_map_get(f, "checksums") : NULL;
        if (!sums || sums->type != SSMC_NODE_MAP || sums->count == 0) {
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8006, v->file, sums ? sums->span : key->span,
                          "file '%s' needs checksums: {sha256: <64 hex digits>}", key->str);
            continue;
        }
        for (size_t j = 0; j < sums->count; j++) {
            const ssmc_node *ck = sums->pairs[j].key, *cv = sums->pairs[j].value;
            bool hex = cv->type == SSMC_NODE_STRING && cv->len == 64 &&
                       strspn(cv->str, "0123456789abcdefABCDEF") == 64;
            bool named = str_eq_nocase(ck->str, "sha256") || str_eq_nocase(ck->str, "sha-256");
            if (!named || !hex)
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8006, v->file, named ? cv->span : ck->span,
                              "checksum of file '%s' must be sha256: <64 hex digits>", key->str);
        }
    }
}

/* --- steps: collection ------------------------------------------------- */

static void collect_list(actx *a, const ssmc_node *list, int parent, size_t depth)
{
    if (!list || list->type != SSMC_NODE_SEQ || depth > MAX_LOOP_DEPTH)
        return;
    int prev = -1;
    for (size_t i = 0; i < list->count && a->count < MAX_STEPS; i++) {
        const ssmc_node *n = list->items[i];
        GROW(a->steps, a->cap, a->count + 1);
        int idx = (int)a->count++;
        astep *s = &a->steps[idx];
        memset(s, 0, sizeof *s);
        s->node = n;
        s->parent = parent;
        s->next = s->first_child = -1;
        if (prev >= 0)
            a->steps[prev].next = idx;
        prev = idx;
        if (n->type != SSMC_NODE_MAP)
            continue;
        const ssmc_node *name = ssmc_map_get(n, "name");
        if (name && name->type == SSMC_NODE_STRING) {
            s->name = name->str;
            s->name_node = name;
        }
        const ssmc_node *act = ssmc_map_get(n, "action");
        if (act && act->type == SSMC_NODE_STRING) {
            s->action_name = act->str;
            s->action = grammar_action_find(act->str);
        }
        const ssmc_node *in = ssmc_map_get(n, "inputs");
        s->inputs = in && in->type == SSMC_NODE_MAP ? in : NULL;
        const ssmc_node *out = ssmc_map_get(n, "outputs");
        s->outputs = out && out->type == SSMC_NODE_SEQ ? out : NULL;
        if (s->action_name && strcmp(s->action_name, "aws:loop") == 0 && s->inputs) {
            size_t before = a->count;
            collect_list(a, ssmc_map_get(s->inputs, "Steps"), idx, depth + 1);
            if (a->count > before)
                a->steps[idx].first_child = (int)before;
        }
    }
}

void automation_collect(vctx *v, actx *a)
{
    memset(a, 0, sizeof *a);
    a->v = v;
    const ssmc_node *n = ssmc_map_get(v->root, "variables");
    a->variables = n && n->type == SSMC_NODE_MAP ? n : NULL;
    n = ssmc_map_get(v->root, "files");
    a->files = n && n->type == SSMC_NODE_MAP ? n : NULL;
    collect_list(a, v->main_steps, -1, 0);
    for (size_t i = 0; i < a->count; i++)
        for (size_t j = 0; j < i && a->steps[i].name; j++)
            if (a->steps[j].name && strcmp(a->steps[i].name, a->steps[j].name) == 0) {
                a->steps[i].duplicate = true;
                break;
            }
}

void automation_steps_free(actx *a)
{
    free(a->steps);
    free(a->dom);
    free(a->reachable);
    free(a->edges);
    a->steps = NULL;
    a->edges = NULL;
    a->edge_count = a->edge_cap = 0;
    a->dom = a->reachable = NULL;
    a->count = a->cap = 0;
}

/* --- steps: fields ---------------------------------------------------- */

static void check_field_names(actx *a, const astep *s)
{
    vctx *v = a->v;
    const char *names[32];
    size_t n = 0;
    for (size_t i = 0; i < grammar_automation_step_field_count && n < 32; i++)
        names[n++] = grammar_automation_step_fields[i].name;
    for (size_t i = 0; i < s->node->count; i++) {
        const ssmc_node *k = s->node->pairs[i].key;
        if (!ssmc_node_is_scalar(k) || grammar_automation_step_field_find(k->str))
            continue;
        const char *guess = did_you_mean(k->str, names, n);
        if (strcmp(k->str, "precondition") == 0 || strcmp(k->str, "settings") == 0)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8011, v->file, k->span,
                          "'%s' is a Command document step field; Automation steps do not have "
                          "it (use aws:branch to run a step conditionally)",
                          k->str);
        else if (guess)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8011, v->file, k->span,
                          "unknown step field '%s'; did you mean '%s'?", k->str, guess);
        else
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8011, v->file, k->span,
                          "unknown step field '%s'; a step has name, action, inputs, "
                          "description, maxAttempts, timeoutSeconds, onFailure, onCancel, isEnd, "
                          "isCritical, nextStep, outputs",
                          k->str);
    }
}

static void check_int_field(actx *a, const astep *s, const char *field, long long min)
{
    vctx *v = a->v;
    const ssmc_node *n = ssmc_map_get(s->node, field);
    if (!n)
        return;
    if (n->type == SSMC_NODE_STRING && digits(n->str, n->len) && n->len < 12 &&
        strtoll(n->str, NULL, 10) >= min) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8015, v->file, n->span,
                      "%s is the string '%s'; Automation accepts it, the plain form is %s: %s",
                      field, n->str, field, n->str);
        return;
    }
    if (n->type != SSMC_NODE_INT || n->val.i < min)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8014, v->file, n->span,
                      "%s must be a whole number of at least %lld, not %s%s", field, min,
                      n->type == SSMC_NODE_INT ? n->str : ssmc_node_type_phrase(n->type),
                      n->type == SSMC_NODE_STRING ? " (write the number without quotes)" : "");
}

static void check_bool_field(actx *a, const astep *s, const char *field)
{
    vctx *v = a->v;
    const ssmc_node *n = ssmc_map_get(s->node, field);
    if (!n || n->type == SSMC_NODE_BOOL)
        return;
    if (n->type == SSMC_NODE_STRING && (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8015, v->file, n->span,
                      "%s is the string '%s'; Automation accepts it, the plain form is %s: %s",
                      field, n->str, field, n->str);
    else
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8014, v->file, n->span,
                      "%s must be true or false, not %s%s%s", field,
                      ssmc_node_is_scalar(n) ? "'" : "",
                      ssmc_node_is_scalar(n) ? n->str : ssmc_node_type_phrase(n->type),
                      ssmc_node_is_scalar(n) ? "'" : "");
}

/* onFailure: Abort | Continue | step:NAME; onCancel: Abort | step:NAME. */
static void check_on(actx *a, const astep *s, const char *field, bool continue_ok)
{
    vctx *v = a->v;
    const ssmc_node *n = ssmc_map_get(s->node, field);
    if (!n)
        return;
    if (n->type != SSMC_NODE_STRING) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8019, v->file, n->span,
                      "%s must be Abort%s or step:NAME, not %s", field,
                      continue_ok ? ", Continue" : "", ssmc_node_type_phrase(n->type));
        return;
    }
    if (strcmp(n->str, "Abort") == 0 || (continue_ok && strcmp(n->str, "Continue") == 0))
        return;
    if (strncmp(n->str, "step:", 5) == 0)
        return; /* the target: auto_flow.c */
    if (automation_step_find(a, n->str, n->len) >= 0) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8051, v->file, n->span,
                      "%s names a step without the step: prefix; write %s: step:%s", field,
                      field, n->str);
        return;
    }
    ssmc_diag_add(v->diags, SSMC_RULE_SSM8019, v->file, n->span,
                  "%s is '%s'; it must be Abort%s or step:NAME", field, n->str,
                  continue_ok ? ", Continue" : "");
}

/* --- inputs ------------------------------------------------------------- */

static bool is_bool_text(const ssmc_node *n)
{
    return n->type == SSMC_NODE_STRING &&
           (str_eq_nocase(n->str, "true") || str_eq_nocase(n->str, "false"));
}

/* Whether a literal (not a whole-value token) can fill an input of type t.
 * Items of lists may be tokens (a StringList token as an item is flattened,
 * spec 4.1). */
static bool literal_fits(grammar_vtype t, const ssmc_node *n)
{
    switch (t) {
    case GRAMMAR_T_STRING:
        return ssmc_node_is_scalar(n);
    case GRAMMAR_T_STRING_LIST:
    case GRAMMAR_T_LIST:
        if (n->type != SSMC_NODE_SEQ)
            return false;
        for (size_t i = 0; t == GRAMMAR_T_STRING_LIST && i < n->count; i++)
            if (!ssmc_node_is_scalar(n->items[i]))
                return false;
        return true;
    case GRAMMAR_T_MAP_LIST:
        if (n->type != SSMC_NODE_SEQ)
            return false;
        for (size_t i = 0; i < n->count; i++)
            if (n->items[i]->type != SSMC_NODE_MAP && !whole_token(n->items[i]))
                return false;
        return true;
    case GRAMMAR_T_MAP:
    case GRAMMAR_T_STRING_MAP:
        return n->type == SSMC_NODE_MAP || n->type == SSMC_NODE_STRING;
    case GRAMMAR_T_INTEGER:
        return n->type == SSMC_NODE_INT || (n->type == SSMC_NODE_STRING && digits(n->str, n->len));
    case GRAMMAR_T_BOOLEAN:
        return n->type == SSMC_NODE_BOOL || is_bool_text(n);
    default:
        return true;
    }
}

static const char *vtype_phrase(grammar_vtype t)
{
    switch (t) {
    case GRAMMAR_T_STRING: return "a string";
    case GRAMMAR_T_STRING_LIST: return "a list of strings";
    case GRAMMAR_T_LIST: return "a list";
    case GRAMMAR_T_MAP_LIST: return "a list of mappings";
    case GRAMMAR_T_MAP:
    case GRAMMAR_T_STRING_MAP: return "a mapping";
    case GRAMMAR_T_INTEGER: return "a whole number";
    case GRAMMAR_T_BOOLEAN: return "true or false";
    default: return "a value";
    }
}

static void check_input_value(actx *a, const astep *s, const grammar_input *in,
                              const ssmc_node *val)
{
    vctx *v = a->v;
    if (val->type == SSMC_NODE_NULL || whole_token(val))
        return; /* null is accepted (spec 2.4); a token's type: auto_refs.c */
    if (!literal_fits(in->type, val)) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8023, v->file, val->span,
                      "input %s of %s must be %s, not %s%s", in->name, s->action->name,
                      vtype_phrase(in->type), ssmc_node_type_phrase(val->type),
                      in->type == GRAMMAR_T_STRING && val->type == SSMC_NODE_SEQ
                          ? " (write the lines as one block string: |)"
                          : "");
        return;
    }
    /* Values, pattern, range, length: literal text only. */
    const ssmc_node *items_one[1] = {val};
    const ssmc_node *const *items = items_one;
    size_t count = 1;
    if (val->type == SSMC_NODE_SEQ) {
        items = (const ssmc_node *const *)val->items;
        count = val->count;
    }
    for (size_t i = 0; i < count; i++) {
        const ssmc_node *it = items[i];
        if (!ssmc_node_is_scalar(it) || it->type == SSMC_NODE_NULL || has_token(it))
            continue;
        if (in->value_count) {
            bool found = false;
            for (size_t k = 0; k < in->value_count && !found; k++)
                found = strcmp(in->values[k], it->str) == 0;
            if (!found) {
                buf list;
                buf_init(&list);
                for (size_t k = 0; k < in->value_count; k++)
                    buf_printf(&list, "%s%s", k ? ", " : "", in->values[k]);
                const char *g = did_you_mean(it->str, in->values, in->value_count);
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8024, v->file, it->span,
                              "%s '%s' is not one of %s%s%s%s", in->name, it->str, list.data,
                              g ? " (did you mean '" : "", g ? g : "", g ? "'?)" : "");
                buf_free(&list);
                continue;
            }
        }
        if (in->has_range && (it->type == SSMC_NODE_INT || digits(it->str, it->len))) {
            long long x = it->type == SSMC_NODE_INT ? (long long)it->val.i
                                                    : strtoll(it->str, NULL, 10);
            if (x < in->range_min || x > in->range_max)
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8024, v->file, it->span,
                              "%s is %lld, outside %lld..%lld", in->name, x, in->range_min,
                              in->range_max);
        }
        if (in->max_length && utf8_count(it->str, it->len) > in->max_length)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8024, v->file, it->span,
                          "%s is %zu characters long, over its limit of %zu", in->name,
                          utf8_count(it->str, it->len), in->max_length);
        if (in->pattern && it->type == SSMC_NODE_STRING) {
            if (!validate_pattern_matches(in->pattern, it->str, it->len))
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8024, v->file, it->span,
                              "%s '%s' does not match %s", in->name, it->str, in->pattern);
        }
    }
}

static void check_inputs(actx *a, const astep *s)
{
    vctx *v = a->v;
    const grammar_action *act = s->action;
    const ssmc_node *inputs = s->inputs;
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; i < act->input_count && n < 64; i++)
        names[n++] = act->inputs[i].name;
    ssmc_rule unknown_rule = act->strict_inputs ? SSMC_RULE_SSM8021 : SSMC_RULE_SSM8020;
    for (size_t i = 0; i < inputs->count; i++) {
        const ssmc_node *k = inputs->pairs[i].key, *val = inputs->pairs[i].value;
        if (!ssmc_node_is_scalar(k))
            continue;
        bool exact = false;
        const grammar_input *in = grammar_action_input(act, k->str, &exact);
        if (in && exact) {
            check_input_value(a, s, in, val);
            continue;
        }
        if (in) {
            ssmc_diag_add(v->diags, unknown_rule, v->file, k->span,
                          "input '%s' of %s is spelled '%s' (input names are case-sensitive)",
                          k->str, act->name, in->name);
            continue;
        }
        if (act->open_inputs)
            continue; /* a request parameter of the API call */
        const char *guess = did_you_mean(k->str, names, n);
        buf known;
        buf_init(&known);
        for (size_t j = 0; j < n; j++)
            buf_printf(&known, "%s%s", j ? ", " : "", names[j]);
        if (guess)
            ssmc_diag_add(v->diags, unknown_rule, v->file, k->span,
                          "unknown input '%s' of %s; did you mean '%s'?%s", k->str, act->name,
                          guess, act->strict_inputs ? " (CreateDocument: Unknown input names provided)" : "");
        else
            ssmc_diag_add(v->diags, unknown_rule, v->file, k->span,
                          "unknown input '%s' of %s; it has %s%s", k->str, act->name,
                          n ? known.data : "no inputs",
                          act->strict_inputs ? " (CreateDocument: Unknown input names provided)" : "");
        buf_free(&known);
    }
    ssmc_loc at = s->inputs->span;
    const ssmc_pair *ip = ssmc_map_get_pair(s->node, "inputs");
    if (ip)
        at = ip->key->span;
    for (size_t i = 0; i < act->input_count; i++)
        if (act->inputs[i].required && !ssmc_map_get(inputs, act->inputs[i].name))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8022, v->file, at,
                          "%s needs input %s%s%s", act->name, act->inputs[i].name,
                          act->inputs[i].doc ? ": " : "",
                          act->inputs[i].doc ? act->inputs[i].doc : "");
    for (size_t g = 0; g < act->group_count; g++) {
        const grammar_input_group *grp = &act->groups[g];
        unsigned present = 0;
        for (size_t i = 0; i < grp->count; i++)
            if (ssmc_map_get(inputs, grp->inputs[i]))
                present++;
        if (present >= grp->min && present <= grp->max)
            continue; /* the list below is for a finding only */
        buf list;
        buf_init(&list);
        for (size_t i = 0; i < grp->count; i++)
            buf_printf(&list, "%s%s", i ? (i + 1 == grp->count ? " or " : ", ") : "",
                       grp->inputs[i]);
        if (present < grp->min)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8025, v->file, at,
                          "%s needs %s%s", act->name, grp->max == 1 ? "exactly one of " : "",
                          list.data);
        else if (present > grp->max)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8025, v->file, at,
                          "%s takes only one of %s, not both", act->name, list.data);
        buf_free(&list);
    }
}

/* --- declared outputs ---------------------------------------------------- */

static const char *const output_types[] = {"String", "StringList", "Integer",
                                           "Boolean", "StringMap", "MapList"};

static void check_outputs(actx *a, const astep *s)
{
    vctx *v = a->v;
    const ssmc_node *outs = ssmc_map_get(s->node, "outputs");
    if (!outs)
        return;
    if (outs->type != SSMC_NODE_SEQ) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8030, v->file, outs->span,
                      "outputs must be a list of {Name, Selector, Type}, not %s",
                      ssmc_node_type_phrase(outs->type));
        return;
    }
    for (size_t i = 0; i < outs->count; i++) {
        const ssmc_node *o = outs->items[i];
        if (o->type != SSMC_NODE_MAP) {
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8030, v->file, o->span,
                          "an output must be a mapping {Name, Selector, Type}, not %s",
                          ssmc_node_type_phrase(o->type));
            continue;
        }
        const ssmc_node *name = ssmc_map_get(o, "Name"), *sel = ssmc_map_get(o, "Selector"),
                        *type = ssmc_map_get(o, "Type");
        if (!name || name->type != SSMC_NODE_STRING || !sel || sel->type != SSMC_NODE_STRING) {
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8030, v->file, o->span,
                          "an output needs Name and Selector (strings) and Type");
            continue;
        }
        if (!type)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8031, v->file, name->span,
                          "output '%s' has no Type; it is read as String (add Type: String, "
                          "StringList, Integer, Boolean, StringMap or MapList)",
                          name->str);
        else {
            bool ok = false;
            for (size_t t = 0; t < 6 && type->type == SSMC_NODE_STRING; t++)
                ok = ok || strcmp(type->str, output_types[t]) == 0;
            if (!ok) {
                const char *g = type->type == SSMC_NODE_STRING
                                    ? did_you_mean(type->str, output_types, 6)
                                    : NULL;
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8030, v->file, type->span,
                              "Type of output '%s' is %s%s%s; it must be String, StringList, "
                              "Integer, Boolean, StringMap or MapList%s%s%s",
                              name->str, ssmc_node_is_scalar(type) ? "'" : "",
                              ssmc_node_is_scalar(type) ? type->str : ssmc_node_type_phrase(type->type),
                              ssmc_node_is_scalar(type) ? "'" : "", g ? " (did you mean '" : "",
                              g ? g : "", g ? "'?)" : "");
            }
        }
        if (!automation_is_word(name->str, name->len))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8034, v->file, name->span,
                          "output name '%s' has characters other than letters, digits and _, so "
                          "no {{ %s.NAME }} can read it",
                          name->str, s->name ? s->name : "step");
        for (size_t j = 0; j < i; j++) {
            const ssmc_node *prev = outs->items[j]->type == SSMC_NODE_MAP
                                        ? ssmc_map_get(outs->items[j], "Name")
                                        : NULL;
            if (prev && prev->type == SSMC_NODE_STRING && strcmp(prev->str, name->str) == 0) {
                ssmc_diag *d = ssmc_diag_add(v->diags, SSMC_RULE_SSM8030, v->file, name->span,
                                             "output '%s' is declared twice in this step",
                                             name->str);
                ssmc_diag_add_related(d, v->file, prev->span, "first declared here");
                break;
            }
        }
        const grammar_action *act = s->action;
        if (act) {
            bool builtin = grammar_action_output(act, name->str) != NULL;
            bool reserved = builtin;
            for (size_t r = 0; r < act->reserved_count && !reserved; r++)
                reserved = strcmp(act->reserved[r], name->str) == 0;
            if (reserved && act->reserved_is_error) {
                buf list;
                buf_init(&list);
                for (size_t r = 0; r < act->output_count; r++)
                    buf_printf(&list, "%s%s", list.len ? ", " : "", act->outputs[r].name);
                for (size_t r = 0; r < act->reserved_count; r++)
                    buf_printf(&list, "%s%s", list.len ? ", " : "", act->reserved[r]);
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8032, v->file, name->span,
                              "In step %s, name: %s is conflicting with one of the following "
                              "reserved output names: [%s] (CreateDocument's error); rename the "
                              "output",
                              s->name ? s->name : "?", name->str, list.data);
                buf_free(&list);
            } else if (reserved) {
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8033, v->file, name->span,
                              "output '%s' has the name of a built-in output of %s; rename it",
                              name->str, act->name);
            }
        }
        char c0 = sel->len ? sel->str[0] : '$';
        if ((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') || (c0 >= '0' && c0 <= '9') ||
            c0 == '_')
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8035, v->file, sel->span,
                          "Selector '%s' does not start with $; Automation accepts it, "
                          "'$.%s' says the same",
                          sel->str, sel->str);
        automation_selector_type(a, name, sel, type);
    }
}

/* --- action-specific checks that no table expresses ---------------------- */

/* A Python function defined at the start of a line: def NAME( (line to
 * line with memchr: a test per byte was 1% of checking the corpus). */
static bool defines_function(const char *script, size_t len, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i + 4 + n < len;) {
        if (memcmp(script + i, "def", 3) == 0) {
            size_t j = i + 3;
            bool blank = j < len && (script[j] == ' ' || script[j] == '\t');
            while (j < len && (script[j] == ' ' || script[j] == '\t'))
                j++;
            if (blank && j + n <= len && memcmp(script + j, name, n) == 0) {
                size_t k = j + n;
                while (k < len && (script[k] == ' ' || script[k] == '\t'))
                    k++;
                if (k < len && script[k] == '(')
                    return true;
            }
        }
        const char *nl = memchr(script + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - script) + 1;
    }
    return false;
}

static void check_execute_script(actx *a, const astep *s)
{
    vctx *v = a->v;
    const ssmc_node *rt = ssmc_map_get(s->inputs, "Runtime");
    const ssmc_node *handler = ssmc_map_get(s->inputs, "Handler");
    const ssmc_node *script = ssmc_map_get(s->inputs, "Script");
    const ssmc_node *att = ssmc_map_get(s->inputs, "Attachment");
    bool python = true, known = false;
    if (rt && rt->type == SSMC_NODE_STRING && !has_token(rt)) {
        const grammar_script_runtime *r = grammar_script_runtime_find(rt->str);
        if (r) {
            known = true;
            python = r->python;
            if (r->status == GRAMMAR_RUNTIME_RETIRED)
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8060, v->file, rt->span,
                              "Runtime %s is retired: since 2024-12-04 runbooks using it cannot "
                              "be created or updated, and since 2025-02-18 they do not run; use "
                              "python3.11",
                              rt->str);
            else if (r->status == GRAMMAR_RUNTIME_UNCONFIRMED)
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8061, v->file, rt->span,
                              "Runtime %s is not confirmed by AWS documentation; python3.11, "
                              "PowerShell Core 6.0 and PowerShell 7.0 are",
                              rt->str);
        } else {
            python = strncmp(rt->str, "python", 6) == 0;
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8062, v->file, rt->span,
                          "Runtime '%s' is not an aws:executeScript runtime; use python3.11 or "
                          "PowerShell 7.0",
                          rt->str);
        }
    }
    if (python && !handler && (known || !rt || rt->type != SSMC_NODE_STRING || has_token(rt) ||
                               strncmp(rt->str, "python", 6) == 0))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8063, v->file,
                      rt ? rt->span : s->node->span,
                      "a Python aws:executeScript needs Handler: the function called with "
                      "(events, context)%s",
                      script && script->type == SSMC_NODE_STRING &&
                              defines_function(script->str, script->len, "handler")
                          ? " (the script defines handler: add Handler: handler)"
                          : "");
    if (known && !python && handler)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8065, v->file, handler->span,
                      "Handler is for Python scripts; a PowerShell script runs as a whole: "
                      "remove it");
    if (python && handler && handler->type == SSMC_NODE_STRING && !has_token(handler) &&
        !strchr(handler->str, '.') && script && script->type == SSMC_NODE_STRING &&
        !has_token(script) && !defines_function(script->str, script->len, handler->str))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8064, v->file, handler->span,
                      "Handler '%s' is not defined by the script (no 'def %s(' at the start of "
                      "a line); the step fails when it starts",
                      handler->str, handler->str);
    if (att && att->type == SSMC_NODE_STRING && !has_token(att) &&
        (!a->files || !ssmc_map_get(a->files, att->str)))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8006, v->file, att->span,
                      "Attachment '%s' is not a key of the runbook's files; list it there with "
                      "its sha256 checksum",
                      att->str);
}

/* ISO 8601 duration as aws:sleep takes it; seconds, or -1 when malformed. */
static long long iso_duration(const char *s)
{
    if (*s++ != 'P')
        return -1;
    long long total = 0;
    bool time = false, any = false;
    static const struct { char unit; bool time; long long secs; } units[] = {
        {'Y', false, 31536000}, {'M', false, 2592000}, {'W', false, 604800}, {'D', false, 86400},
        {'H', true, 3600},      {'M', true, 60},       {'S', true, 1}};
    size_t next = 0;
    while (*s) {
        if (*s == 'T' && !time) {
            time = true;
            s++;
            continue;
        }
        if (*s < '0' || *s > '9')
            return -1;
        long long x = 0;
        while (*s >= '0' && *s <= '9' && x < 100000000)
            x = x * 10 + (*s++ - '0');
        if (*s == '.') { /* fractional seconds */
            s++;
            while (*s >= '0' && *s <= '9')
                s++;
        }
        size_t u = next;
        while (u < 7 && !(units[u].unit == *s && units[u].time == time))
            u++;
        if (u == 7)
            return -1;
        total += x * units[u].secs;
        next = u + 1;
        any = true;
        s++;
    }
    return any ? total : -1;
}

/* aws:runCommand Parameters / aws:executeAutomation RuntimeParameters
 * against the parameters of the document they call, when that document is
 * a file of the run, in --doc-path or in stdlib-docs (as an association's). */
static void check_called_document(actx *a, const astep *s, const char *input)
{
    vctx *v = a->v;
    const ssmc_node *name = ssmc_map_get(s->inputs, "DocumentName");
    const ssmc_node *given = ssmc_map_get(s->inputs, input);
    if (!name || name->type != SSMC_NODE_STRING || has_token(name) ||
        (given && given->type != SSMC_NODE_MAP))
        return;
    /* AWS-managed names straight from the catalogue (compiler/catalogue/):
     * searching the run for each step would cost a pass over every file. */
    association_doc d;
    if (!association_load_document(v->sources, v->file, name->str, v->config, true, &d))
        return;
    const ssmc_node *params = ssmc_map_get(d.doc->root, "parameters");
    if (!params || params->type != SSMC_NODE_MAP) {
        association_doc_free(&d);
        return;
    }
    /* A catalogue entry is one version of a document AWS keeps updating. */
    ssmc_rule rule = d.cat ? SSMC_RULE_SSM8027 : SSMC_RULE_SSM8026;
    const char **names = xcalloc(params->count + 1, sizeof *names);
    buf known; /* the names joined, for a finding: most steps have none */
    buf_init(&known);
    for (size_t i = 0; i < params->count; i++)
        names[i] = params->pairs[i].key->str;
    for (size_t i = 0; given && i < given->count; i++) {
        const ssmc_node *k = given->pairs[i].key;
        if (ssmc_map_get(params, k->str))
            continue;
        if (!known.len)
            for (size_t j = 0; j < params->count; j++)
                buf_printf(&known, "%s%s", j ? ", " : "", names[j]);
        const char *g = did_you_mean(k->str, names, params->count);
        ssmc_diag_add(v->diags, rule, v->file, k->span,
                      "document %s%s has no parameter '%s'%s%s%s; it has %s (the step fails: "
                      "InvalidParameters)",
                      name->str, d.cat ? " (as the catalogue of AWS-managed documents has it)" : "",
                      k->str, g ? " (did you mean '" : "", g ? g : "", g ? "'?)" : "", known.data);
    }
    automation_called_types(a, given, params, name->str);
    for (size_t i = 0; i < params->count; i++) {
        const ssmc_node *def = params->pairs[i].value;
        if (def->type != SSMC_NODE_MAP || ssmc_map_get(def, "default") ||
            (given && ssmc_map_get(given, names[i])))
            continue;
        ssmc_diag_add(v->diags, rule, v->file, name->span,
                      "document %s%s requires parameter '%s' (it has no default); add it under %s",
                      name->str, d.cat ? " (as the catalogue of AWS-managed documents has it)" : "",
                      names[i], input);
    }
    buf_free(&known);
    free(names);
    association_doc_free(&d);
}

static void check_action_specific(actx *a, const astep *s)
{
    vctx *v = a->v;
    const char *an = s->action->name;
    if (strcmp(an, "aws:runCommand") == 0) {
        check_called_document(a, s, "Parameters");
        /* The scripts of AWS-RunShellScript / AWS-RunPowerShellScript are
         * their runCommand: an item read as a mapping fails the same way. */
        const char *doc = NULL;
        const ssmc_node *dn = ssmc_map_get(s->inputs, "DocumentName");
        if (dn && dn->type == SSMC_NODE_STRING)
            doc = dn->str;
        const ssmc_node *p = ssmc_map_get(s->inputs, "Parameters");
        const ssmc_node *cmds = p ? ssmc_map_get(p, "commands") : NULL;
        if (doc && cmds && cmds->type == SSMC_NODE_SEQ &&
            (strcmp(doc, "AWS-RunShellScript") == 0 || strcmp(doc, "AWS-RunPowerShellScript") == 0))
            validate_non_string_items(v, "commands", cmds);
    } else if (strcmp(an, "aws:executeAutomation") == 0) {
        check_called_document(a, s, "RuntimeParameters");
    } else if (strcmp(an, "aws:executeScript") == 0) {
        check_execute_script(a, s);
    } else if (strcmp(an, "aws:sleep") == 0) {
        const ssmc_node *d = ssmc_map_get(s->inputs, "Duration");
        if (d && d->type == SSMC_NODE_STRING && !has_token(d)) {
            long long secs = iso_duration(d->str);
            if (secs < 0)
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8077, v->file, d->span,
                              "Duration '%s' is not an ISO 8601 duration; write PT10M, PT30S, "
                              "P1D",
                              d->str);
            else if (secs > 604799)
                ssmc_diag_add(v->diags, SSMC_RULE_SSM8077, v->file, d->span,
                              "Duration '%s' is %lld seconds; aws:sleep waits at most 604799 "
                              "(7 days)",
                              d->str, secs);
        }
    } else if (strcmp(an, "aws:loop") == 0) {
        const ssmc_node *st = ssmc_map_get(s->inputs, "Steps");
        if (st && st->type == SSMC_NODE_SEQ && st->count == 0)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8059, v->file, st->span,
                          "the loop's Steps is empty; give it at least one step");
        if (ssmc_map_get(s->inputs, "IteratorDataType") && !ssmc_map_get(s->inputs, "Iterators"))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8059, v->file,
                          ssmc_map_get(s->inputs, "IteratorDataType")->span,
                          "IteratorDataType applies only with Iterators");
    }
    if (s->action->open_inputs)
        automation_api_inputs(a, s);
}

/* --- one step ------------------------------------------------------------ */

static bool command_plugin(const char *name)
{
    return grammar_plugin_find(name) != NULL;
}

static bool action_shaped(const char *s)
{
    if (strncmp(s, "aws:", 4) != 0 || !s[4])
        return false;
    for (s += 4; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
            return false;
    return true;
}

static void check_step(actx *a, size_t idx)
{
    vctx *v = a->v;
    const astep *s = &a->steps[idx];
    if (s->node->type != SSMC_NODE_MAP) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8010, v->file, s->node->span,
                      "a step must be a mapping {name, action, inputs}, not %s",
                      ssmc_node_type_phrase(s->node->type));
        return;
    }
    check_field_names(a, s);
    static const char *const required[] = {"name", "action", "inputs"};
    for (size_t i = 0; i < 3; i++)
        if (!ssmc_map_get(s->node, required[i]))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8010, v->file, s->node->span,
                          "step%s%s has no %s", s->name ? " " : "", s->name ? s->name : "",
                          required[i]);
    const ssmc_node *name = ssmc_map_get(s->node, "name");
    if (name && name->type != SSMC_NODE_STRING)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8012, v->file, name->span,
                      "a step name must be a string of letters, digits and _, not %s",
                      ssmc_node_type_phrase(name->type));
    else if (s->name && !automation_is_word(s->name, name->len))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8012, v->file, name->span,
                      "step name '%s' has characters other than letters, digits and _", s->name);
    if (s->name && s->duplicate) {
        int first = automation_step_find(a, s->name, strlen(s->name));
        ssmc_diag *d = ssmc_diag_add(v->diags, SSMC_RULE_SSM8013, v->file, name->span,
                                     "a step named '%s' already exists; step names are unique "
                                     "across the runbook (aws:loop steps included)",
                                     s->name);
        if (first >= 0 && a->steps[first].name_node)
            ssmc_diag_add_related(d, v->file, a->steps[first].name_node->span, "first step '%s'",
                                  s->name);
    }
    check_int_field(a, s, "maxAttempts", 1);
    check_int_field(a, s, "timeoutSeconds", 1);
    check_bool_field(a, s, "isEnd");
    check_bool_field(a, s, "isCritical");
    check_on(a, s, "onFailure", true);
    check_on(a, s, "onCancel", false);
    const ssmc_node *ns = ssmc_map_get(s->node, "nextStep");
    if (ns && ns->type != SSMC_NODE_STRING)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8014, v->file, ns->span,
                      "nextStep must be a step name, not %s", ssmc_node_type_phrase(ns->type));
    const ssmc_node *desc = ssmc_map_get(s->node, "description");
    if (desc && desc->type != SSMC_NODE_STRING)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8014, v->file, desc->span,
                      "description must be a string, not %s", ssmc_node_type_phrase(desc->type));
    const ssmc_node *in = ssmc_map_get(s->node, "inputs");
    if (in && in->type != SSMC_NODE_MAP)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8010, v->file, in->span,
                      "inputs must be a mapping ({} when the action takes none), not %s",
                      ssmc_node_type_phrase(in->type));
    const ssmc_node *act = ssmc_map_get(s->node, "action");
    if (act && act->type != SSMC_NODE_STRING) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8017, v->file, act->span,
                      "action must be a string such as aws:executeScript, not %s",
                      ssmc_node_type_phrase(act->type));
    } else if (act && !s->action) {
        if (command_plugin(act->str))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8017, v->file, act->span,
                          "%s is a Command document plugin; in a runbook use aws:runCommand "
                          "with DocumentName: %s",
                          act->str,
                          strcmp(act->str, "aws:runPowerShellScript") == 0 ? "AWS-RunPowerShellScript"
                                                                           : "AWS-RunShellScript");
        else if (!action_shaped(act->str))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8017, v->file, act->span,
                          "action '%s' is not of the form aws:Name", act->str);
        else {
            const char *g = did_you_mean(act->str, grammar_automation_actions,
                                         grammar_automation_action_count);
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8016, v->file, act->span,
                          "unknown action '%s'%s%s%s", act->str, g ? "; did you mean '" : "",
                          g ? g : "", g ? "'?" : "");
        }
    } else if (s->action && s->action->internal) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8018, v->file, act->span,
                      "%s is an undocumented AWS-internal action (%s); a customer runbook may be "
                      "refused",
                      s->action->name, s->action->summary);
    }
    if (s->action && (strcmp(s->action->name, "aws:loop") == 0 ||
                      strcmp(s->action->name, "aws:updateVariable") == 0)) {
        const ssmc_pair *oc = ssmc_map_get_pair(s->node, "onCancel");
        if (oc)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8019, v->file, oc->key->span,
                          "onCancel is not supported on %s steps%s", s->action->name,
                          strcmp(s->action->name, "aws:loop") == 0
                              ? "; put it on the loop's inner steps"
                              : "");
    }
    if (s->action && s->inputs) {
        check_inputs(a, s);
        check_action_specific(a, s);
    }
    check_outputs(a, s);
}

/* --- document outputs ------------------------------------------------------ */

static bool step_has_output(const actx *a, const astep *s, const char *name)
{
    (void)a;
    if (s->action && grammar_action_output(s->action, name))
        return true;
    for (size_t i = 0; s->outputs && i < s->outputs->count; i++) {
        const ssmc_node *n = s->outputs->items[i]->type == SSMC_NODE_MAP
                                 ? ssmc_map_get(s->outputs->items[i], "Name")
                                 : NULL;
        if (n && n->type == SSMC_NODE_STRING && strcmp(n->str, name) == 0)
            return true;
    }
    return false;
}

static void check_document_outputs(actx *a)
{
    vctx *v = a->v;
    const ssmc_node *outs = ssmc_map_get(v->root, "outputs");
    if (!outs || outs->type != SSMC_NODE_SEQ)
        return;
    for (size_t i = 0; i < outs->count; i++) {
        const ssmc_node *o = outs->items[i];
        const char *dot = o->type == SSMC_NODE_STRING ? memchr(o->str, '.', o->len) : NULL;
        if (!dot || !automation_is_word(o->str, (size_t)(dot - o->str)) ||
            !automation_is_word(dot + 1, o->len - (size_t)(dot - o->str) - 1)) {
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8003, v->file, o->span,
                          "a document output must be \"StepName.OutputName\" (no braces), not "
                          "%s%s%s",
                          ssmc_node_is_scalar(o) ? "'" : "",
                          ssmc_node_is_scalar(o) ? o->str : ssmc_node_type_phrase(o->type),
                          ssmc_node_is_scalar(o) ? "'" : "");
            continue;
        }
        size_t slen = (size_t)(dot - o->str);
        int st = automation_step_find(a, o->str, slen);
        if (st < 0) {
            char *step = xstrndup(o->str, slen);
            const char *g = automation_step_guess(a, step);
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8003, v->file, o->span,
                          "document output '%s' names no step '%s'%s%s%s", o->str, step,
                          g ? "; did you mean '" : "", g ? g : "", g ? "'?" : "");
            free(step);
            continue;
        }
        if (!step_has_output(a, &a->steps[st], dot + 1))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8004, v->file, o->span,
                          "step '%s' neither declares nor has a built-in output '%s'",
                          a->steps[st].name, dot + 1);
    }
}

bool automation_step_output(const actx *a, const astep *s, const char *name)
{
    return step_has_output(a, s, name);
}

void automation_validate(vctx *v)
{
    check_top_keys(v);
    check_sections(v);
    check_assume_role(v);
    validate_parameters(v);
    actx a;
    automation_collect(v, &a);
    check_variables(&a);
    check_files(&a);
    for (size_t i = 0; i < a.count; i++)
        check_step(&a, i);
    check_document_outputs(&a);
    automation_flow(&a);
    automation_refs(&a);
    automation_steps_free(&a);
}
