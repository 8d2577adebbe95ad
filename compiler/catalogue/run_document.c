/* run_document.c — aws:runDocument steps (documentType SSMDocument) that
 * run an AWS-managed document of the catalogue: their documentParameters
 * checked against its parameters. The agent validates a child document's
 * parameters before running it (plugins/rundocument; the validators run for
 * children only, see params_values.c), so each finding here is a step that
 * certainly fails. A document found in --doc-path or stdlib-docs is the
 * user's own copy and is not second-guessed here. */
#include "catalogue.h"

#include "doc_lookup.h"
#include "params.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

static const char *str_input(const ssmc_node *inputs, const char *key)
{
    const ssmc_node *n = ssmc_map_get(inputs, key);
    return n && n->type == SSMC_NODE_STRING ? n->str : NULL;
}

static void check_value(vctx *v, const catalogue_doc *doc, const catalogue_param *p, const ssmc_node *val)
{
    if (val->type != SSMC_NODE_STRING || strstr(val->str, "{{"))
        return;    /* lists, and values substituted at run time */
    if (p->allowed) {
        const char *same_case = NULL;
        for (size_t i = 0; i < p->allowed_count; i++) {
            if (strcmp(p->allowed[i], val->str) == 0)
                return;
            if (!same_case && str_eq_nocase(p->allowed[i], val->str))
                same_case = p->allowed[i];
        }
        buf all;
        buf_init(&all);
        for (size_t i = 0; i < p->allowed_count; i++)
            buf_printf(&all, "%s%s", i ? ", " : "", p->allowed[i]);
        ssmc_diag_add(v->diags, SSMC_RULE_SSM7106, v->file, loc_of_node(val),
                      "Parameter \"%s\" has value \"%s\" not found in [%s]%s%s%s (document %s)", p->name, val->str,
                      all.data, same_case ? ": allowedValues are case-sensitive; write '" : "",
                      same_case ? same_case : "", same_case ? "'" : "", doc->name);
        buf_free(&all);
        return;
    }
    bool compiled;
    if (p->pattern && !params_pattern_matches(p->pattern, val->str, val->len, &compiled))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM7106, v->file, loc_of_node(val),
                      "'%s' does not match the allowedPattern %s of parameter '%s' of %s", val->str, p->pattern,
                      p->name, doc->name);
}

static void check_step(vctx *v, const ssmc_node *step, const ssmc_node *inputs)
{
    const char *type = str_input(inputs, "documentType");
    const ssmc_node *path = ssmc_map_get(inputs, "documentPath");
    if (!type || strcmp(type, "SSMDocument") != 0 || !path || path->type != SSMC_NODE_STRING ||
        strstr(path->str, "{{"))
        return;
    /* NAME:VERSION runs a version of NAME. */
    char name[256];
    size_t len = strcspn(path->str, strncmp(path->str, "arn:", 4) == 0 ? "" : ":");
    if (len == 0 || len >= sizeof name)
        return;
    memcpy(name, path->str, len);
    name[len] = '\0';
    const catalogue_doc *doc = catalogue_find(name);
    if (!doc)
        return;
    size_t ndirs;
    const char **dirs = doc_lookup_search_path(v->config->doc_paths, v->config->doc_path_count, &ndirs);
    char *local = doc_lookup_find(name, dirs, ndirs);
    free(dirs);
    if (local) {
        free(local);
        return;
    }
    const ssmc_node *given = ssmc_map_get(inputs, "documentParameters");
    const ssmc_node *map = given && given->type == SSMC_NODE_STRING ? validate_json_object(v, given) : given;
    if (given && (!map || map->type != SSMC_NODE_MAP))
        return;    /* the plugin's input checks report a malformed value */
    const char *names[256];
    size_t n = 0;
    for (size_t i = 0; i < doc->param_count && n < 256; i++)
        names[n++] = doc->params[i].name;
    for (size_t i = 0; map && i < map->count; i++) {
        const ssmc_node *k = map->pairs[i].key;
        if (!k->str)
            continue;
        const catalogue_param *p = catalogue_param_find(doc, k->str);
        if (p) {
            check_value(v, doc, p, map->pairs[i].value);
            continue;
        }
        const char *guess = did_you_mean(k->str, names, n);
        ssmc_diag_add(v->diags, SSMC_RULE_SSM7106, v->file, loc_of_node(k),
                      "parameter '%s' is not declared by document %s%s%s%s", k->str, doc->name,
                      guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
    }
    for (size_t i = 0; i < doc->param_count; i++) {
        const catalogue_param *p = &doc->params[i];
        if (p->required && !(map && ssmc_map_get(map, p->name))) {
            ssmc_pair *at = ssmc_map_get_pair(inputs, given ? "documentParameters" : "documentPath");
            ssmc_diag_add(v->diags, SSMC_RULE_SSM7106, v->file, loc_of_node(at ? at->key : step),
                          "document %s requires parameter '%s' (it has no default); add it to documentParameters",
                          doc->name, p->name);
        }
    }
}

void catalogue_check_run_documents(vctx *v)
{
    if (!v->main_steps)
        return;
    for (size_t i = 0; i < v->main_steps->count; i++) {
        const ssmc_node *step = v->main_steps->items[i];
        if (step->type != SSMC_NODE_MAP)
            continue;
        const char *action = str_input(step, "action");
        const ssmc_node *inputs = ssmc_map_get(step, "inputs");
        if (action && strcmp(action, "aws:runDocument") == 0 && inputs && inputs->type == SSMC_NODE_MAP)
            check_step(v, step, inputs);
    }
}
