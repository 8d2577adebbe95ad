/* render_json.c — `--format json`: {"version": 1, "diagnostics": [...]},
 * keys in a fixed order, two-space indent (DESIGN.md). */
#include "cli_common.h"
#include "internal.h"

#include <jansson.h>
#include <string.h>

static const char *source_name(const cli_run *run, uint32_t file)
{
    const ssmc_source *src = ssmc_sources_get(&run->sources, file);
    return src ? src->name : "";
}

/* jansson refuses invalid UTF-8; a file name from the command line may be
 * anything, so invalid bytes become U+FFFD. */
static json_t *text(const char *s)
{
    size_t len = strlen(s);
    if (utf8_first_invalid(s, len) == len)
        return json_stringn(s, len);
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < len;) {
        size_t k = utf8_valid_len((const unsigned char *)s + i, len - i);
        if (k == 0) {
            buf_adds(&b, "\xEF\xBF\xBD");
            i++;
        } else {
            buf_add(&b, s + i, k);
            i += k;
        }
    }
    json_t *j = json_stringn(b.data, b.len);
    buf_free(&b);
    return j;
}

void render_json(const cli_run *run, const ssmc_diags *diags, FILE *out)
{
    json_t *root = json_object();
    json_object_set_new(root, "version", json_integer(1));
    json_t *list = json_array();
    for (size_t i = 0; i < diags->count; i++) {
        const ssmc_diag *d = &diags->items[i];
        json_t *o = json_object();
        json_object_set_new(o, "file", text(source_name(run, d->file)));
        json_object_set_new(o, "line", json_integer(d->span.start.line));
        json_object_set_new(o, "column", json_integer(d->span.start.col));
        json_object_set_new(o, "endLine", json_integer(d->span.end.line));
        json_object_set_new(o, "endColumn", json_integer(d->span.end.col));
        json_object_set_new(o, "severity", json_string(ssmc_severity_name(d->severity)));
        json_object_set_new(o, "rule", text(cli_rule_id(d)));
        const ssmc_rule_info *info = d->rule == SSMC_RULE_EXTERNAL ? NULL : ssmc_rule_get(d->rule);
        if (info)
            json_object_set_new(o, "name", json_string(info->name));
        json_object_set_new(o, "message", text(d->message));
        json_t *related = json_array();
        for (size_t j = 0; j < d->related_count; j++) {
            const ssmc_related *r = &d->related[j];
            json_t *ro = json_object();
            json_object_set_new(ro, "file", text(source_name(run, r->file)));
            json_object_set_new(ro, "line", json_integer(r->span.start.line));
            json_object_set_new(ro, "column", json_integer(r->span.start.col));
            json_object_set_new(ro, "message", text(r->message));
            json_array_append_new(related, ro);
        }
        json_object_set_new(o, "related", related);
        if (d->hint)
            json_object_set_new(o, "hint", text(d->hint));
        /* Only on findings that have a fix, so that the output of every
         * other finding keeps the shape it had before fixes existed. */
        if (d->fix_count) {
            json_t *fixes = json_array();
            for (size_t j = 0; j < d->fix_count; j++) {
                const ssmc_fix *f = &d->fixes[j];
                json_t *fo = json_object();
                json_object_set_new(fo, "file", text(source_name(run, f->file)));
                json_object_set_new(fo, "line", json_integer(f->span.start.line));
                json_object_set_new(fo, "column", json_integer(f->span.start.col));
                json_object_set_new(fo, "endLine", json_integer(f->span.end.line));
                json_object_set_new(fo, "endColumn", json_integer(f->span.end.col));
                json_object_set_new(fo, "text", text(f->text));
                json_array_append_new(fixes, fo);
            }
            json_object_set_new(o, "fixes", fixes);
        }
        json_array_append_new(list, o);
    }
    json_object_set_new(root, "diagnostics", list);
    json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
}
