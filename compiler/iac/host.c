/* host.c — host files (templates, Terraform, plans) in the check pipeline:
 * extract the documents they hold, run the ordinary stages on each with the
 * document type the host declares, and leave the findings at host
 * positions. */
#include "iac.h"

#include "association.h"

#include <stdlib.h>
#include <string.h>

ssmc_embedded *iac_add_item(ssmc_host *host, ssmc_embedded_kind kind, const char *resource,
                            ssmc_loc span)
{
    host->items = xrealloc(host->items, (host->count + 1) * sizeof *host->items);
    ssmc_embedded *e = &host->items[host->count++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->resource = xstrdup(resource ? resource : "");
    e->span = span;
    return e;
}

ssmc_document *iac_borrow(const ssmc_document *host_tree, ssmc_node *root)
{
    ssmc_document *d = xcalloc(1, sizeof *d);
    d->file = root->file;
    d->format = host_tree->format;
    d->root = root;
    d->arena = NULL;
    d->syntax_ok = host_tree->syntax_ok;
    d->recovered = host_tree->recovered;
    d->aliased = host_tree->aliased;
    return d;
}

ssmc_document *iac_load_embedded(const ssmc_sources *sources, uint32_t file, ssmc_diags *diags)
{
    const ssmc_source *src = ssmc_sources_get(sources, file);
    size_t i = 0;
    while (i < src->len && (src->data[i] == ' ' || src->data[i] == '\t' || src->data[i] == '\n' ||
                            src->data[i] == '\r'))
        i++;
    ssmc_load_options options;
    ssmc_load_options_init(&options);
    options.format = i < src->len && src->data[i] == '{' ? SSMC_FORMAT_JSON : SSMC_FORMAT_YAML;
    return ssmc_load(sources, file, &options, diags);
}

ssmc_host *ssmc_host_extract(ssmc_sources *sources, uint32_t file, ssmc_host_kind kind,
                             const ssmc_config *config, ssmc_diags *diags)
{
    if (!diags->sources)
        diags->sources = sources;
    ssmc_host *host = xcalloc(1, sizeof *host);
    host->file = file;
    host->kind = kind;
    switch (kind) {
    case SSMC_HOST_CLOUDFORMATION: cfn_extract(sources, host, config, diags); break;
    case SSMC_HOST_TERRAFORM: terraform_extract(sources, host, config, diags); break;
    case SSMC_HOST_TERRAFORM_PLAN: tfplan_extract(sources, host, config, diags); break;
    default: break;
    }
    return host;
}

void ssmc_host_free(ssmc_host *host)
{
    if (!host)
        return;
    for (size_t i = 0; i < host->count; i++) {
        ssmc_embedded *e = &host->items[i];
        free(e->resource);
        free(e->document_type);
        if (e->borrowed)
            free(e->document);
        else
            ssmc_document_free(e->document);
    }
    free(host->items);
    ssmc_document_free(host->tree);
    free(host);
}

bool iac_is_host(ssmc_host_kind kind)
{
    return kind == SSMC_HOST_CLOUDFORMATION || kind == SSMC_HOST_TERRAFORM ||
           kind == SSMC_HOST_TERRAFORM_PLAN;
}

void iac_check_host(ssmc_sources *sources, uint32_t file, ssmc_host_kind kind,
                    const ssmc_config *config, lint_run *lint, ssmc_diags *diags)
{
    ssmc_host *host = ssmc_host_extract(sources, file, kind, config, diags);
    for (size_t i = 0; i < host->count; i++) {
        ssmc_embedded *e = &host->items[i];
        if (!e->document)
            continue;
        ssmc_config cfg = *config;
        cfg.document_type = e->kind == SSMC_EMBEDDED_ASSOCIATION ? "Association" : e->document_type;
        if (e->kind == SSMC_EMBEDDED_ASSOCIATION) {
            if (e->document->syntax_ok)
                association_check_embedded(sources, e->document->root, &cfg, diags,
                                           e->names_document, e->name_is_value);
            continue;
        }
        check_document(sources, e->document, &cfg, lint, diags);
    }
    ssmc_host_free(host);
}
