/* changetemplate.c — Automation.ChangeTemplate documents: the Change Manager
 * fields. The runbook part (mainSteps, parameters) is an Automation
 * document's and is checked as far as ssmc checks Automation; the finding
 * SSM2301 says what was checked, so that a template is never passed in
 * silence.
 *
 * Sources: User Guide change-templates-custom.md and
 * change-templates-custom-editor.md; AWS-HelloWorldChangeTemplate (the one
 * AWS-managed template, spec automation-session-package.md section 1.1). */
#include "validate.h"

#include <string.h>

static void field_type(vctx *v, const char *key, ssmc_node_type want, const char *what)
{
    const ssmc_node *n = ssmc_map_get(v->root, key);
    if (n && n->type != want && n->type != SSMC_NODE_NULL)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2302, v->file, loc_of_node(n),
                      "%s must be %s, not %s", key, what, ssmc_node_type_phrase(n->type));
}

static void check_runbooks(vctx *v, const ssmc_node *list)
{
    for (size_t i = 0; i < list->count; i++) {
        const ssmc_node *rb = list->items[i];
        if (rb->type != SSMC_NODE_MAP) {
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2302, v->file, loc_of_node(rb),
                          "an executableRunBooks entry is {name: RUNBOOK, version: N}, not %s",
                          ssmc_node_type_phrase(rb->type));
            continue;
        }
        const ssmc_node *name = ssmc_map_get(rb, "name");
        if (!name || name->type != SSMC_NODE_STRING || name->len == 0)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2302, v->file, loc_of_node(name ? name : rb),
                          "an executableRunBooks entry needs name: the runbook Change Manager runs");
        for (size_t j = 0; j < rb->count; j++) {
            const ssmc_node *k = rb->pairs[j].key;
            if (k->str && strcmp(k->str, "name") != 0 && strcmp(k->str, "version") != 0)
                ssmc_diag_add(v->diags, SSMC_RULE_SSM2302, v->file, loc_of_node(k),
                              "unknown key '%s' in an executableRunBooks entry (it has name and "
                              "version)",
                              k->str);
        }
    }
}

void change_template_validate(vctx *v)
{
    field_type(v, "templateInformation", SSMC_NODE_STRING, "a string (Markdown)");
    field_type(v, "templateDescription", SSMC_NODE_STRING, "a string");
    field_type(v, "emergencyChange", SSMC_NODE_BOOL, "a boolean (true or false)");
    field_type(v, "autoApprovable", SSMC_NODE_BOOL, "a boolean (true or false)");
    field_type(v, "executableRunBooks", SSMC_NODE_SEQ, "a list of {name, version}");
    const ssmc_node *rbs = ssmc_map_get(v->root, "executableRunBooks");
    if (rbs && rbs->type == SSMC_NODE_SEQ)
        check_runbooks(v, rbs);
    ssmc_pair *sv = ssmc_map_get_pair(v->root, "schemaVersion");
    ssmc_diag_add(v->diags, SSMC_RULE_SSM2301, v->file,
                  sv ? loc_of_node(sv->key)
                     : loc_between(v->root->span.start, v->root->span.start),
                  "change template: checked schemaVersion, size, top-level keys and the Change "
                  "Manager fields (templateInformation, emergencyChange, autoApprovable, "
                  "executableRunBooks); its runbook steps are checked as an Automation "
                  "document's");
}
