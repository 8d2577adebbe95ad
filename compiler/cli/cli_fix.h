/* cli_fix.h — applying fixes for `ssmc check` (cli_fix.c). */
#ifndef SSMC_CLI_FIX_H
#define SSMC_CLI_FIX_H

#include "cli_common.h"
#include "internal.h"

#include <stdbool.h>
#include <stdio.h>

/* Checks one source of the run and appends its findings. */
typedef void (*cli_check_file_fn)(cli_run *run, uint32_t file, ssmc_diags *diags);

/* Applies the fixes of run->diags to every input, re-checking each fixed
 * file (up to 10 passes) and replacing its findings with the new ones.
 * Without diff_out each changed file is written atomically and a line
 * "FILE: fixed N findings (RULE, ...)" goes to stderr; with diff_out the
 * unified diff is written there instead, the files are left alone and the
 * findings stay those of the files as they are. Returns EXIT_OK, or
 * EXIT_TROUBLE when a file could not be written. */
int cli_fix(cli_run *run, cli_check_file_fn check, FILE *diff_out, bool *changed_any);

/* Appends the unified diff (3 lines of context, "--- NAME" / "+++ NAME")
 * of old to new; nothing when they are equal. */
void cli_unified_diff(buf *out, const char *name, const char *old, size_t old_len,
                      const char *new_text, size_t new_len);

#endif
