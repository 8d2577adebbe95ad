/* plan_association.c — `ssmc plan --association FILE --inventory FILE`:
 * the plan of the association's document, with the association's
 * Parameters as the values, for every instance of the inventory that the
 * association targets; each instance's platform decides the plan (steps
 * for other platforms are skipped). Issue 7 item 4.
 *
 * Output: {"association": {...}, "instances": [{"instanceId", "platform",
 * "plan"}]} (JSON, the default), or a text view with --format text. An
 * instance without a known platform (Linux, Windows, MacOS) gets "plan":
 * null and a "reason". Findings go to stderr beside a plan, to stdout
 * when there is none. */
#include "association.h"
#include "cli_association.h"

#include "catalogue/catalogue.h"
#include "doc_lookup.h"
#include "emit.h"
#include "internal.h"
#include "plan.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *opt_association, *opt_ssm_params;
static cli_assoc assoc;

static const cli_extra_option extras[] = {
    {"--association", NULL, "FILE", "the association (CreateAssociation fields, YAML or JSON)", &opt_association,
     NULL, NULL, NULL},
    {"--inventory", NULL, "FILE", "instances (JSON or YAML list): id, platform, tags, resource groups",
     &assoc.inventory_path, NULL, NULL, NULL},
    {"--doc-path", NULL, "DIR", "where the association's document is found (repeatable; stdlib-docs is always searched)",
     NULL, NULL, cli_assoc_add_doc_path, &assoc},
    {"--offline-ok", NULL, NULL, "a document neither found nor in the catalogue is an info, not a warning",
     NULL, &assoc.offline_ok, NULL, NULL},
    {"--ssm-params", NULL, "FILE", "Parameter Store stand-in: a JSON/YAML mapping name -> value for {{ssm:name}}",
     &opt_ssm_params, NULL, NULL, NULL},
    {0},
};

static const cli_command command = {
    "plan",
    "ssmc plan --association FILE --inventory FILE [--doc-path DIR]... [DOCUMENT...]\n"
    "          [--ssm-params F] [--format json|text] [-o OUT]",
    "Plan an association on every instance it targets: the document named by\n"
    "its Name (one of the DOCUMENT files, else NAME.yaml|.yml|.json in --doc-path\n"
    "or stdlib-docs) with the association's Parameters, for each targeted\n"
    "instance's platform.\n",
    extras,
    CLI_INPUTS_ANY,
};

bool plan_association_requested(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "--association") == 0 || strncmp(argv[i], "--association=", 14) == 0)
            return true;
    }
    return false;
}

static unsigned platform_bit(const char *platform)
{
    if (!platform)
        return 0;
    if (str_eq_nocase(platform, "Linux"))
        return PLAN_LINUX;
    if (str_eq_nocase(platform, "Windows"))
        return PLAN_WINDOWS;
    if (str_eq_nocase(platform, "MacOS"))
        return PLAN_MACOS;
    return 0;
}

/* --format: json (default) or text; the common option also takes sarif and
 * github, which choose how findings are shown. */
static bool text_wanted(int argc, char **argv)
{
    bool text = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        const char *v = NULL;
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            v = argv[i + 1];
        else if (strncmp(argv[i], "--format=", 9) == 0)
            v = argv[i] + 9;
        if (v)
            text = strcmp(v, "text") == 0;
    }
    return text;
}

static json_t *association_json(const ssmc_node *root, const char *file, const char *doc_file, size_t targeted,
                                size_t total)
{
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(file));
    const ssmc_node *name = ssmc_map_get(root, "Name");
    json_object_set_new(o, "name", json_string(name->str));
    const ssmc_node *an = ssmc_map_get(root, "AssociationName");
    if (an && an->type == SSMC_NODE_STRING)
        json_object_set_new(o, "associationName", json_string(an->str));
    json_object_set_new(o, "document", json_string(doc_file));
    const ssmc_node *se = ssmc_map_get(root, "ScheduleExpression");
    json_object_set_new(o, "scheduleExpression",
                        se && se->type == SSMC_NODE_STRING ? json_string(se->str) : json_null());
    json_object_set_new(o, "targeted", json_integer((json_int_t)targeted));
    json_object_set_new(o, "inventory", json_integer((json_int_t)total));
    return o;
}

static void render_association_text(const json_t *result, buf *out)
{
    const json_t *a = json_object_get(result, "association");
    const char *se = json_string_value(json_object_get(a, "scheduleExpression"));
    buf_printf(out, "association %s (%s)\n", json_string_value(json_object_get(a, "name")),
               json_string_value(json_object_get(a, "file")));
    buf_printf(out, "document:  %s\n", json_string_value(json_object_get(a, "document")));
    buf_printf(out, "schedule:  %s\n", se ? se : "(none: runs once when created and when targets change)");
    buf_printf(out, "targets:   %lld of %lld instances\n",
               (long long)json_integer_value(json_object_get(a, "targeted")),
               (long long)json_integer_value(json_object_get(a, "inventory")));
    size_t i;
    const json_t *inst;
    json_array_foreach(json_object_get(result, "instances"), i, inst) {
        const char *platform = json_string_value(json_object_get(inst, "platform"));
        buf_printf(out, "\n== %s (%s) ==\n", json_string_value(json_object_get(inst, "instanceId")),
                   platform ? platform : "platform unknown");
        const json_t *plan = json_object_get(inst, "plan");
        if (json_is_object(plan))
            plan_render_text(plan, out);
        else
            buf_printf(out, "no plan: %s\n", json_string_value(json_object_get(inst, "reason")));
    }
}

/* The plan of one platform out of plan_build's result for a mask. */
static json_t *plan_for(const json_t *built, unsigned mask, unsigned bit)
{
    if (!(mask & (mask - 1)))
        return (json_t *)built;
    size_t index = 0;
    for (unsigned b = PLAN_LINUX; b < bit; b <<= 1)
        index += (mask & b) != 0;
    return json_array_get(json_object_get(built, "plans"), index);
}

static int plan_association(cli_run *run, bool text)
{
    if (!opt_association || !assoc.inventory_path)
        return cli_usage_error(run, "--association FILE needs --inventory FILE (the instances to plan for)");
    cli_read_inputs(run);
    run->config.doc_paths = assoc.doc_paths;
    run->config.doc_path_count = assoc.doc_path_count;
    cli_assoc_apply_offline(run, &assoc);
    uint32_t afile = cli_read_file(run, opt_association);
    if (afile == UINT32_MAX)
        return cli_report(run, stdout);
    run->files_seen++;
    ssmc_document *adoc = ssmc_load(&run->sources, afile, NULL, &run->diags);
    if (adoc->syntax_ok && adoc->root)
        association_check_tree(&run->sources, adoc->root, &run->config, &run->diags, NULL);
    cli_assoc_load_inventory(run, &assoc, assoc.inventory_path);
    const ssmc_node *name = adoc->root ? ssmc_map_get(adoc->root, "Name") : NULL;
    if (cli_exit_code(run) != EXIT_OK || !name || name->type != SSMC_NODE_STRING) {
        int rc = cli_report(run, stdout);
        ssmc_document_free(adoc);
        return rc == EXIT_OK ? EXIT_FINDINGS : rc;
    }
    uint32_t dfile;
    char *dpath;
    const catalogue_doc *cat = NULL;
    if (!association_locate_document(&run->sources, afile, name->str, &run->config, &dfile, &dpath) &&
        (cat = catalogue_find(name->str)) != NULL) {
        /* An AWS-managed document: the catalogue's copy (the whole document
         * for the run-script documents, else its parameters). */
        char *content = catalogue_document_json(cat);
        char *vname = xasprintf("catalogue/%s.json", cat->name);
        dfile = ssmc_sources_add(&run->sources, vname, content, strlen(content));
        free(vname);
        if (!cat->content)
            ssmc_diag_add(&run->diags, SSMC_RULE_SSM7105, name->file, loc_of_node(name),
                          "the catalogue keeps the parameters of %s, not its steps: the plan resolves the "
                          "parameters only (give the document's file to plan its steps)", cat->name);
    } else if (dfile == UINT32_MAX && !dpath) {
        cli_report(run, stderr);
        fprintf(stderr, "ssmc plan: document '%s' of the association is not found: give its file after the "
                "options, or its directory with --doc-path DIR\n", name->str);
        ssmc_document_free(adoc);
        return EXIT_TROUBLE;
    }
    if (dpath) {
        dfile = cli_read_file(run, dpath);
        free(dpath);
        if (dfile == UINT32_MAX) {
            ssmc_document_free(adoc);
            return cli_report(run, stdout);
        }
    }
    ssmc_document *doc = ssmc_load(&run->sources, dfile, NULL, &run->diags);
    if (cat) {
        /* The AWS-managed document's own findings are not the user's to fix. */
        ssmc_diags scratch = {.sources = &run->sources};
        ssmc_check_documents(&run->sources, &doc, 1, &run->config, &scratch);
        ssmc_diags_free(&scratch);
    } else {
        ssmc_check_documents(&run->sources, &doc, 1, &run->config, &run->diags);
    }
    ssmc_document *ssm_doc = NULL;
    if (opt_ssm_params) {
        uint32_t f = cli_read_file(run, opt_ssm_params);
        if (f != UINT32_MAX)
            ssm_doc = ssmc_load(&run->sources, f, NULL, &run->diags);
    }
    /* The targeted instances, and the platforms to plan for. */
    const inventory *inv = &assoc.inventory;
    unsigned mask = 0;
    size_t targeted = 0;
    for (size_t i = 0; i < inv->count; i++)
        if (inventory_instance_matches(&inv->items[i], adoc->root)) {
            targeted++;
            mask |= platform_bit(inv->items[i].platform);
        }
    json_t *built = NULL;
    given_values given = {0};
    const ssmc_node *params = ssmc_map_get(adoc->root, "Parameters");
    if (params)
        given_values_add_file(&given, params, &run->diags);
    bool ok = doc->root && !run->trouble && ssmc_diags_count_at_least(&run->diags, SSMC_SEV_ERROR) == 0;
    if (ok && mask) {
        size_t npaths;
        const char **paths = doc_lookup_search_path(assoc.doc_paths, assoc.doc_path_count, &npaths);
        plan_options o;
        memset(&o, 0, sizeof o);
        o.platforms = mask;
        o.sources = &run->sources;
        o.given = &given;
        o.ssm_values = ssm_doc && ssm_doc->root && ssm_doc->root->type == SSMC_NODE_MAP ? ssm_doc->root : NULL;
        o.doc_paths = paths;
        o.doc_path_count = npaths;
        o.config = &run->config;
        built = plan_build(doc, &o, &run->diags);
        free(paths);
        ok = built && ssmc_diags_count_at_least(&run->diags, SSMC_SEV_ERROR) == 0;
    }
    int rc;
    if (!ok) {
        rc = cli_report(run, stdout);
        if (rc == EXIT_OK)
            rc = EXIT_FINDINGS;
    } else {
        const ssmc_source *dsrc = ssmc_sources_get(&run->sources, dfile);
        json_t *result = json_object();
        json_object_set_new(result, "association",
                            association_json(adoc->root, opt_association, dsrc->name, targeted, inv->count));
        json_t *instances = json_array();
        for (size_t i = 0; i < inv->count; i++) {
            const inventory_instance *inst = &inv->items[i];
            if (!inventory_instance_matches(inst, adoc->root))
                continue;
            json_t *o = json_object();
            json_object_set_new(o, "instanceId", json_string(inst->id));
            json_object_set_new(o, "platform", inst->platform ? json_string(inst->platform) : json_null());
            unsigned bit = platform_bit(inst->platform);
            if (bit) {
                json_object_set(o, "plan", plan_for(built, mask, bit));
            } else {
                json_object_set_new(o, "plan", json_null());
                json_object_set_new(o, "reason", json_string(inst->platform
                                                             ? "the platform is not Linux, Windows or MacOS"
                                                             : "the inventory gives no platform"));
            }
            json_array_append_new(instances, o);
        }
        json_object_set_new(result, "instances", instances);
        buf out;
        buf_init(&out);
        if (text)
            render_association_text(result, &out);
        else
            plan_render_json(result, &out);
        json_decref(result);
        rc = EXIT_OK;
        if (run->opts.output) {
            char *error = NULL;
            if (!atomic_write_file(run->opts.output, out.data, out.len, &error)) {
                fprintf(stderr, "ssmc plan: %s\n", error);
                free(error);
                rc = EXIT_TROUBLE;
            }
        } else {
            fwrite(out.data, 1, out.len, stdout);
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "ssmc plan: cannot write the output\n");
                rc = EXIT_TROUBLE;
            }
        }
        buf_free(&out);
        int frc = cli_report(run, run->opts.output ? stdout : stderr);
        if (rc == EXIT_OK)
            rc = frc;
    }
    json_decref(built);
    given_values_free(&given);
    ssmc_document_free(ssm_doc);
    ssmc_document_free(doc);
    ssmc_document_free(adoc);
    return rc;
}

int plan_association_main(int argc, char **argv)
{
    opt_association = opt_ssm_params = NULL;
    cli_assoc_release(&assoc);
    bool text = text_wanted(argc, argv);
    cli_run run;
    int rc = cli_begin(&run, &command, argc, argv);
    if (rc == CLI_CONTINUE)
        rc = plan_association(&run, text);
    else if (rc == EXIT_TROUBLE)
        cli_report(&run, stderr);
    cli_assoc_release(&assoc);
    cli_end(&run);
    return rc;
}
