/* validate_document.c — (placeholder until this part of validation lands). */
#include "validate.h"

void validate_document_top(vctx *v)
{
    (void)v;
}
