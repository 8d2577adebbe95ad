/* doc_lookup.c — where a named document's file is. See doc_lookup.h. */
#include "doc_lookup.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SSMC_SOURCE_DIR
#define SSMC_SOURCE_DIR "."
#endif
#ifndef SSMC_DATA_DIR
#define SSMC_DATA_DIR "/usr/local/share/ssmc"
#endif

bool doc_lookup_file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* NAME, NAME:VERSION or an ARN .../document/NAME: the bare NAME (malloc'd). */
static char *bare_name(const char *name)
{
    const char *doc = strstr(name, ":document/");
    if (strncmp(name, "arn:", 4) == 0 && doc)
        name = doc + strlen(":document/");
    char *bare = xstrdup(name);
    char *colon = strchr(bare, ':');
    if (colon)
        *colon = '\0';
    return bare;
}

bool doc_lookup_name_is_path(const char *name)
{
    char *bare = bare_name(name);
    bool path = strchr(bare, '/') || strchr(bare, '\\') || strcmp(bare, ".") == 0 ||
                strcmp(bare, "..") == 0 || bare[0] == '\0';
    free(bare);
    return path;
}

char *doc_lookup_find(const char *name, const char *const *dirs, size_t count)
{
    static const char *const exts[] = {".yaml", ".yml", ".json"};
    /* A document name never reaches outside the search path (issue 18). */
    if (doc_lookup_name_is_path(name))
        return NULL;
    char *bare = bare_name(name);
    for (size_t i = 0; i < count; i++) {
        for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
            char *p = xasprintf("%s/%s%s", dirs[i], bare, exts[e]);
            if (doc_lookup_file_exists(p)) {
                free(bare);
                return p;
            }
            free(p);
        }
    }
    free(bare);
    return NULL;
}

const char **doc_lookup_search_path(const char *const *dirs, size_t count, size_t *out_count)
{
    static const char *const builtin[] = {SSMC_SOURCE_DIR "/stdlib-docs", SSMC_DATA_DIR "/documents",
                                          SSMC_DATA_DIR "/stdlib-docs"};
    size_t nb = sizeof builtin / sizeof builtin[0];
    const char **paths = xcalloc(count + nb + 1, sizeof *paths);
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        paths[n++] = dirs[i];
    for (size_t i = 0; i < nb; i++)
        if (is_dir(builtin[i]))
            paths[n++] = builtin[i];
    *out_count = n;
    return paths;
}

char *doc_lookup_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf b;
    buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < ((size_t)64 << 20))
        buf_add(&b, chunk, n);
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed) {
        buf_free(&b);
        return NULL;
    }
    if (!b.data)
        buf_adds(&b, "");
    *len = b.len;
    return buf_steal(&b);
}
