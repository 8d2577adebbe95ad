/* validate_steps.c — (placeholder until this part of validation lands). */
#include "validate.h"

void validate_steps(vctx *v)
{
    (void)v;
}
