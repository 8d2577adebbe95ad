/* lint.c — shell and PowerShell lint of script steps (placeholder until the
 * lint stage lands). */
#include "internal.h"

void lint_documents(const ssmc_sources *sources, ssmc_document **documents, size_t count,
                    const ssmc_config *config, ssmc_diags *diags)
{
    (void)sources, (void)documents, (void)count, (void)config, (void)diags;
}
