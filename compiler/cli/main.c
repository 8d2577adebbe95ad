/* main.c — the ssmc command line (minimal: check with text output). */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    buf b;
    buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    if (f != stdin)
        fclose(f);
    *len = b.len;
    return buf_steal(&b);
}

int main(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "check") != 0) {
        fprintf(stderr, "usage: ssmc check FILE...\n");
        return 2;
    }
    ssmc_sources sources = {0};
    ssmc_diags diags = {0};
    ssmc_config config;
    ssmc_config_init(&config);
    size_t ndocs = 0;
    ssmc_document **docs = xcalloc((size_t)argc, sizeof *docs);
    int rc = 0;
    for (int i = 2; i < argc; i++) {
        size_t len;
        char *data = read_file(argv[i], &len);
        if (!data) {
            fprintf(stderr, "ssmc: %s: %s\n", argv[i], strerror(errno));
            rc = 3;
            continue;
        }
        uint32_t file = ssmc_sources_add(&sources, argv[i], data, len);
        docs[ndocs++] = ssmc_load(&sources, file, NULL, &diags);
    }
    ssmc_check_documents(&sources, docs, ndocs, &config, &diags);
    ssmc_diags_sort(&diags, &sources);
    for (size_t i = 0; i < diags.count; i++) {
        const ssmc_diag *d = &diags.items[i];
        const ssmc_rule_info *info = ssmc_rule_get(d->rule);
        printf("%s:%u:%u: %s: %s [%s]\n", sources.items[d->file]->name, d->span.start.line,
               d->span.start.col, ssmc_severity_name(d->severity), d->message,
               d->rule == SSMC_RULE_EXTERNAL ? d->external_rule : info->id);
        for (size_t j = 0; j < d->related_count; j++)
            printf("  %s:%u:%u: note: %s\n", sources.items[d->related[j].file]->name,
                   d->related[j].span.start.line, d->related[j].span.start.col,
                   d->related[j].message);
    }
    if (rc == 0 && ssmc_diags_count_at_least(&diags, SSMC_SEV_ERROR))
        rc = 1;
    for (size_t i = 0; i < ndocs; i++)
        ssmc_document_free(docs[i]);
    free(docs);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&sources);
    return rc;
}
