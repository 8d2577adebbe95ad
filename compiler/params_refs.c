/* params_refs.c — {{ }} references: every {{ name }} in the places the agent
 * substitutes resolves to a declared parameter; Parameter Store references
 * are in a form the agent resolves and where it resolves them; foreign
 * {{ }} forms; types under substitution; unused parameters.
 *
 * Where the agent substitutes (framework/docparser/parameters/parameters.go,
 * docparser.go): 2.x every step's inputs, settings and precondition; 1.2
 * every plugin's properties and settings. Values only, never map keys.
 * Service: 'Parameter "X" is not declared' (spec section 11.2). Parameter
 * Store: framework/parameterstore/parameterstore.go (section 3.2, 3.3). */
#include "params.h"
#include "refs.h"

#include <stdlib.h>
#include <string.h>

typedef struct decl {
    const char *name;
    const ssmc_node *key;
    const ssmc_node *value;   /* the declaration (looked up once: no map search per parameter) */
    param_type type;
    bool env_var;
    bool used;
} decl;

typedef struct rctx {
    vctx *v;
    decl *decls;
    size_t ndecls;
    const char **names;       /* for did-you-mean */
    size_t *slots;            /* hash of decls by name: index + 1, 0 empty */
    size_t slot_mask;
    bool in_source_info;      /* inside aws:downloadContent inputs.sourceInfo */
    bool in_precondition;     /* Parameter Store checks there belong to the step rules */
    bool report;              /* false under an alias: the anchor reports */
    const ssmc_node *node;    /* the string being scanned */
} rctx;

static size_t name_hash(const char *name, size_t len)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)name[i]) * 16777619u;
    return h;
}

/* Every reference looks its name up: a hash table, so a document of many
 * parameters and many references is not quadratic (issue 18). The first
 * declaration of a name wins, as the linear search it replaces did. */
static decl *find_decl(rctx *r, const char *name, size_t len)
{
    for (size_t h = name_hash(name, len) & r->slot_mask;; h = (h + 1) & r->slot_mask) {
        size_t k = r->slots[h];
        if (!k)
            return NULL;
        const decl *d = &r->decls[k - 1];
        if (strlen(d->name) == len && memcmp(d->name, name, len) == 0)
            return &r->decls[k - 1];
    }
}

static void index_decls(rctx *r)
{
    size_t cap = 8;
    while (cap < 2 * r->ndecls)
        cap *= 2;
    r->slots = xcalloc(cap, sizeof *r->slots);
    r->slot_mask = cap - 1;
    for (size_t i = 0; i < r->ndecls; i++) {
        size_t len = strlen(r->decls[i].name);
        if (find_decl(r, r->decls[i].name, len))
            continue;
        size_t h = name_hash(r->decls[i].name, len) & r->slot_mask;
        while (r->slots[h])
            h = (h + 1) & r->slot_mask;
        r->slots[h] = i + 1;
    }
}

static ssmc_loc token_span(rctx *r, const ref_token *t)
{
    return refs_locate(r->v->source, r->node, t->start, t->end);
}

/* Replaces the name inside a token when the file holds it verbatim there
 * (no escapes in between), so the edit cannot touch anything else. */
static void fix_name(rctx *r, ssmc_diag *d, const ref_token *t, const char *name, const char *to)
{
    const ssmc_source *src = r->v->source;
    ssmc_loc span = refs_locate(src, r->node, t->name_start, t->name_start + t->name_len);
    size_t n = strlen(name);
    if (span.end - span.start != n || span.end > src->len ||
        memcmp(src->data + span.start, name, n) != 0)
        return;
    ssmc_diag_add_fix(d, r->v->file, span, to);
}

static void undeclared(rctx *r, const ref_token *t, const char *name)
{
    vctx *v = r->v;
    const char *guess = did_you_mean(name, r->names, r->ndecls);
    if (guess)
        fix_name(r,
                 ssmc_diag_add(v->diags, SSMC_RULE_SSM3030, v->file, token_span(r, t),
                               "Parameter \"%s\" is not declared; did you mean '%s'? (names are "
                               "case-sensitive)",
                               name, guess),
                 t, name, guess);
    else if (r->ndecls)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3030, v->file, token_span(r, t),
                      "Parameter \"%s\" is not declared; declare it under parameters, or, if the "
                      "braces are meant literally (a template), build them at run time so that "
                      "the text does not read '{{%s}}'",
                      name, name);
    else
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3030, v->file, token_span(r, t),
                      "Parameter \"%s\" is not declared (the document has no parameters); add "
                      "parameters: {%s: {type: String}}, or build the braces at run time if they "
                      "are meant literally",
                      name, name);
}

static bool is_digits(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static void check_ssm(rctx *r, const ref_token *t, const char *s)
{
    vctx *v = r->v;
    const char *inner = s + t->name_start;
    size_t len = t->name_len;
    if (!t->agent_ssm_form) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3033, v->file, token_span(r, t),
                      "'%.*s' is not in the form the agent resolves ({{ssm:name}}: only spaces "
                      "around it, a name of letters, digits and _ . / - with an optional :version); "
                      "it would reach the instance literally",
                      (int)(t->end - t->start), s + t->start);
        return;
    }
    /* The part after "ssm:": name, or name:N. */
    const char *name = inner + 4;
    size_t nlen = len - 4;
    const char *colon = memchr(name, ':', nlen);
    if (colon) {
        size_t after = nlen - (size_t)(colon - name) - 1;
        if (!is_digits(colon + 1, after))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM3033, v->file, token_span(r, t),
                          "'%.*s' has a selector the agent cannot match ('%.*s'): it fetches the "
                          "parameter and compares only a numeric version, so a label or an ARN "
                          "fails with 'Encountered error while parsing input - internal error'; "
                          "use {{ssm:%.*s}} or {{ssm:%.*s:N}}",
                          (int)(t->end - t->start), s + t->start, (int)after, colon + 1,
                          (int)(colon - name), name, (int)(colon - name), name);
    }
}

static void check_ssm_secure(rctx *r, const ref_token *t, const char *s)
{
    vctx *v = r->v;
    /* Agent: {{\s*(ssm-secure:[\w-/]+)\s*}} */
    const char *name = s + t->name_start + 11;
    size_t nlen = t->name_len - 11;
    bool ok = nlen > 0;
    for (size_t i = 0; i < nlen; i++) {
        char c = name[i];
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '/');
    }
    if (!ok) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3033, v->file, token_span(r, t),
                      "'%.*s' is not in the form the agent resolves ({{ssm-secure:name}} with a "
                      "name of letters, digits and _ - /; no version or label)",
                      (int)(t->end - t->start), s + t->start);
        return;
    }
    if (!r->in_source_info)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3034, v->file, token_span(r, t),
                      "'%.*s' is resolved only inside aws:downloadContent sourceInfo (tokenInfo, "
                      "username, password, privateSSHKey); here it reaches the plugin literally: "
                      "read the SecureString in the script (aws ssm get-parameter "
                      "--with-decryption) instead",
                      (int)(t->end - t->start), s + t->start);
}

static bool visit_token(const ref_token *t, const char *s, void *user)
{
    rctx *r = user;
    vctx *v = r->v;
    const char *inner = s + t->name_start;
    switch (t->kind) {
    case REF_PARAM: {
        decl *d = find_decl(r, inner, t->name_len);
        if (d)
            d->used = true;
        if (!r->report)
            break;
        char *name = xstrndup(inner, t->name_len);
        if (!d) {
            undeclared(r, t, name);
        } else if (d->type != PT_STRING && d->type != PT_UNKNOWN &&
                   !(t->start == 0 && t->end == r->node->len)) {
            const char *becomes = d->type == PT_STRING_LIST ? "a JSON list such as [\"a\",\"b\"]"
                                  : d->type == PT_STRING_MAP ? "a JSON object such as {\"k\":\"v\"}"
                                  : d->type == PT_MAP_LIST   ? "a JSON list of objects"
                                  : d->type == PT_BOOLEAN    ? "the JSON text true or false"
                                                             : "its JSON number text";
            ssmc_diag_add(v->diags, SSMC_RULE_SSM3037, v->file, token_span(r, t),
                          "%s parameter '%s' is embedded in text, so the agent pastes %s here; "
                          "use it as the whole value ('{{ %s }}') to keep its type, or make it a "
                          "String",
                          params_type_name(d->type), name, becomes, name);
        }
        free(name);
        break;
    }
    case REF_SSM:
        if (r->report && !r->in_precondition)
            check_ssm(r, t, s);
        break;
    case REF_SSM_SECURE:
        if (r->report && !r->in_precondition)
            check_ssm_secure(r, t, s);
        break;
    case REF_RESOLVE:
        if (r->report)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM3035, v->file, token_span(r, t),
                          "'%.*s' is a CloudFormation dynamic reference; SSM does not resolve it, "
                          "so the instance sees it literally unless CloudFormation creates the "
                          "document: use {{ssm:name}} or a document parameter",
                          (int)(t->end - t->start), s + t->start);
        break;
    case REF_AUTOMATION:
        if (r->report)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM3036, v->file, token_span(r, t),
                          "'%.*s' is an Automation variable or step output; %s %s document leaves "
                          "it literal: pass the value as a parameter instead",
                          (int)(t->end - t->start), s + t->start, ssmc_article(doc_kind_name(v->kind)),
                          doc_kind_name(v->kind));
        break;
    case REF_OTHER:
        if (refs_looks_like_name(inner, t->name_len)) {
            decl *same = find_decl(r, inner, t->name_len);
            if (same)
                same->used = true; /* its name is reported at the declaration */
            if (!r->report)
                break;
            char *name = xstrndup(inner, t->name_len);
            const char *guess = did_you_mean(name, r->names, r->ndecls);
            char *hint = same ? xasprintf("; the parameter's name is not alphanumeric, so the "
                                          "agent cannot substitute it: rename it")
                         : guess ? xasprintf("; did you mean '{{ %s }}'?", guess)
                                 : xstrdup("; parameter names are letters and digits only");
            ssmc_diag_add(v->diags, SSMC_RULE_SSM3031, v->file, token_span(r, t),
                          "'%.*s' is not a parameter reference and stays literal on the "
                          "instance%s",
                          (int)(t->end - t->start), s + t->start, hint);
            free(hint);
            free(name);
        }
        break;
    }
    return true;
}

void params_report_brace_typo(vctx *v, const ssmc_node *scalar, const ref_typo *t,
                              const char *name)
{
    const char *s = scalar->str;
    bool no_close = t->kind == REF_TYPO_NO_CLOSE;
    const ssmc_source *src = v->source;
    ssmc_loc span = refs_locate(src, scalar, t->start, t->end);
    ssmc_diag *diag = ssmc_diag_add(v->diags, SSMC_RULE_SSM3101, v->file, span,
                                    "'%.*s' has one %s brace, so it is not a parameter reference "
                                    "and stays literal on the instance; did you mean '{{ %s }}'?",
                                    (int)(t->end - t->start), s + t->start,
                                    no_close ? "closing" : "opening", name);
    /* The missing brace is certain; the edit is made only where the file
     * spells the text verbatim (no escapes in between). */
    size_t n = t->end - t->start;
    if (src && span.end - span.start == n && span.end <= src->len &&
        memcmp(src->data + span.start, s + t->start, n) == 0) {
        char *to = xasprintf("%s%.*s%s", no_close ? "" : "{", (int)n, s + t->start,
                             no_close ? "}" : "");
        ssmc_diag_add_fix(diag, v->file, span, to);
        free(to);
    }
}

/* ENV_VAR parameters are read as $SSM_Name, not through tokens. */
static bool visit_typo(const ref_typo *t, const char *s, void *user)
{
    rctx *r = user;
    decl *d = find_decl(r, s + t->name_start, t->name_len);
    if (!d || d->env_var)
        return true;
    d->used = true; /* meant as a reference: not also "unused" */
    params_report_brace_typo(r->v, r->node, t, d->name);
    return true;
}

static void scan_string(rctx *r, const ssmc_node *n)
{
    r->node = n;
    refs_scan(n->str, n->len, visit_token, r);
    if (r->report && r->ndecls && memchr(n->str, '{', n->len))
        refs_scan_typos(n->str, n->len, visit_typo, r);
}

static bool key_ref(const ref_token *t, const char *s, void *user)
{
    (void)s;
    bool *found = user;
    if (t->kind == REF_PARAM)
        *found = true;
    return !*found;
}

/* Values are substituted, keys never. */
static void walk(rctx *r, const ssmc_node *n, size_t depth)
{
    if (!n || depth > 200)
        return;
    bool saved_report = r->report;
    if (n->flags & SSMC_NODE_ALIASED)
        r->report = false;
    if (n->type == SSMC_NODE_STRING) {
        scan_string(r, n);
    } else if (n->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < n->count; i++)
            walk(r, n->items[i], depth + 1);
    } else if (n->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < n->count; i++) {
            const ssmc_node *k = n->pairs[i].key;
            bool found = false;
            if (r->report && k->type == SSMC_NODE_STRING && !(n->pairs[i].flags & SSMC_NODE_MERGED))
                refs_scan(k->str, k->len, key_ref, &found);
            if (found)
                ssmc_diag_add(r->v->diags, SSMC_RULE_SSM3038, r->v->file, k->span,
                              "'%s' is a mapping key, and the agent substitutes values only, so "
                              "it stays literal: move the reference into a value",
                              k->str);
            walk(r, n->pairs[i].value, depth + 1);
        }
    }
    r->report = saved_report;
}

static void walk_step_part(rctx *r, const ssmc_node *step, const char *part, bool download)
{
    const ssmc_node *n = ssmc_map_get(step, part);
    if (!n)
        return;
    if (download && n->type == SSMC_NODE_MAP) {
        /* Only sourceInfo resolves {{ssm-secure:...}}. */
        for (size_t i = 0; i < n->count; i++) {
            r->in_source_info = strcmp(n->pairs[i].key->str, "sourceInfo") == 0;
            walk(r, n->pairs[i].value, 1);
        }
        r->in_source_info = false;
        return;
    }
    walk(r, n, 0);
}

/* Step names and actions are not substituted. */
static void check_literal_field(rctx *r, const ssmc_node *step, const char *field)
{
    const ssmc_node *n = ssmc_map_get(step, field);
    bool found = false;
    if (!n || n->type != SSMC_NODE_STRING || (n->flags & SSMC_NODE_ALIASED))
        return;
    refs_scan(n->str, n->len, key_ref, &found);
    if (found)
        ssmc_diag_add(r->v->diags, SSMC_RULE_SSM3038, r->v->file, n->span,
                      "the step's %s is not substituted, so '%s' stays literal: write the %s out",
                      field, n->str, field);
}

/* An ENV_VAR parameter used as $SSM_name / $env:SSM_name counts as used. */
static bool env_var_used(const ssmc_node *n, const char *var, size_t depth)
{
    if (!n || depth > 200)
        return false;
    if (n->type == SSMC_NODE_STRING)
        return strstr(n->str, var) != NULL;
    if (n->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < n->count; i++)
            if (env_var_used(n->items[i], var, depth + 1))
                return true;
    } else if (n->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < n->count; i++)
            if (env_var_used(n->pairs[i].value, var, depth + 1))
                return true;
    }
    return false;
}

static bool visit_default_token(const ref_token *t, const char *s, void *user)
{
    rctx *r = user;
    if (t->kind == REF_SSM)
        check_ssm(r, t, s);
    return true;
}

/* Parameter Store references in defaults are resolved by the agent after
 * substitution; other tokens in a default are plain text to it. */
static void check_defaults(rctx *r)
{
    for (size_t i = 0; i < r->ndecls; i++) {
        const ssmc_node *d = ssmc_map_get(r->decls[i].value, "default");
        if (!d)
            continue;
        size_t n = d->type == SSMC_NODE_SEQ ? d->count : 1;
        for (size_t j = 0; j < n; j++) {
            const ssmc_node *item = d->type == SSMC_NODE_SEQ ? d->items[j] : d;
            if (item->type != SSMC_NODE_STRING || (item->flags & SSMC_NODE_ALIASED))
                continue;
            r->node = item;
            refs_scan(item->str, item->len, visit_default_token, r);
        }
    }
}

void validate_references(vctx *v)
{
    if (!params_kind_checked(v))
        return;
    rctx r;
    memset(&r, 0, sizeof r);
    r.v = v;
    r.report = true;
    size_t np = v->parameters ? v->parameters->count : 0;
    r.decls = xcalloc(np ? np : 1, sizeof *r.decls);
    r.names = xcalloc(np ? np : 1, sizeof *r.names);
    for (size_t i = 0; i < np; i++) {
        const ssmc_pair *p = &v->parameters->pairs[i];
        if (!ssmc_node_is_scalar(p->key))
            continue;
        decl *d = &r.decls[r.ndecls];
        d->name = p->key->str;
        d->key = p->key;
        d->value = p->value;
        d->type = params_type_of(p->value);
        const ssmc_node *it = ssmc_map_get(p->value, "interpolationType");
        d->env_var = it && it->type == SSMC_NODE_STRING && strcmp(it->str, "ENV_VAR") == 0;
        r.names[r.ndecls++] = d->name;
    }
    index_decls(&r);
    check_defaults(&r);

    if (v->main_steps) {
        for (size_t i = 0; i < v->main_steps->count; i++) {
            const ssmc_node *step = v->main_steps->items[i];
            if (step->type != SSMC_NODE_MAP)
                continue;
            const ssmc_node *action = ssmc_map_get(step, "action");
            bool download = action && action->type == SSMC_NODE_STRING &&
                            strcmp(action->str, "aws:downloadContent") == 0;
            walk_step_part(&r, step, "inputs", download);
            walk_step_part(&r, step, "settings", false);
            r.in_precondition = true;
            walk_step_part(&r, step, "precondition", false);
            r.in_precondition = false;
            check_literal_field(&r, step, "name");
            check_literal_field(&r, step, "action");
        }
    }
    if (v->runtime_config) {
        for (size_t i = 0; i < v->runtime_config->count; i++) {
            const ssmc_node *plugin = v->runtime_config->pairs[i].value;
            if (plugin->type != SSMC_NODE_MAP)
                continue;
            walk_step_part(&r, plugin, "properties", false);
            walk_step_part(&r, plugin, "settings", false);
        }
    }
    /* A Session document substitutes its parameters in inputs and properties. */
    if (v->kind == KIND_SESSION) {
        walk_step_part(&r, v->root, "inputs", false);
        walk_step_part(&r, v->root, "properties", false);
    }

    for (size_t i = 0; i < r.ndecls; i++) {
        decl *d = &r.decls[i];
        if (d->used)
            continue;
        if (d->env_var) {
            char *var = xasprintf("SSM_%s", d->name);
            bool used = env_var_used(v->main_steps, var, 0) || env_var_used(v->runtime_config, var, 0);
            free(var);
            if (used)
                continue;
        }
        ssmc_diag_add(v->diags, SSMC_RULE_SSM3032, v->file, d->key->span,
                      "parameter '%s' is declared but no step refers to it%s; use it as "
                      "{{ %s }}%s%s, or remove it",
                      d->name,
                      v->main_steps || v->runtime_config || v->kind == KIND_SESSION ? "" : " (there are no steps)",
                      d->name, d->env_var ? " or $SSM_" : "", d->env_var ? d->name : "");
    }
    free(r.decls);
    free(r.names);
    free(r.slots);
}
