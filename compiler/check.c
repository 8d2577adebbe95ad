/* check.c — the check pipeline: every stage on every document of a run. */
#include "internal.h"

void check_document(const ssmc_sources *sources, ssmc_document *document,
                    const ssmc_config *config, lint_run *lint, ssmc_diags *diags)
{
    /* Semantic stages only see trees that loaded without a syntax error
     * (or one the loader repaired), so one typo does not cascade. */
    if (document && (document->syntax_ok || document->recovered))
        validate_document(sources, document, config, diags);
    const ssmc_source *src = document ? ssmc_sources_get(sources, document->file) : NULL;
    if (src && src->len > SSMC_ANALYSIS_BYTES)
        return; /* SSM9170 (validate.c) */
    lint_document(lint, sources, document, diags);
}

void check_end(const ssmc_sources *sources, const ssmc_config *config, lint_run *lint,
               ssmc_diags *diags)
{
    lint_end(lint, sources, config, diags);
    /* Findings in a document decoded out of a template belong at the
     * template's positions. */
    ssmc_diags_to_host(sources, diags);
    ssmc_diags_apply_config(diags, config);
}

void ssmc_check_documents(const ssmc_sources *sources, ssmc_document **documents,
                          size_t count, const ssmc_config *config, ssmc_diags *diags)
{
    if (!diags->sources)
        diags->sources = sources;
    lint_run *lint = lint_begin(config);
    for (size_t i = 0; i < count; i++)
        check_document(sources, documents[i], config, lint, diags);
    check_end(sources, config, lint, diags);
}
