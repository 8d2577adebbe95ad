/* validate.c — the validation stage: decides the document's kind, then runs
 * the checks of validate.h in order. */
#include "validate.h"
#include "association.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
    [KIND_UNKNOWN] = "unknown",       [KIND_COMMAND] = "Command",
    [KIND_POLICY] = "Policy",         [KIND_AUTOMATION] = "Automation",
    [KIND_SESSION] = "Session",       [KIND_PACKAGE] = "Package",
    [KIND_CHANGE_TEMPLATE] = "Automation.ChangeTemplate",
    [KIND_ASSOCIATION] = "Association",
};

const char *doc_kind_name(doc_kind kind)
{
    return (size_t)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "unknown";
}

bool doc_kind_parse(const char *name, doc_kind *out)
{
    for (size_t i = 1; i < sizeof kind_names / sizeof kind_names[0]; i++) {
        if (str_eq_nocase(name, kind_names[i])) {
            *out = (doc_kind)i;
            return true;
        }
    }
    if (str_eq_nocase(name, "ChangeTemplate")) {
        *out = KIND_CHANGE_TEMPLATE;
        return true;
    }
    return false;
}

static void parse_version(vctx *v)
{
    v->version_major = v->version_minor = -1;
    v->schema_version = ssmc_map_get(v->root, "schemaVersion");
    if (!v->schema_version || !ssmc_node_is_scalar(v->schema_version))
        return;
    v->version = v->schema_version->str;
    char *end;
    long major = strtol(v->version, &end, 10);
    if (end == v->version || *end != '.')
        return;
    const char *minor_text = end + 1;
    long minor = strtol(minor_text, &end, 10);
    if (end == minor_text || major < 0 || minor < 0 || major > 9999 || minor > 9999)
        return;
    v->version_major = (int)major;
    v->version_minor = (int)minor;
}

/* The kind is not written in the document (it is CreateDocument's
 * DocumentType), so it is inferred from the keys a kind has of its own. */
static doc_kind guess_kind(const vctx *v)
{
    const ssmc_node *r = v->root;
    if (ssmc_map_get(r, "sessionType"))
        return KIND_SESSION;
    if (ssmc_map_get(r, "packages") || ssmc_map_get(r, "publisher"))
        return KIND_PACKAGE;
    if (ssmc_map_get(r, "templateBody") || ssmc_map_get(r, "executableRunBooks") ||
        ssmc_map_get(r, "emergencyChange"))
        return KIND_CHANGE_TEMPLATE;
    /* A Command schema version wins over Automation-only keys, which are
     * then reported as such (validate_document.c). */
    bool command_version = v->version && (strcmp(v->version, "1.2") == 0 ||
                                          strcmp(v->version, "2.0") == 0 ||
                                          strcmp(v->version, "2.2") == 0);
    if (!command_version && (ssmc_map_get(r, "assumeRole") || ssmc_map_get(r, "outputs") ||
                             (v->version && strcmp(v->version, "0.3") == 0)))
        return KIND_AUTOMATION;
    if (ssmc_map_get(r, "Targets") || ssmc_map_get(r, "ScheduleExpression") ||
        (ssmc_map_get(r, "Name") && !v->schema_version))
        return KIND_ASSOCIATION;
    if (v->version && strcmp(v->version, "1.0") == 0 && !ssmc_map_get(r, "runtimeConfig"))
        return KIND_SESSION;
    return KIND_COMMAND;
}

doc_kind doc_kind_guess(ssmc_node *root)
{
    if (!root || root->type != SSMC_NODE_MAP)
        return KIND_UNKNOWN;
    vctx v;
    memset(&v, 0, sizeof v);
    v.root = root;
    parse_version(&v);
    return guess_kind(&v);
}

void validate_document(const ssmc_sources *sources, ssmc_document *document,
                       const ssmc_config *config, ssmc_diags *diags)
{
    if (!document->root || document->root->type != SSMC_NODE_MAP)
        return;
    vctx v;
    memset(&v, 0, sizeof v);
    v.sources = sources;
    v.source = ssmc_sources_get(sources, document->file);
    v.doc = document;
    v.config = config;
    v.diags = diags;
    v.file = document->file;
    v.root = document->root;
    parse_version(&v);
    if (config->document_type && doc_kind_parse(config->document_type, &v.kind))
        v.kind_forced = true;
    else
        v.kind = guess_kind(&v);
    if (v.kind == KIND_ASSOCIATION) { association_validate(&v); return; }
    ssmc_node *n = ssmc_map_get(v.root, "parameters");
    v.parameters = n && n->type == SSMC_NODE_MAP ? n : NULL;
    n = ssmc_map_get(v.root, "mainSteps");
    v.main_steps = n && n->type == SSMC_NODE_SEQ ? n : NULL;
    n = ssmc_map_get(v.root, "runtimeConfig");
    v.runtime_config = n && n->type == SSMC_NODE_MAP ? n : NULL;

    validate_document_top(&v);
    if (v.stop)
        return;
    if (v.source && v.source->len > SSMC_ANALYSIS_BYTES) {
        ssmc_diag_add(diags, SSMC_RULE_SSM9170, v.file, FILE_START_SPAN,
                      "the document is %zu bytes, over the %zu bytes ssmc analyses (the service "
                      "takes 64 KB): only its syntax, schemaVersion and size were checked",
                      v.source->len, (size_t)SSMC_ANALYSIS_BYTES);
        return;
    }
    if (v.kind == KIND_AUTOMATION || v.kind == KIND_CHANGE_TEMPLATE) {
        /* A change template's runbook part is an Automation runbook. */
        automation_validate(&v);
        if (v.kind == KIND_CHANGE_TEMPLATE)
            change_template_validate(&v);
        return;
    }
    validate_parameters(&v);
    validate_references(&v);
    validate_steps(&v);
    if (v.kind == KIND_COMMAND || v.kind == KIND_POLICY)
        catalogue_check_run_documents(&v);
    if (v.kind == KIND_SESSION)
        session_validate(&v);
    else if (v.kind == KIND_PACKAGE)
        package_validate(&v);
    else if (v.kind == KIND_CHANGE_TEMPLATE)
        change_template_validate(&v);
}
