/* lint.c — the lint stage: every script step of every document of the run,
 * built-in rules per script, then ShellCheck once for all of them, then the
 * inline suppressions over the run's findings. */
#include "lint.h"

#include <stdlib.h>

void lint_documents(const ssmc_sources *sources, ssmc_document **documents, size_t count,
                    const ssmc_config *config, ssmc_diags *diags)
{
    lint_script *scripts = NULL;
    size_t nscripts = 0, cap = 0;
    for (size_t i = 0; i < count; i++)
        if (documents[i] && documents[i]->syntax_ok && documents[i]->root)
            script_collect(sources, documents[i], &scripts, &nscripts, &cap);
    for (size_t i = 0; i < nscripts; i++)
        rules_run(&scripts[i], diags);
    shellcheck_run(scripts, nscripts, config, diags);
    for (size_t i = 0; i < nscripts; i++)
        script_free(&scripts[i]);
    free(scripts);
    suppress_apply(sources, diags);
}
