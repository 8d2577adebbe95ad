/* check.c — the check pipeline: every stage on every document of a run. */
#include "internal.h"

void ssmc_check_documents(const ssmc_sources *sources, ssmc_document **documents,
                          size_t count, const ssmc_config *config, ssmc_diags *diags)
{
    /* Collect, count, gate: semantic stages only see trees that loaded
     * without a syntax error, so one typo does not cascade. */
    for (size_t i = 0; i < count; i++)
        if (documents[i] && documents[i]->syntax_ok)
            validate_document(sources, documents[i], config, diags);
    lint_documents(sources, documents, count, config, diags);
    ssmc_diags_apply_config(diags, config);
}
