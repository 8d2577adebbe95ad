/* corpus_load — loads every .yaml/.yml/.json file under a directory of real
 * SSM documents and asserts, for each:
 *   - the load finishes (a crash fails the test run),
 *   - the tree passes tree_check,
 *   - no syntax finding (an SSM1xxx error) when the file's own reference
 *     reader accepts it: libyaml for YAML, jansson for JSON.
 * Prints one summary line. Exit 0 on success, 1 on a failure, 77 (skip)
 * when the directory is absent.
 * usage: corpus_load DIR */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

typedef struct paths {
    char **items;
    size_t count, cap;
} paths;

static bool has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void walk(const char *dir, paths *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            walk(path, out);
            free(path);
        } else if (has_suffix(path, ".yaml") || has_suffix(path, ".yml") ||
                   has_suffix(path, ".json")) {
            GROW(out->items, out->cap, out->count + 1);
            out->items[out->count++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf b;
    buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return buf_steal(&b);
}

static bool libyaml_accepts(const char *data, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return false;
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    bool ok = true;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            ok = false;
            break;
        }
        bool end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    return ok;
}

static bool jansson_accepts(const char *data, size_t len)
{
    json_error_t err;
    json_t *v = json_loadb(data, len, JSON_DECODE_ANY, &err);
    if (!v)
        return false;
    json_decref(v);
    return true;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: corpus_load DIR\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[1], &st) != 0 || !S_ISDIR(st.st_mode)) {
        /* In CI a missing corpus is a broken setup, not a reason to pass. */
        const char *ci = getenv("CI");
        if (ci && strcmp(ci, "true") == 0) {
            printf("corpus: %s is absent (CI=true: failing)\n", argv[1]);
            return 1;
        }
        printf("corpus: %s is absent; skipped\n", argv[1]);
        return 77;
    }
    paths files = {0};
    walk(argv[1], &files);
    qsort(files.items, files.count, sizeof *files.items, cmp_str);

    size_t yaml = 0, json = 0, rejected = 0, failures = 0, warnings = 0;
    for (size_t i = 0; i < files.count; i++) {
        const char *path = files.items[i];
        size_t len;
        char *data = read_all(path, &len);
        if (!data) {
            printf("FAIL %s: cannot read: %s\n", path, strerror(errno));
            failures++;
            continue;
        }
        bool is_json = has_suffix(path, ".json");
        bool accepted = is_json ? jansson_accepts(data, len) : libyaml_accepts(data, len);
        is_json ? json++ : yaml++;
        if (!accepted)
            rejected++;

        ssmc_sources sources = {0};
        ssmc_diags diags = {0};
        uint32_t file = ssmc_sources_add(&sources, path, data, len);
        ssmc_document *doc = ssmc_load(&sources, file, NULL, &diags);
        char why[512];
        if (!tree_check(&sources, doc, why, sizeof why)) {
            printf("FAIL %s: tree_check: %s\n", path, why);
            failures++;
        }
        for (size_t k = 0; k < diags.count; k++) {
            const ssmc_diag *d = &diags.items[k];
            const ssmc_rule_info *info = ssmc_rule_get(d->rule);
            if (strncmp(info->id, "SSM1", 4) != 0)
                continue;
            if (d->severity < SSMC_SEV_ERROR) {
                warnings++;
                continue;
            }
            if (accepted) {
                printf("FAIL %s:%u:%u: %s [%s] (accepted by %s)\n", path, d->span.start.line,
                       d->span.start.col, d->message, info->id, is_json ? "jansson" : "libyaml");
                failures++;
            }
        }
        ssmc_document_free(doc);
        ssmc_diags_free(&diags);
        ssmc_sources_free(&sources);
        free(files.items[i]);
    }
    free(files.items);
    printf("corpus: %zu files (%zu YAML, %zu JSON), %zu rejected by libyaml/jansson, %zu "
           "syntax warnings, %zu failures\n",
           yaml + json, yaml, json, rejected, warnings, failures);
    return failures ? 1 : 0;
}
