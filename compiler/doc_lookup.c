/* doc_lookup.c — where a named document's file is. See doc_lookup.h. */
#include "doc_lookup.h"

#include "internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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

/* The names in a search directory, listed once and listed again when the
 * directory changes (its mtime: entries added, removed or renamed), so
 * that a look-up opens only a file that is there. A check of the corpus
 * looked up its called documents with 1,800 failed opens and stats of the
 * same few directories (for every document in each of three directories
 * under three extensions); the language server sees a document added to
 * a directory at its next look-up. */
#define LISTING_MAX_NAMES 100000
typedef struct dir_listing {
    char *dir;
    dev_t dev;
    ino_t ino;
    struct timespec mtime;
    char **names;       /* sorted */
    size_t count;
    bool complete;      /* every name is in it (else: look on disk) */
} dir_listing;

/* A directory changed this recently may change again within the same
 * tick of its mtime, which the kernel keeps coarsely: its listing is not
 * trusted (the disk answers) until the change is older than this. */
#define RACY_SECONDS 2
static dir_listing *listings;
static size_t listing_count, listing_cap;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void listing_clear(dir_listing *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->names[i]);
    free(l->names);
    l->names = NULL;
    l->count = 0;
    l->complete = false;
}

static void listing_fill(dir_listing *l)
{
    DIR *d = opendir(l->dir);
    if (!d)
        return;
    size_t cap = 0;
    bool complete = true;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (l->count == LISTING_MAX_NAMES) {
            complete = false;
            break;
        }
        GROW(l->names, cap, l->count + 1);
        l->names[l->count++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (l->count)
        qsort(l->names, l->count, sizeof *l->names, cmp_name);
    l->complete = complete;
}

static bool recently(const struct timespec *t)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        return true;
    return now.tv_sec - t->tv_sec < RACY_SECONDS;
}

/* The listing of dir, up to date; NULL when dir is no directory or was
 * changed too recently to be listed (then the disk answers). */
static const dir_listing *listing_of(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return NULL;
    if (recently(&st.st_mtim))
        return NULL;
    dir_listing *l = NULL;
    for (size_t i = 0; i < listing_count && !l; i++)
        if (strcmp(listings[i].dir, dir) == 0)
            l = &listings[i];
    if (!l) {
        GROW(listings, listing_cap, listing_count + 1);
        l = &listings[listing_count++];
        memset(l, 0, sizeof *l);
        l->dir = xstrdup(dir);
    } else if (l->dev == st.st_dev && l->ino == st.st_ino &&
               l->mtime.tv_sec == st.st_mtim.tv_sec && l->mtime.tv_nsec == st.st_mtim.tv_nsec) {
        return l;
    }
    listing_clear(l);
    l->dev = st.st_dev;
    l->ino = st.st_ino;
    l->mtime = st.st_mtim;
    listing_fill(l);
    return l;
}

static bool listed(const dir_listing *l, const char *name)
{
    if (!l || !l->complete)
        return true; /* not known: the file system answers */
    return l->count && bsearch(&name, l->names, l->count, sizeof *l->names, cmp_name) != NULL;
}

char *doc_lookup_find(const char *name, const char *const *dirs, size_t count)
{
    static const char *const exts[] = {".yaml", ".yml", ".json"};
    /* A document name never reaches outside the search path (issue 18). */
    if (doc_lookup_name_is_path(name))
        return NULL;
    char *bare = bare_name(name);
    for (size_t i = 0; i < count; i++) {
        const dir_listing *l = listing_of(dirs[i]);
        size_t dir_len = strlen(dirs[i]);
        for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
            char *p = xasprintf("%s/%s%s", dirs[i], bare, exts[e]);
            if (listed(l, p + dir_len + 1) && doc_lookup_file_exists(p)) {
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
    /* Where ssmc's own documents are installed does not change while it
     * runs: asked once per process, not once per look-up. */
    static signed char exists[sizeof builtin / sizeof builtin[0]];
    for (size_t i = 0; i < nb; i++) {
        if (!exists[i])
            exists[i] = is_dir(builtin[i]) ? 1 : -1;
        if (exists[i] > 0)
            paths[n++] = builtin[i];
    }
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
