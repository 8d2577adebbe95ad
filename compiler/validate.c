/* validate.c — semantic validation of SSM documents (placeholder until the
 * validation stage lands). */
#include "internal.h"

void validate_document(const ssmc_sources *sources, ssmc_document *document,
                       const ssmc_config *config, ssmc_diags *diags)
{
    (void)sources, (void)document, (void)config, (void)diags;
}
