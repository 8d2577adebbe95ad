/* render_sarif.c — `--format sarif`: SARIF 2.1.0 (OASIS), one run, every
 * rule of the registry in tool.driver.rules so a result's ruleIndex is its
 * ssmc_rule number. Columns are code points, which the run declares with
 * columnKind (SARIF's default would be UTF-16 code units). */
#include "cli_common.h"
#include "internal.h"

#include <jansson.h>
#include <string.h>

/* A relative URI reference for a path: unreserved characters and '/' stay,
 * everything else is percent-encoded (RFC 3986); absolute paths become
 * file:// URIs. */
static json_t *uri_of(const char *path)
{
    buf b;
    buf_init(&b);
    if (path[0] == '/')
        buf_adds(&b, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
            buf_addc(&b, (char)c);
        else
            buf_printf(&b, "%%%02X", c);
    }
    json_t *j = json_stringn(b.data, b.len);
    buf_free(&b);
    return j;
}

/* Messages are UTF-8 by construction, but a file name need not be. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("(not UTF-8)");
}

static json_t *message(const char *s)
{
    json_t *m = json_object();
    json_object_set_new(m, "text", text(s));
    return m;
}

static const char *level_of(ssmc_severity sev)
{
    switch (sev) {
    case SSMC_SEV_ERROR: return "error";
    case SSMC_SEV_WARNING: return "warning";
    case SSMC_SEV_INFO: return "note";
    default: return "none";
    }
}

static json_t *physical_location(const cli_run *run, uint32_t file, ssmc_span span)
{
    const ssmc_source *src = ssmc_sources_get(&run->sources, file);
    json_t *loc = json_object();
    json_t *artifact = json_object();
    json_object_set_new(artifact, "uri", uri_of(src ? src->name : ""));
    json_object_set_new(loc, "artifactLocation", artifact);
    if (span.start.line) {
        json_t *region = json_object();
        json_object_set_new(region, "startLine", json_integer(span.start.line));
        json_object_set_new(region, "startColumn", json_integer(span.start.col ? span.start.col : 1));
        if (span.end.line >= span.start.line) {
            json_object_set_new(region, "endLine", json_integer(span.end.line));
            json_object_set_new(region, "endColumn", json_integer(span.end.col ? span.end.col : 1));
        }
        json_object_set_new(loc, "region", region);
    }
    return loc;
}

/* A result's fix: one artifactChange per file, its edits as replacements
 * (SARIF 2.1.0 section 3.55–3.57); an insertion is an empty deletedRegion. */
static json_t *fixes_of(const cli_run *run, const ssmc_diag *d)
{
    json_t *changes = json_array();
    for (size_t i = 0; i < d->fix_count; i++) {
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen = seen || d->fixes[k].file == d->fixes[i].file;
        if (seen)
            continue;
        const ssmc_source *src = ssmc_sources_get(&run->sources, d->fixes[i].file);
        json_t *artifact = json_object();
        json_object_set_new(artifact, "uri", uri_of(src ? src->name : ""));
        json_t *replacements = json_array();
        for (size_t k = i; k < d->fix_count; k++) {
            const ssmc_fix *f = &d->fixes[k];
            if (f->file != d->fixes[i].file)
                continue;
            json_t *region = json_object();
            json_object_set_new(region, "startLine", json_integer(f->span.start.line));
            json_object_set_new(region, "startColumn", json_integer(f->span.start.col));
            json_object_set_new(region, "endLine", json_integer(f->span.end.line));
            json_object_set_new(region, "endColumn", json_integer(f->span.end.col));
            json_t *content = json_object();
            json_object_set_new(content, "text", text(f->text));
            json_t *rep = json_object();
            json_object_set_new(rep, "deletedRegion", region);
            json_object_set_new(rep, "insertedContent", content);
            json_array_append_new(replacements, rep);
        }
        json_t *change = json_object();
        json_object_set_new(change, "artifactLocation", artifact);
        json_object_set_new(change, "replacements", replacements);
        json_array_append_new(changes, change);
    }
    json_t *fix = json_object();
    json_object_set_new(fix, "artifactChanges", changes);
    json_t *fixes = json_array();
    json_array_append_new(fixes, fix);
    return fixes;
}

static json_t *driver_rules(void)
{
    json_t *rules = json_array();
    for (size_t i = 0; i < ssmc_rule_count(); i++) {
        const ssmc_rule_info *info = ssmc_rule_get((ssmc_rule)i);
        json_t *r = json_object();
        json_object_set_new(r, "id", json_string(info->id));
        json_object_set_new(r, "name", json_string(info->name));
        json_object_set_new(r, "shortDescription", message(info->summary));
        json_object_set_new(r, "fullDescription", message(info->doc));
        json_object_set_new(r, "help", message(info->doc));
        json_t *conf = json_object();
        if (info->severity == SSMC_SEV_OFF) {
            json_object_set_new(conf, "enabled", json_false());
            json_object_set_new(conf, "level", json_string("warning"));
        } else {
            json_object_set_new(conf, "level", json_string(level_of(info->severity)));
        }
        json_object_set_new(r, "defaultConfiguration", conf);
        json_array_append_new(rules, r);
    }
    return rules;
}

void render_sarif(const cli_run *run, const ssmc_diags *diags, FILE *out)
{
    json_t *root = json_object();
    json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_set_new(root, "version", json_string("2.1.0"));

    json_t *driver = json_object();
    json_object_set_new(driver, "name", json_string("ssmc"));
    json_object_set_new(driver, "version", json_string(SSMC_VERSION));
    json_object_set_new(driver, "semanticVersion", json_string(SSMC_VERSION));
    json_object_set_new(driver, "informationUri", json_string(SSMC_INFORMATION_URI));
    json_object_set_new(driver, "rules", driver_rules());
    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver);

    json_t *results = json_array();
    for (size_t i = 0; i < diags->count; i++) {
        const ssmc_diag *d = &diags->items[i];
        json_t *r = json_object();
        json_object_set_new(r, "ruleId", text(cli_rule_id(d)));
        if (d->rule != SSMC_RULE_EXTERNAL && (size_t)d->rule < ssmc_rule_count())
            json_object_set_new(r, "ruleIndex", json_integer((json_int_t)d->rule));
        json_object_set_new(r, "level", json_string(level_of(d->severity)));
        json_object_set_new(r, "message", message(d->message));
        json_t *locs = json_array();
        json_t *loc = json_object();
        json_object_set_new(loc, "physicalLocation", physical_location(run, d->file, d->span));
        json_array_append_new(locs, loc);
        json_object_set_new(r, "locations", locs);
        if (d->related_count) {
            json_t *rel = json_array();
            for (size_t j = 0; j < d->related_count; j++) {
                const ssmc_related *x = &d->related[j];
                json_t *rl = json_object();
                json_object_set_new(rl, "id", json_integer((json_int_t)j));
                json_object_set_new(rl, "physicalLocation", physical_location(run, x->file, x->span));
                json_object_set_new(rl, "message", message(x->message));
                json_array_append_new(rel, rl);
            }
            json_object_set_new(r, "relatedLocations", rel);
        }
        if (d->fix_count)
            json_object_set_new(r, "fixes", fixes_of(run, d));
        if (d->hint) {
            json_t *props = json_object();
            json_object_set_new(props, "hint", text(d->hint));
            json_object_set_new(r, "properties", props);
        }
        json_array_append_new(results, r);
    }

    json_t *run_obj = json_object();
    json_object_set_new(run_obj, "tool", tool);
    json_object_set_new(run_obj, "columnKind", json_string("unicodeCodePoints"));
    json_object_set_new(run_obj, "results", results);
    json_t *runs = json_array();
    json_array_append_new(runs, run_obj);
    json_object_set_new(root, "runs", runs);
    json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
}
