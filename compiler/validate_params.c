/* validate_params.c — (placeholder until this part of validation lands). */
#include "validate.h"

void validate_parameters(vctx *v)
{
    (void)v;
}

void validate_references(vctx *v)
{
    (void)v;
}
