/* render_github.c — `--format github`: GitHub Actions workflow commands,
 *   ::error file=F,line=L,col=C,endLine=..,endColumn=..,title=RULE::MESSAGE
 * (::warning and ::notice for the other severities), escaped the way the
 * Actions runner unescapes them: in property values % \r \n : , and in the
 * message % \r \n (actions/toolkit, packages/core/src/command.ts). */
#include "cli_common.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

char *render_github_escape(const char *s, bool property)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "");
    for (; *s; s++) {
        switch (*s) {
        case '%': buf_adds(&b, "%25"); break;
        case '\r': buf_adds(&b, "%0D"); break;
        case '\n': buf_adds(&b, "%0A"); break;
        case ':':
            if (property)
                buf_adds(&b, "%3A");
            else
                buf_addc(&b, ':');
            break;
        case ',':
            if (property)
                buf_adds(&b, "%2C");
            else
                buf_addc(&b, ',');
            break;
        default: buf_addc(&b, *s);
        }
    }
    return buf_steal(&b);
}

static const char *command_of(ssmc_severity sev)
{
    switch (sev) {
    case SSMC_SEV_ERROR: return "error";
    case SSMC_SEV_WARNING: return "warning";
    default: return "notice";
    }
}

static const char *source_name(const cli_run *run, uint32_t file)
{
    const ssmc_source *src = ssmc_sources_get(&run->sources, file);
    return src ? src->name : "";
}

void render_github(const cli_run *run, const ssmc_diags *diags, FILE *out)
{
    for (size_t i = 0; i < diags->count; i++) {
        const ssmc_diag *d = &diags->items[i];
        /* Related positions have no place of their own in an annotation;
         * they follow the message on lines of their own. */
        buf message;
        buf_init(&message);
        buf_adds(&message, d->message);
        for (size_t j = 0; j < d->related_count; j++) {
            const ssmc_related *r = &d->related[j];
            buf_printf(&message, "\n%s:%u:%u: note: %s", source_name(run, r->file),
                       r->span.start.line, r->span.start.col, r->message);
        }
        char *file = render_github_escape(source_name(run, d->file), true);
        char *title = render_github_escape(cli_rule_id(d), true);
        char *msg = render_github_escape(message.data, false);
        fprintf(out, "::%s file=%s", command_of(d->severity), file);
        if (d->span.start.line) {
            fprintf(out, ",line=%u,col=%u", d->span.start.line, d->span.start.col);
            if (d->span.end.line)
                fprintf(out, ",endLine=%u,endColumn=%u", d->span.end.line, d->span.end.col);
        }
        fprintf(out, ",title=%s::%s\n", title, msg);
        free(file);
        free(title);
        free(msg);
        buf_free(&message);
    }
}
