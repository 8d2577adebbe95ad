/* load_json.c — strict RFC 8259 reader with positions (placeholder). */
#include "internal.h"

void load_json(loader *ld)
{
    ssmc_diag_add(ld->diags, SSMC_RULE_SSM1002, ld->file, span_from_offsets(ld->source, 0, 0),
                  "the JSON reader is not implemented yet");
}
