/* lint.c — the lint stage: every script step of every document of the run,
 * built-in rules per script, then ShellCheck once for all of them, then the
 * inline suppressions over the run's findings.
 *
 * Memory: the built-in rules run per document (lint_document), so a caller
 * can free each tree right after it; only ShellCheck is batched over the
 * run, and it needs the scripts (text and position map), not the trees: a
 * kept script is detached from its tree (no node pointers left). With
 * ShellCheck off nothing is kept. */
#include "lint.h"

#include <stdlib.h>
#include <string.h>

struct lint_run {
    bool keep;              /* ShellCheck will run: keep the shell scripts */
    bool keep_python;       /* pyflakes will run: keep the Python scripts */
    lint_script *scripts;   /* kept for ShellCheck, detached from their trees */
    size_t count, cap;
    lint_memo *memo;        /* the rules' findings by script, for its copies */
};

lint_run *lint_begin(const ssmc_config *config)
{
    lint_run *run = xcalloc(1, sizeof *run);
    run->keep = !config || !config->shellcheck || strcmp(config->shellcheck, "off") != 0;
    run->keep_python = !config || !config->pyflakes || strcmp(config->pyflakes, "off") != 0;
    /* Off only to compare (tests/lint_memo_same.sh): the output is the
     * same either way. */
    const char *memo = getenv("SSMC_LINT_MEMO");
    if (!memo || strcmp(memo, "off") != 0)
        run->memo = lint_memo_new();
    return run;
}

size_t lint_kept(const lint_run *run)
{
    return run->count;
}

typedef struct lint_doc {
    lint_run *run;
    ssmc_diags *diags;
    bool context_known;
    int context;            /* its parameters and schema in the memo, or -1 */
    bool runbook;
} lint_doc;

/* The built-in rules, or what they found on a copy of the script earlier
 * in the run. */
static bool rules_run_memo(lint_doc *ld, lint_script *sc)
{
    lint_run *run = ld->run;
    if (!run->memo)
        return rules_run(sc, ld->diags, NULL);
    if (!ld->context_known) {
        ld->context = lint_memo_context(run->memo, sc->root, sc->params);
        const char *schema = lint_map_str(sc->root, "schemaVersion");
        ld->runbook = schema && strcmp(schema, "0.3") == 0;
        ld->context_known = true;
    }
    memo_key key;
    if (!lint_memo_key(run->memo, sc, ld->context, ld->runbook, &key))
        return rules_run(sc, ld->diags, NULL);
    bool wrong_language;
    if (!lint_memo_replay(run->memo, &key, sc, ld->diags, &wrong_language)) {
        lint_record rec = {0};
        wrong_language = rules_run(sc, ld->diags, &rec);
        lint_memo_store(run->memo, &key, &rec, wrong_language, sc, wrong_language || !run->keep);
    }
    return wrong_language;
}

/* One assembled script: the built-in rules, then either kept for
 * ShellCheck or freed at once (so that a document's scripts never all sit
 * in memory together when ShellCheck is off). */
static void lint_one(lint_script *sc, void *user)
{
    lint_doc *ld = user;
    lint_run *run = ld->run;
    bool wrong_language = sc->lang != SCRIPT_PYTHON && rules_run_memo(ld, sc);
    if (wrong_language || (sc->lang == SCRIPT_PYTHON ? !run->keep_python : !run->keep)) {
        script_free(sc);
        return;
    }
    /* ShellCheck reads text, map, refs' offsets and the anchor's span only.
     * Most kept scripts get no finding from it (or from the cache), so
     * their map is not built now: the items are detached from the tree
     * and the map is built from the source (kept with the script) on the
     * first finding; then every pointer into the tree is dropped. */
    script_detach_items(sc);
    if (sc->params && sc->params->type == SSMC_NODE_MAP)
        for (size_t i = 0; i < sc->params->count; i++) {
            const ssmc_pair *p = &sc->params->pairs[i];
            const char *it = lint_map_str(p->value, "interpolationType");
            if (!it || strcmp(it, "ENV_VAR") != 0 || !ssmc_node_is_scalar(p->key))
                continue;
            sc->agent_vars = xrealloc(sc->agent_vars,
                                      (sc->agent_var_count + 1) * sizeof *sc->agent_vars);
            sc->agent_vars[sc->agent_var_count++] =
                xasprintf("SSM_%.*s", (int)p->key->len, p->key->str);
        }
    sc->root = sc->params = sc->anchor = NULL;
    for (size_t r = 0; r < sc->ref_count; r++)
        sc->refs[r].param = NULL;
    GROW(run->scripts, run->cap, run->count + 1);
    run->scripts[run->count++] = *sc;
}

void lint_document(lint_run *run, const ssmc_sources *sources, ssmc_document *document,
                   ssmc_diags *diags)
{
    if (!document || !(document->syntax_ok || document->recovered) || !document->root)
        return;
    lint_doc ld = {run, diags, false, -1, false};
    script_collect_each(sources, document, lint_one, &ld);
}

void lint_end(lint_run *run, const ssmc_sources *sources, const ssmc_config *config,
              ssmc_diags *diags)
{
    shellcheck_run(run->scripts, run->count, config, diags);
    pyflakes_run(run->scripts, run->count, config, diags);
    for (size_t i = 0; i < run->count; i++)
        script_free(&run->scripts[i]);
    free(run->scripts);
    lint_memo_free(run->memo);
    free(run);
    suppress_apply(sources, diags);
}

void lint_documents(const ssmc_sources *sources, ssmc_document **documents, size_t count,
                    const ssmc_config *config, ssmc_diags *diags)
{
    lint_run *run = lint_begin(config);
    for (size_t i = 0; i < count; i++)
        lint_document(run, sources, documents[i], diags);
    lint_end(run, sources, config, diags);
}
