/* cli_params.c — --param values (see cli_params.h). */
#include "cli_params.h"

#include "doc_lookup.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The values become one source, "<command line>", one NAME=VALUE per line. */
void cli_collect_params(cli_run *run, given_values *given)
{
    if (!run->opts.param_count)
        return;
    buf b;
    buf_init(&b);
    size_t *starts = xcalloc(run->opts.param_count, sizeof *starts);
    for (size_t i = 0; i < run->opts.param_count; i++) {
        starts[i] = b.len;
        /* A newline inside a value would break the one-line-per-value map. */
        buf_printf(&b, "%s=", run->opts.params[i].name);
        for (const char *c = run->opts.params[i].value; *c; c++)
            buf_addc(&b, *c == '\n' ? ' ' : *c);
        buf_addc(&b, '\n');
    }
    size_t len = b.len;
    uint32_t file = ssmc_sources_add(&run->sources, "<command line>", buf_steal(&b), len);
    for (size_t i = 0; i < run->opts.param_count; i++) {
        size_t name_len = strlen(run->opts.params[i].name);
        given_values_add_text(given, run->opts.params[i].name, run->opts.params[i].value, file,
                              loc_between(starts[i], starts[i] + name_len));
    }
    free(starts);
}

void cli_plan_inputs_read(cli_run *run, const char *ssm_params, const char *const *dirs,
                          size_t dir_count, cli_plan_inputs *in)
{
    memset(in, 0, sizeof *in);
    cli_read_inputs(run);
    if (run->input_count == 1) {
        in->doc = ssmc_load(&run->sources, run->inputs[0], NULL, &run->diags);
        ssmc_check_documents(&run->sources, &in->doc, 1, &run->config, &run->diags);
    }
    cli_collect_params(run, &in->given);
    if (run->opts.params_file) {
        in->params_doc = cli_load_data_file(run, run->opts.params_file);
        if (in->params_doc && in->params_doc->root)
            given_values_add_file(&in->given, in->params_doc->root, &run->diags);
    }
    if (ssm_params) {
        in->ssm_doc = cli_load_data_file(run, ssm_params);
        const ssmc_node *root = in->ssm_doc ? in->ssm_doc->root : NULL;
        if (root && root->type != SSMC_NODE_MAP)
            ssmc_diag_add(&run->diags, SSMC_RULE_SSM6016, in->ssm_doc->file, root->span,
                          "--ssm-params must be a mapping of Parameter Store names to "
                          "values, not %s", ssmc_node_type_phrase(root->type));
    }
    in->paths = doc_lookup_search_path(dirs, dir_count, &in->path_count);
}

json_t *cli_plan_inputs_plan(cli_run *run, cli_plan_inputs *in, unsigned platforms,
                             bool runtime_flow)
{
    if (!in->doc || !in->doc->root || run->trouble ||
        ssmc_diags_count_at_least(&run->diags, SSMC_SEV_ERROR))
        return NULL;
    plan_options o;
    memset(&o, 0, sizeof o);
    o.platforms = platforms;
    o.sources = &run->sources;
    o.given = &in->given;
    const ssmc_node *ssm_root = in->ssm_doc ? in->ssm_doc->root : NULL;
    o.ssm_values = ssm_root && ssm_root->type == SSMC_NODE_MAP ? ssm_root : NULL;
    o.doc_paths = in->paths;
    o.doc_path_count = in->path_count;
    o.config = &run->config;
    o.runtime_flow = runtime_flow;
    json_t *plan = plan_build(in->doc, &o, &run->diags);
    if (plan && ssmc_diags_count_at_least(&run->diags, SSMC_SEV_ERROR)) {
        json_decref(plan);
        plan = NULL;
    }
    return plan;
}

void cli_plan_inputs_free(cli_plan_inputs *in)
{
    given_values_free(&in->given);
    ssmc_document_free(in->doc);
    ssmc_document_free(in->params_doc);
    ssmc_document_free(in->ssm_doc);
    free(in->paths);
    memset(in, 0, sizeof *in);
}
