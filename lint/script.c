/* script.c — the scripts of a document, assembled as SSM Agent assembles
 * them, with a map from every script byte back to the source.
 *
 * Agent: plugins/runscript/runscript.go joins RunCommand with "\n" and
 * writes _script.sh (run with `sh -c`) or _script.ps1 (spec section 5.3).
 * Schema 1.2 documents carry the same inputs under
 * runtimeConfig.<plugin>.properties, an object or a list of them (4.1). */
#include "lint.h"

#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scripts larger than this are not linted: far above any real document
 * (the service caps a document at 64 KB), and it bounds the regex work. */
#define SCRIPT_MAX_BYTES ((size_t)8 << 20)

const char *lint_map_str(const ssmc_node *map, const char *key)
{
    const ssmc_node *v = map && map->type == SSMC_NODE_MAP ? ssmc_map_get(map, key) : NULL;
    return v && ssmc_node_is_scalar(v) && v->str ? v->str : NULL;
}

static void map_push(script_map *map, size_t from, size_t to)
{
    size_t old_cap = map->cap;
    GROW(map->start, map->cap, map->count + 1);
    if (map->cap != old_cap || !map->end)
        map->end = xrealloc(map->end, map->cap * sizeof *map->end);
    map->start[map->count] = (uint32_t)from;
    map->end[map->count] = (uint32_t)to;
    map->count++;
}

void script_runs_add(script_runs *runs, const script_map *map)
{
    for (size_t i = 0; i < map->count; i++) {
        uint32_t s = map->start[i], e = map->end[i];
        script_run *last = runs->run_count ? &runs->runs[runs->run_count - 1] : NULL;
        if (last && last->end == SCRIPT_RUN_COPY && s == last->start + last->len && e == s + 1) {
            last->len++;
        } else if (last && last->end != SCRIPT_RUN_COPY && s == last->start && e == last->end) {
            last->len++;
        } else if (last && last->len == 1 && last->end == last->start + 1 &&
                   s == last->start + 1 && e == s + 1) {
            last->end = SCRIPT_RUN_COPY;
            last->len = 2;
        } else {
            GROW(runs->runs, runs->run_cap, runs->run_count + 1);
            runs->runs[runs->run_count++] = (script_run){(uint32_t)runs->count, 1, s, e};
        }
        runs->count++;
    }
}

void script_runs_at(const script_runs *runs, size_t i, size_t *start, size_t *end)
{
    size_t lo = 0, hi = runs->run_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (runs->runs[mid].at <= i)
            lo = mid;
        else
            hi = mid;
    }
    const script_run *r = &runs->runs[lo];
    if (r->end == SCRIPT_RUN_COPY) {
        *start = r->start + (i - r->at);
        *end = *start + 1;
    } else {
        *start = r->start;
        *end = r->end;
    }
}

/* A null item (`-` alone, `~`, `null`) reaches the agent as JSON null,
 * which Go decodes into "" for a []string element: an empty line. */
static bool empty_item(const ssmc_node *item)
{
    return !item->str || item->type == SSMC_NODE_NULL;
}

/* An item YAML read as a mapping (`- echo key: value`, validation reports
 * it) was meant as the line it is written as: when it sits on one source
 * line, its source bytes are linted as that line, so that one unquoted
 * colon does not hide the findings of the rest of the script. Any other
 * collection item is an empty line. */
static bool mapping_item_source(const lint_script *sc, const ssmc_node *item, size_t *a,
                                size_t *b)
{
    const ssmc_source *src = sc->source;
    if (item->type != SSMC_NODE_MAP || !src)
        return false;
    *a = item->span.start;
    *b = item->span.end;
    return *a < *b && *b <= src->len && !memchr(src->data + *a, '\n', *b - *a) &&
           !memchr(src->data + *a, '\r', *b - *a);
}

/* One runCommand item's text: node->str, which is what re-decoding it
 * with positions gives too (script_map_scalar). */
static void add_item(lint_script *sc, const ssmc_node *item, bool first)
{
    if (!first)
        buf_addc(&sc->text, '\n');
    size_t a, b;
    if (mapping_item_source(sc, item, &a, &b))
        buf_add(&sc->text, sc->source->data + a, b - a);
    else if (ssmc_node_is_scalar(item) && !empty_item(item))
        buf_add(&sc->text, item->str, item->len);
}

/* How many script bytes (and so map entries) one item gives. */
static size_t item_text_len(const lint_script *sc, const ssmc_node *item)
{
    size_t a, b;
    if (mapping_item_source(sc, item, &a, &b))
        return b - a;
    return ssmc_node_is_scalar(item) && !empty_item(item) ? item->len : 0;
}

/* One item's positions, appended to map: decoded again from the source,
 * or (when the scanner does not reproduce node->str) every byte mapped to
 * the whole scalar. Depends on nothing but the item. */
static void item_entries(const lint_script *sc, const ssmc_node *item, buf *scratch,
                         script_map *map)
{
    size_t a, b;
    if (mapping_item_source(sc, item, &a, &b)) {
        for (size_t i = a; i < b; i++)
            map_push(map, i, i + 1);
    } else if (ssmc_node_is_scalar(item) && !empty_item(item)) {
        scratch->len = 0;
        if (!script_map_scalar(sc->source, item, scratch, map)) {
            script_map_fallbacks++;
            for (size_t i = 0; i < item->len; i++)
                map_push(map, item->span.start, item->span.end);
        }
    }
}

static void map_item(lint_script *sc, const ssmc_node *item, bool first, script_map *map,
                     size_t *last_end, buf *scratch)
{
    map->count = 0;
    if (!first) { /* the joining newline sits just past the previous item */
        size_t at = sc->map.count ? *last_end : item->span.start;
        map_push(map, at, at);
    }
    item_entries(sc, item, scratch, map);
    if (map->count)
        *last_end = map->end[map->count - 1];
    script_runs_add(&sc->map, map);
}

void script_map_ensure(lint_script *sc)
{
    size_t n = sc->map_one ? 1 : sc->map_item_count;
    if (n == 0 || sc->map.count)
        return;
    /* Each item is mapped byte by byte, then added as runs. */
    script_map item_map = {0};
    buf scratch;
    buf_init(&scratch);
    size_t last_end = 0;
    for (size_t i = 0; i < n; i++)
        map_item(sc, sc->map_one ? sc->map_one : sc->map_items[i], i == 0, &item_map, &last_end,
                 &scratch);
    buf_free(&scratch);
    free(item_map.start);
    free(item_map.end);
    sc->map_one = NULL;
    sc->map_items = NULL;
    sc->map_item_count = 0;
    free(sc->detached);
    sc->detached = NULL;
}

const ssmc_node *script_param_def(const ssmc_node *params, const char *name, size_t len)
{
    if (!params || params->type != SSMC_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < params->count; i++) {
        const ssmc_node *k = params->pairs[i].key;
        if (k->str && k->len == len && memcmp(k->str, name, len) == 0)
            return params->pairs[i].value;
    }
    return NULL;
}

typedef struct ref_collect {
    lint_script *sc;
} ref_collect;

static bool collect_ref(const ref_token *t, const char *s, void *user)
{
    lint_script *sc = ((ref_collect *)user)->sc;
    GROW(sc->refs, sc->ref_cap, sc->ref_count + 1);
    script_ref *r = &sc->refs[sc->ref_count++];
    r->token = *t;
    r->param = t->kind == REF_PARAM ? script_param_def(sc->params, s + t->name_start, t->name_len)
                                    : NULL;
    return true;
}

/* A document decoded out of a template or a Terraform file marks the
 * values its deployment fills in (${Param} of Fn::Sub, ${var.x}): the
 * script bytes that come from one of them are a placeholder like {{ }}. */
static void add_host_placeholders(lint_script *sc)
{
    const ssmc_source *src = sc->source;
    if (!src || !src->placeholder_count)
        return;
    script_map_ensure(sc);
    if (sc->map.count != sc->text.len)
        return;
    for (size_t p = 0; p < src->placeholder_count; p++) {
        size_t pa = src->placeholders[2 * p], pb = src->placeholders[2 * p + 1];
        size_t i = 0, start, end;
        for (; i < sc->text.len; i++) {
            script_runs_at(&sc->map, i, &start, &end);
            if (start >= pa && start < pb)
                break;
        }
        if (i == sc->text.len)
            continue;
        size_t j = i + 1;
        for (; j < sc->text.len; j++) {
            script_runs_at(&sc->map, j, &start, &end);
            if (!(start >= pa && start < pb))
                break;
        }
        GROW(sc->refs, sc->ref_cap, sc->ref_count + 1);
        script_ref *r = &sc->refs[sc->ref_count++];
        memset(r, 0, sizeof *r);
        r->token.kind = REF_OTHER;
        r->token.start = i;
        r->token.end = j;
        r->token.name_start = i;
        r->token.name_len = j - i;
    }
}

/* Where finished scripts go: the callback owns each one. */
typedef struct sink {
    void (*each)(lint_script *sc, void *user);
    void *user;
} sink;

static void finish_script(lint_script *sc, const sink *out)
{
    if (sc->text.len == 0 || sc->text.len > SCRIPT_MAX_BYTES) {
        script_free(sc);
        return;
    }
    ref_collect rc = {sc};
    refs_scan(sc->text.data, sc->text.len, collect_ref, &rc);
    add_host_placeholders(sc);
    out->each(sc, out->user);
}

/* How a script runs, when not as a Run Command step. */
typedef enum script_host { HOST_STEP, HOST_SESSION, HOST_TERMINAL } script_host;

static void add_script_as(const ssmc_source *source, const ssmc_document *doc,
                          const ssmc_node *params, script_lang lang, const char *step,
                          const ssmc_node *run_command, const sink *out, script_host host)
{
    if (!run_command)
        return;
    lint_script sc;
    memset(&sc, 0, sizeof sc);
    sc.session = host != HOST_STEP;
    sc.terminal = host == HOST_TERMINAL;
    sc.lang = lang;
    sc.file = doc->file;
    sc.source = source;
    sc.root = doc->root;
    sc.params = params;
    sc.anchor = run_command;
    /* Resolved now: ShellCheck's findings come after the input is released. */
    sc.anchor_span = ssmc_loc_span(source, loc_of_node(run_command));
    sc.step = xstrdup(step ? step : "?");
    buf_init(&sc.text);
    const ssmc_node *items = run_command;
    if (run_command->type == SSMC_NODE_STRING) {
        /* runCommand: "{{ commands }}" takes the StringList's value; only
         * its default can be linted. */
        ref_token tok;
        if (refs_whole_value(run_command->str, run_command->len, &tok)) {
            const ssmc_node *def =
                script_param_def(params, run_command->str + tok.name_start, tok.name_len);
            const ssmc_node *dflt = def && def->type == SSMC_NODE_MAP ? ssmc_map_get(def, "default")
                                                                      : NULL;
            if (dflt && dflt->type == SSMC_NODE_STRING && dflt->len) {
                /* A Session document's commands: one String. */
                add_item(&sc, dflt, true);
                sc.map_one = dflt;
                finish_script(&sc, out);
                return;
            }
            if (!dflt || dflt->type != SSMC_NODE_SEQ) {
                script_free(&sc);
                return;
            }
            items = dflt;
        } else {
            /* A bare string does not decode on the agent (validation says
             * so); its text is still worth linting. */
            add_item(&sc, run_command, true);
            sc.map_one = run_command;
            finish_script(&sc, out);
            return;
        }
    }
    if (items->type != SSMC_NODE_SEQ) {
        script_free(&sc);
        return;
    }
    /* The decoded script is the items joined by newlines: size the text and
     * the position map once instead of doubling them up from nothing. */
    size_t expect = 0;
    for (size_t i = 0; i < items->count; i++)
        if (items->items[i]->str && items->items[i]->len <= SCRIPT_MAX_BYTES &&
            expect <= SCRIPT_MAX_BYTES)
            expect += items->items[i]->len + 1;
    if (expect && expect <= SCRIPT_MAX_BYTES)
        buf_reserve(&sc.text, expect);
    /* A mapping or nested list item fails on the agent (validation says
     * so, SSM4016); the other items are still linted. */
    for (size_t i = 0; i < items->count; i++)
        add_item(&sc, items->items[i], i == 0);
    sc.map_items = items->items;
    sc.map_item_count = items->count;
    finish_script(&sc, out);
}

static void add_script(const ssmc_source *source, const ssmc_document *doc,
                       const ssmc_node *params, script_lang lang, const char *step,
                       const ssmc_node *run_command, const sink *out)
{
    add_script_as(source, doc, params, lang, step, run_command, out, HOST_STEP);
}

static bool script_action(const char *action, script_lang *lang)
{
    if (!action)
        return false;
    if (strcmp(action, "aws:runShellScript") == 0) {
        *lang = SCRIPT_SHELL;
        return true;
    }
    if (strcmp(action, "aws:runPowerShellScript") == 0) {
        *lang = SCRIPT_POWERSHELL;
        return true;
    }
    return false;
}

/* Automation runbooks: aws:runCommand running AWS-RunShellScript or
 * AWS-RunPowerShellScript carries its script in Parameters.commands, which
 * those documents hand to aws:runShellScript / aws:runPowerShellScript as
 * runCommand (spec section 3.19; stdlib-docs/run-shell-script.yaml). Steps
 * nested in aws:loop are scripts too. */
#define MAX_LOOP_DEPTH 8

static void automation_scripts(const ssmc_source *source, const ssmc_document *doc,
                               const ssmc_node *params, const ssmc_node *steps, size_t depth,
                               const sink *out)
{
    if (!steps || steps->type != SSMC_NODE_SEQ || depth > MAX_LOOP_DEPTH)
        return;
    for (size_t i = 0; i < steps->count; i++) {
        const ssmc_node *step = steps->items[i];
        const char *action = lint_map_str(step, "action");
        const ssmc_node *inputs = step->type == SSMC_NODE_MAP ? ssmc_map_get(step, "inputs") : NULL;
        if (!action || !inputs || inputs->type != SSMC_NODE_MAP)
            continue;
        if (strcmp(action, "aws:loop") == 0) {
            automation_scripts(source, doc, params, ssmc_map_get(inputs, "Steps"), depth + 1, out);
            continue;
        }
        if (strcmp(action, "aws:executeScript") == 0) {
            const char *runtime = lint_map_str(inputs, "Runtime");
            const ssmc_node *script = ssmc_map_get(inputs, "Script");
            bool python = runtime && strncmp(runtime, "python", 6) == 0;
            bool powershell = runtime && strncmp(runtime, "PowerShell", 10) == 0;
            if ((python || powershell) && script && script->type == SSMC_NODE_STRING)
                add_script(source, doc, params, python ? SCRIPT_PYTHON : SCRIPT_POWERSHELL,
                           lint_map_str(step, "name"), script, out);
            continue;
        }
        if (strcmp(action, "aws:runCommand") != 0)
            continue;
        const char *document = lint_map_str(inputs, "DocumentName");
        script_lang lang;
        if (document && strcmp(document, "AWS-RunShellScript") == 0)
            lang = SCRIPT_SHELL;
        else if (document && strcmp(document, "AWS-RunPowerShellScript") == 0)
            lang = SCRIPT_POWERSHELL;
        else
            continue;
        const ssmc_node *p = ssmc_map_get(inputs, "Parameters");
        if (!p || p->type != SSMC_NODE_MAP)
            continue;
        add_script(source, doc, params, lang, lint_map_str(step, "name"),
                   ssmc_map_get(p, "commands"), out);
    }
}

static bool is_automation(const ssmc_node *root)
{
    const char *v = lint_map_str(root, "schemaVersion");
    return v && strcmp(v, "0.3") == 0;
}

/* Session documents: properties.<os>.commands of the commands sessions and
 * inputs.shellProfile.<os>, each one script (spec
 * automation-session-package.md 6.2, 6.3); windows runs PowerShell. */
static void session_scripts(const ssmc_source *source, const ssmc_document *doc,
                            const ssmc_node *params, const sink *out)
{
    const ssmc_node *root = doc->root;
    const ssmc_node *props = ssmc_map_get(root, "properties");
    const ssmc_node *inputs = ssmc_map_get(root, "inputs");
    const ssmc_node *profile = inputs && inputs->type == SSMC_NODE_MAP ? ssmc_map_get(inputs, "shellProfile")
                                                                       : NULL;
    const char *type = lint_map_str(root, "sessionType");
    script_host host = type && strcmp(type, "InteractiveCommands") == 0 ? HOST_TERMINAL : HOST_SESSION;
    static const char *const oses[] = {"linux", "macos", "windows"};
    for (size_t i = 0; i < 3; i++) {
        script_lang lang = i == 2 ? SCRIPT_POWERSHELL : SCRIPT_SHELL;
        const ssmc_node *os = props && props->type == SSMC_NODE_MAP ? ssmc_map_get(props, oses[i]) : NULL;
        const ssmc_node *cmd = os && os->type == SSMC_NODE_MAP ? ssmc_map_get(os, "commands") : NULL;
        if (cmd && cmd->type == SSMC_NODE_STRING) {
            char step[32];
            snprintf(step, sizeof step, "properties.%s", oses[i]);
            add_script_as(source, doc, params, lang, step, cmd, out, host);
        }
        const ssmc_node *sp = profile && profile->type == SSMC_NODE_MAP ? ssmc_map_get(profile, oses[i]) : NULL;
        if (sp && sp->type == SSMC_NODE_STRING && sp->len) {
            char step[32];
            snprintf(step, sizeof step, "shellProfile.%s", oses[i]);
            add_script_as(source, doc, params, lang, step, sp, out, HOST_TERMINAL);
        }
    }
}

/* An association (or any CreateAssociation-shaped mapping: Name and
 * Parameters) running an AWS-managed document of the catalogue whose
 * parameter is a whole runCommand (AWS-RunShellScript's commands): the
 * value given in Parameters is the script. A misspelt name (command for
 * commands, reported by the association stage) is linted as the script it
 * was meant to be. */
static void catalogue_scripts(const ssmc_source *source, const ssmc_document *doc, const ssmc_node *params,
                              const char *name, const ssmc_node *given, const sink *out)
{
    const catalogue_doc *cat = name ? catalogue_find(name) : NULL;
    if (!cat || !given || given->type != SSMC_NODE_MAP)
        return;
    for (size_t i = 0; i < cat->param_count; i++) {
        const catalogue_param *p = &cat->params[i];
        if (!p->script)
            continue;
        const ssmc_node *value = ssmc_map_get(given, p->name);
        char step[80];
        snprintf(step, sizeof step, "Parameters.%s", p->name);
        for (size_t j = 0; !value && j < given->count; j++) {
            const ssmc_node *k = given->pairs[j].key;
            if (k->str && !catalogue_param_find(cat, k->str) && did_you_mean(k->str, &p->name, 1))
                value = given->pairs[j].value;
        }
        if (value && value->type == SSMC_NODE_SEQ)
            add_script(source, doc, params, strcmp(p->script, "powershell") == 0 ? SCRIPT_POWERSHELL : SCRIPT_SHELL,
                       step, value, out);
    }
}

static void association_scripts(const ssmc_source *source, const ssmc_document *doc, const sink *out)
{
    catalogue_scripts(source, doc, NULL, lint_map_str(doc->root, "Name"), ssmc_map_get(doc->root, "Parameters"),
                      out);
}

void script_collect_each(const ssmc_sources *sources, const ssmc_document *doc,
                         void (*each)(lint_script *sc, void *user), void *user)
{
    const sink sk = {each, user}, *out = &sk;
    const ssmc_node *root = doc->root;
    if (!root || root->type != SSMC_NODE_MAP)
        return;
    const ssmc_source *source = ssmc_sources_get(sources, doc->file);
    if (!source)
        return;
    const ssmc_node *params = ssmc_map_get(root, "parameters");
    if (!ssmc_map_get(root, "schemaVersion") && ssmc_map_get(root, "Name")) {
        association_scripts(source, doc, out);
        return;
    }
    const ssmc_node *session_type = ssmc_map_get(root, "sessionType");
    if (session_type && session_type->type == SSMC_NODE_STRING) {
        session_scripts(source, doc, params, out);
        return;
    }
    script_lang lang;
    const ssmc_node *steps = ssmc_map_get(root, "mainSteps");
    if (is_automation(root)) {
        automation_scripts(source, doc, params, steps, 0, out);
        return;
    }
    if (steps && steps->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < steps->count; i++) {
            const ssmc_node *step = steps->items[i];
            const char *action = lint_map_str(step, "action");
            const ssmc_node *inputs = step->type == SSMC_NODE_MAP ? ssmc_map_get(step, "inputs") : NULL;
            /* aws:runDocument running AWS-RunShellScript and the like: the
             * script is in documentParameters (a mapping; a JSON string has
             * no position map). */
            const char *child = action && strcmp(action, "aws:runDocument") == 0
                                    ? lint_map_str(inputs, "documentPath")
                                    : NULL;
            if (child &&
                strcmp(lint_map_str(inputs, "documentType") ? lint_map_str(inputs, "documentType") : "",
                       "SSMDocument") == 0)
                /* The parent's parameters are left out: quoting through
                 * documentParameters is run-document-parameter-injection's
                 * (SSM5152) business, not the child script's. */
                catalogue_scripts(source, doc, NULL, child, ssmc_map_get(inputs, "documentParameters"), out);
            if (step->type != SSMC_NODE_MAP || !script_action(action, &lang))
                continue;
            if (!inputs || inputs->type != SSMC_NODE_MAP)
                continue;
            add_script(source, doc, params, lang, lint_map_str(step, "name"),
                       ssmc_map_get(inputs, "runCommand"), out);
        }
    }
    const ssmc_node *runtime = ssmc_map_get(root, "runtimeConfig");
    if (runtime && runtime->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < runtime->count; i++) {
            const ssmc_pair *p = &runtime->pairs[i];
            if (!script_action(p->key->str, &lang) || p->value->type != SSMC_NODE_MAP)
                continue;
            const ssmc_node *props = ssmc_map_get(p->value, "properties");
            if (!props)
                continue;
            size_t n = props->type == SSMC_NODE_SEQ ? props->count : 1;
            for (size_t j = 0; j < n; j++) {
                const ssmc_node *prop = props->type == SSMC_NODE_SEQ ? props->items[j] : props;
                if (prop->type != SSMC_NODE_MAP)
                    continue;
                const char *id = lint_map_str(prop, "id");
                add_script(source, doc, params, lang, id ? id : p->key->str,
                           ssmc_map_get(prop, "runCommand"), out);
            }
        }
    }
}

typedef struct script_list {
    lint_script **out;
    size_t *count, *cap;
    bool detach;
} script_list;

static void append_script(lint_script *sc, void *user)
{
    script_list *l = user;
    if (l->detach)
        script_detach_items(sc);
    else
        script_map_ensure(sc);
    GROW(*l->out, *l->cap, *l->count + 1);
    (*l->out)[(*l->count)++] = *sc;
}

void script_collect(const ssmc_sources *sources, const ssmc_document *doc, lint_script **out,
                    size_t *count, size_t *cap)
{
    script_list l = {out, count, cap, false};
    script_collect_each(sources, doc, append_script, &l);
}

void script_collect_detached(const ssmc_sources *sources, const ssmc_document *doc,
                             lint_script **out, size_t *count, size_t *cap)
{
    script_list l = {out, count, cap, true};
    script_collect_each(sources, doc, append_script, &l);
}

void script_detach_items(lint_script *sc)
{
    size_t n = sc->map_one ? 1 : sc->map_item_count;
    if (n == 0 || sc->map.count || sc->detached)
        return;
    const ssmc_node *const *items =
        sc->map_one ? &sc->map_one : (const ssmc_node *const *)sc->map_items;
    /* One block: the copies, then the pointers map_items wants. */
    ssmc_node *copies = xmalloc(n * (sizeof *copies + sizeof(ssmc_node *)));
    ssmc_node **ptrs = (ssmc_node **)(copies + n);
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        const ssmc_node *it = items[i];
        if (i > 0)
            off++; /* the joining newline */
        size_t len = item_text_len(sc, it);
        ssmc_node *c = &copies[i];
        *c = *it;
        c->tag = NULL;
        if (!ssmc_node_is_scalar(it)) {
            /* Only a one-line mapping's span is read (mapping_item_source). */
            c->str = "";
            c->len = 0;
            c->count = 0;
            c->items = NULL;
        } else if (it->str) {
            /* add_item copied exactly these bytes into the text. */
            c->str = len ? sc->text.data + off : "";
        }
        off += len;
        ptrs[i] = c;
    }
    sc->detached = copies;
    sc->map_one = NULL;
    sc->map_items = ptrs;
    sc->map_item_count = n;
}

void script_free(lint_script *script)
{
    free(script->detached);
    buf_free(&script->text);
    free(script->map.runs);
    free(script->refs);
    free(script->step);
    for (size_t i = 0; i < script->agent_var_count; i++)
        free(script->agent_vars[i]);
    free(script->agent_vars);
    memset(script, 0, sizeof *script);
}

size_t script_offset(const lint_script *sc, long line, long col, bool chars)
{
    const char *s = sc->text.data;
    size_t len = sc->text.len, i = 0;
    for (long l = 1; l < line && i < len; l++) {
        const char *nl = memchr(s + i, '\n', len - i);
        if (!nl)
            return len;
        i = (size_t)(nl - s) + 1;
    }
    for (long c = 1; c < col && i < len && s[i] != '\n'; c++) {
        i++;
        while (chars && i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* Where map entry x of a script whose map is not built comes from: the
 * item holding it, or (a joining newline) the last non-empty item before
 * it, whose last entry's end is the newline's position; with none, each
 * newline repeats the first one's, item 1's start (as map_item does).
 * False when x is past the script. */
typedef struct unbuilt_at {
    const ssmc_node *item;  /* the item to decode, or NULL: at is the position */
    size_t index;           /* the entry of item; SIZE_MAX: its last */
    uint32_t at;
} unbuilt_at;

static bool unbuilt_locate(const lint_script *sc, size_t x, unbuilt_at *u)
{
    size_t n = sc->map_one ? 1 : sc->map_item_count;
    const ssmc_node *const *items =
        sc->map_one ? &sc->map_one : (const ssmc_node *const *)sc->map_items;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && x == off++) {
            size_t j = i;
            while (j > 0 && item_text_len(sc, items[j - 1]) == 0)
                j--;
            *u = (unbuilt_at){j ? items[j - 1] : NULL, SIZE_MAX,
                              (uint32_t)items[1]->span.start};
            return true;
        }
        size_t len = item_text_len(sc, items[i]);
        if (x < off + len) {
            *u = (unbuilt_at){items[i], x - off, 0};
            return true;
        }
        off += len;
    }
    return false;
}

/* Map entries a (its start) and b (its end) of a script whose map is not
 * built, as the built map would hold them: only the items they need are
 * decoded, each once. */
static bool unbuilt_span(const lint_script *sc, size_t a, size_t b, uint32_t *start,
                         uint32_t *end)
{
    unbuilt_at ua, ub;
    if (!unbuilt_locate(sc, a, &ua) || !unbuilt_locate(sc, b, &ub))
        return false;
    buf scratch;
    buf_init(&scratch);
    script_map tmp = {0};
    const ssmc_node *decoded = NULL;
    unbuilt_at *want[2] = {&ua, &ub};
    uint32_t got[2][2];
    for (size_t w = 0; w < 2; w++) {
        unbuilt_at *u = want[w];
        if (!u->item) {
            got[w][0] = got[w][1] = u->at;
            continue;
        }
        if (u->item != decoded) {
            tmp.count = 0;
            item_entries(sc, u->item, &scratch, &tmp);
            decoded = u->item;
        }
        size_t i = u->index == SIZE_MAX ? tmp.count - 1 : u->index;
        if (u->index == SIZE_MAX)
            got[w][0] = got[w][1] = tmp.end[i];
        else {
            got[w][0] = tmp.start[i];
            got[w][1] = tmp.end[i];
        }
    }
    buf_free(&scratch);
    free(tmp.start);
    free(tmp.end);
    *start = got[0][0];
    *end = got[1][1];
    return true;
}

/* Clamps [a, b) to a non-empty range of count entries; false when count
 * is 0. */
static bool clamp_range(size_t count, size_t *a, size_t *b)
{
    if (count == 0)
        return false;
    if (*a >= count)
        *a = count - 1;
    if (*b <= *a)
        *b = *a + 1;
    if (*b > count)
        *b = count;
    return true;
}

ssmc_span script_span(const lint_script *script, size_t a, size_t b)
{
    /* The map is a cache of what the items give. A finding needs two of
     * its entries: until something needs the whole map (a fix, or more
     * than SCRIPT_UNBUILT_SPANS findings), only the items holding those
     * two are decoded (the text has one byte per entry). */
    lint_script *sc = (lint_script *)script;
    uint32_t s, e;
    /* A script of one item decodes all of it for any finding: the map
     * costs no more and serves the later findings too. */
    if (sc->map_item_count > 1 && sc->unbuilt_spans < SCRIPT_UNBUILT_SPANS &&
        clamp_range(sc->text.len, &a, &b) && unbuilt_span(sc, a, b - 1, &s, &e)) {
        sc->unbuilt_spans++;
    } else {
        script_map_ensure(sc);
        const script_runs *m = &sc->map;
        if (!clamp_range(m->count, &a, &b))
            return sc->anchor_span;
        size_t ms, me, unused_end;
        script_runs_at(m, a, &ms, &unused_end);
        script_runs_at(m, b - 1, &unused_end, &me);
        s = (uint32_t)ms;
        e = (uint32_t)me;
    }
    if (e < s)
        e = s;
    return span_from_offsets(sc->source, s, e);
}

/* script_source_range for bytes [a, last) of one item of a script whose
 * map is not built: that item is decoded, not the whole script. False
 * (*done false) when the bytes are not of one item. */
static bool unbuilt_source_range(lint_script *sc, size_t a, size_t last, bool *done,
                                 size_t *base)
{
    unbuilt_at ua, ub;
    *done = false;
    if (!unbuilt_locate(sc, a, &ua) || !unbuilt_locate(sc, last - 1, &ub) || !ua.item ||
        ua.item != ub.item || ua.index == SIZE_MAX || ub.index == SIZE_MAX ||
        ub.index - ua.index != last - 1 - a)
        return false;
    *done = true;
    sc->unbuilt_spans++;
    buf scratch;
    buf_init(&scratch);
    script_map tmp = {0};
    item_entries(sc, ua.item, &scratch, &tmp);
    const ssmc_source *src = sc->source;
    bool verbatim = ub.index < tmp.count;
    *base = verbatim ? tmp.start[ua.index] : 0;
    for (size_t i = a; verbatim && i < last; i++) {
        size_t k = ua.index + (i - a), start = tmp.start[k];
        verbatim = start == *base + (i - a) && tmp.end[k] == start + 1 && start < src->len &&
                   src->data[start] == sc->text.data[i];
    }
    buf_free(&scratch);
    free(tmp.start);
    free(tmp.end);
    return verbatim;
}

bool script_source_range(const lint_script *script, size_t a, size_t b, size_t *sa, size_t *sb)
{
    lint_script *sc = (lint_script *)script;
    const ssmc_source *src = script->source;
    /* An insertion at a: the byte at a must be a verbatim copy to insert
     * before; an insertion at the very end is not supported. */
    size_t last = b > a ? b : a + 1;
    /* While a script has few findings, one item is decoded for a fix as
     * for a span (script_span): a fix on a line of a long runCommand list
     * built the whole map. */
    if (src && !sc->map.count && sc->map_item_count > 1 &&
        sc->unbuilt_spans < SCRIPT_UNBUILT_SPANS && last <= sc->text.len) {
        bool done;
        size_t base;
        bool ok = unbuilt_source_range(sc, a, last, &done, &base);
        if (done) {
            if (ok) {
                *sa = base;
                *sb = b > a ? base + (b - a) : base;
            }
            return ok;
        }
    }
    script_map_ensure(sc);
    const script_runs *m = &script->map;
    if (!src || last > m->count || last > script->text.len)
        return false;
    size_t base, end;
    script_runs_at(m, a, &base, &end);
    for (size_t i = a; i < last; i++) {
        size_t start;
        script_runs_at(m, i, &start, &end);
        if (start != base + (i - a) || end != start + 1 || start >= src->len ||
            src->data[start] != script->text.data[i])
            return false;
    }
    *sa = base;
    *sb = b > a ? base + (b - a) : base;
    return true;
}
