/* cli_params.c — --param values (see cli_params.h). */
#include "cli_params.h"

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
    const ssmc_source *src = ssmc_sources_get(&run->sources, file);
    for (size_t i = 0; i < run->opts.param_count; i++) {
        size_t name_len = strlen(run->opts.params[i].name);
        ssmc_span span = span_from_offsets(src, starts[i], starts[i] + name_len);
        given_values_add_text(given, run->opts.params[i].name, run->opts.params[i].value, file,
                              span);
    }
    free(starts);
}
