/* cli_inputs.c — from the paths of a command line to sources: files,
 * directories searched recursively, and stdin. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli_common.h"
#include "emit.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A directory tree can be deep, but not this deep on purpose. */
#define MAX_DIR_DEPTH 128

static void unreadable(cli_run *run, const char *path, const char *why)
{
    uint32_t file = ssmc_sources_add(&run->sources, path, xstrdup(""), 0);
    ssmc_span span = {{1, 1, 0}, {1, 1, 0}};
    ssmc_diag_add(&run->diags, SSMC_RULE_SSM1029, file, span, "cannot read '%s': %s", path, why);
    run->trouble = true;
}

/* Reads at most limit + 1 bytes: a larger file is reported by the loader's
 * size limit without being read whole (think of /dev/zero). */
static char *read_fd(int fd, size_t limit, size_t *len)
{
    buf b;
    buf_init(&b);
    /* A regular file gets a buffer of its size (plus the NUL and one byte
     * to see the end of file): no doubling, which would leave up to half of
     * every buffer unused while all inputs are held at once. A file that
     * grows meanwhile still grows the buffer. */
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
        (uint64_t)st.st_size <= (uint64_t)limit) {
        b.cap = (size_t)st.st_size + 2;
        b.data = xmalloc(b.cap);
        b.data[0] = '\0';
    } else {
        buf_reserve(&b, 4096);
    }
    for (;;) {
        if (b.len > limit)
            break;
        size_t want = b.cap - b.len - 1;
        if (want == 0) {
            buf_reserve(&b, b.cap);
            continue;
        }
        if (want > limit + 1 - b.len)
            want = limit + 1 - b.len;
        ssize_t n = read(fd, b.data + b.len, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            buf_free(&b);
            errno = saved;
            return NULL;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
        b.data[b.len] = '\0';
    }
    b.data[b.len] = '\0'; /* an empty file too: sources are NUL-terminated */
    *len = b.len;
    return buf_steal(&b);
}

static uint32_t add_input_fd(cli_run *run, const char *name, int fd)
{
    size_t len;
    char *data = read_fd(fd, ssmc_limits_default().max_file_bytes, &len);
    if (!data) {
        unreadable(run, name, strerror(errno));
        return UINT32_MAX;
    }
    return ssmc_sources_add(&run->sources, name, data, len);
}

uint32_t cli_read_file(cli_run *run, const char *path)
{
    if (strcmp(path, "-") == 0)
        return add_input_fd(run, run->opts.stdin_filename, STDIN_FILENO);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        unreadable(run, path, strerror(errno));
        return UINT32_MAX;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        unreadable(run, path, "it is a directory");
        return UINT32_MAX;
    }
    uint32_t file = add_input_fd(run, path, fd);
    close(fd);
    return file;
}

static void add_input(cli_run *run, uint32_t file)
{
    run->files_seen++;
    if (file == UINT32_MAX)
        return;
    run->inputs = xrealloc(run->inputs, (run->input_count + 1) * sizeof *run->inputs);
    run->inputs[run->input_count++] = file;
}

static bool has_document_extension(const char *name)
{
    static const char *const exts[] = {".json", ".yaml", ".yml", ".tf"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && str_eq_nocase(name + n - e, exts[i]))
            return true;
    }
    return false;
}

static bool glob_any(char *const *globs, size_t count, const char *a, const char *b,
                     const char *c)
{
    for (size_t i = 0; i < count; i++)
        if (fnmatch(globs[i], a, 0) == 0 || fnmatch(globs[i], b, 0) == 0 ||
            (c && fnmatch(globs[i], c, 0) == 0))
            return true;
    return false;
}

/* Include and exclude globs match the path relative to the configuration
 * file's directory (whatever the working directory), the path as shown
 * (without a leading ./) or the last component; '*' crosses '/' so
 * "vendor/" followed by a star excludes a subtree. abs_dir is the absolute
 * path of the directory holding path, or NULL. */
static bool glob_match(const cli_run *run, char *const *globs, size_t count, const char *path,
                       const char *abs_dir)
{
    if (!count)
        return false;
    const char *shown = path;
    while (shown[0] == '.' && shown[1] == '/')
        shown += 2;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *rel = NULL;
    size_t cd = run->config_dir ? strlen(run->config_dir) : 0;
    if (abs_dir && cd && strncmp(abs_dir, run->config_dir, cd) == 0 &&
        (abs_dir[cd] == '/' || abs_dir[cd] == '\0' || (cd == 1 && abs_dir[0] == '/'))) {
        const char *below = abs_dir + cd;
        while (*below == '/')
            below++;
        rel = *below ? xasprintf("%s/%s", below, base) : xstrdup(base);
    }
    bool out = glob_any(globs, count, shown, base, rel);
    free(rel);
    return out;
}

/* Reads a file found by a directory walk; one that is not an SSM
 * document, template or Terraform file is dropped and listed as skipped. */
static void add_walked(cli_run *run, const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        add_input(run, cli_read_file(run, path));
        return;
    }
    size_t len;
    char *data = read_fd(fd, ssmc_limits_default().max_file_bytes, &len);
    int saved = errno;
    close(fd);
    if (!data) {
        unreadable(run, path, strerror(saved));
        add_input(run, UINT32_MAX);
        return;
    }
    ssmc_host_kind kind = ssmc_host_classify(path, data, len);
    if (kind == SSMC_HOST_NONE) {
        free(data);
        GROW(run->skipped, run->skipped_cap, run->skipped_count + 1);
        run->skipped[run->skipped_count++] = xstrdup(path);
        return;
    }
    uint32_t file = ssmc_sources_add(&run->sources, path, data, len);
    if (file >= run->file_kind_count) {
        size_t n = (size_t)file * 2 + 64;
        run->file_kinds = xrealloc(run->file_kinds, n);
        memset(run->file_kinds + run->file_kind_count, 0, n - run->file_kind_count);
        run->file_kind_count = n;
    }
    run->file_kinds[file] = (unsigned char)(1 + kind);
    add_input(run, file);
}

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walk {
    cli_run *run;
    dir_id *stack;      /* the directories being walked, outermost first */
    size_t depth, cap;
} walk;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    if (strcmp(dir, ".") == 0)
        return xstrdup(name); /* "ssmc check ." shows a.yaml, not ./a.yaml */
    return n && dir[n - 1] == '/' ? xasprintf("%s%s", dir, name) : xasprintf("%s/%s", dir, name);
}

static void walk_dir(walk *w, const char *path, const struct stat *st)
{
    char *abs_dir = NULL;
    /* A symbolic link back to an enclosing directory would recurse forever;
     * the device and inode numbers recognise it whatever its name. */
    for (size_t i = 0; i < w->depth; i++)
        if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
            return;
    if (w->depth >= MAX_DIR_DEPTH) {
        unreadable(w->run, path, "directories nested too deep");
        return;
    }
    DIR *d = opendir(path);
    if (d && (w->run->exclude_count || w->run->include_count))
        abs_dir = realpath(path, NULL);
    if (!d) {
        unreadable(w->run, path, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        /* Hidden entries (.git, editor files) are not documents; name them
         * on the command line to check them. */
        if (e->d_name[0] == '.')
            continue;
        GROW(names, cap, count + 1);
        names[count++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (count) /* qsort(NULL, 0) is undefined */
        qsort(names, count, sizeof *names, cmp_names);

    GROW(w->stack, w->cap, w->depth + 1);
    w->stack[w->depth++] = (dir_id){st->st_dev, st->st_ino};
    for (size_t i = 0; i < count; i++) {
        char *child = join(path, names[i]);
        struct stat cst;
        if (glob_match(w->run, w->run->exclude, w->run->exclude_count, child, abs_dir)) {
            /* skipped by configuration */
        } else if (stat(child, &cst) != 0) {
            /* A dangling link to something that is not a document is no
             * reason to fail; one with a document's name is. */
            if (has_document_extension(names[i])) {
                unreadable(w->run, child, strerror(errno));
                w->run->files_seen++;
            }
        } else if (S_ISDIR(cst.st_mode)) {
            walk_dir(w, child, &cst);
        } else if (S_ISREG(cst.st_mode) && has_document_extension(names[i]) &&
                   (!w->run->include_count ||
                    glob_match(w->run, w->run->include, w->run->include_count, child, abs_dir))) {
            add_walked(w->run, child);
        }
        free(child);
        free(names[i]);
    }
    w->depth--;
    free(names);
    free(abs_dir);
}

static bool walked(const cli_run *run, uint32_t file)
{
    return file < run->file_kind_count && run->file_kinds[file] != 0;
}

/* Whether json's bytes are what `ssmc compile` (indented or --compact)
 * writes for the document in yaml. */
static bool compiles_to(const ssmc_source *yaml, const ssmc_source *json)
{
    ssmc_sources scratch = {0};
    ssmc_diags diags = {0};
    char *copy = xmalloc(yaml->len + 1);
    memcpy(copy, yaml->data, yaml->len);
    copy[yaml->len] = '\0';
    uint32_t f = ssmc_sources_add(&scratch, yaml->name, copy, yaml->len);
    ssmc_document *doc = ssmc_load(&scratch, f, NULL, &diags);
    bool same = false;
    for (int compact = 0; compact < 2 && !same && doc->root && doc->syntax_ok; compact++) {
        buf out;
        buf_init(&out);
        emit_options o = {compact != 0, true};
        const ssmc_node *bad = NULL;
        same = emit_json(&out, doc->root, &o, &bad) && out.len == json->len &&
               memcmp(out.data, json->data, out.len) == 0;
        buf_free(&out);
    }
    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&scratch);
    return same;
}

/* The pre-commit pairing (foo.yaml next to its compiled foo.json, README
 * "pre-commit"): when a walk or --classify finds both and the JSON is the
 * YAML compiled, only the YAML is checked, so that each finding is printed
 * once, not once per copy. A JSON that differs (stale, hand-edited) is
 * checked as usual. */
void cli_drop_generated(cli_run *run)
{
    size_t kept = 0;
    for (size_t i = 0; i < run->input_count; i++) {
        uint32_t file = run->inputs[i];
        const ssmc_source *json = ssmc_sources_get(&run->sources, file);
        size_t n = strlen(json->name);
        const ssmc_source *yaml = NULL;
        if (walked(run, file) && n > 5 && strcmp(json->name + n - 5, ".json") == 0)
            for (size_t j = 0; j < run->input_count && !yaml; j++) {
                const ssmc_source *y = ssmc_sources_get(&run->sources, run->inputs[j]);
                size_t m = strlen(y->name);
                if (j != i && walked(run, run->inputs[j]) && m > n - 5 &&
                    strncmp(y->name, json->name, n - 5) == 0 &&
                    (strcmp(y->name + n - 5, ".yaml") == 0 || strcmp(y->name + n - 5, ".yml") == 0))
                    yaml = y;
            }
        if (yaml && compiles_to(yaml, json)) {
            run->generated = xrealloc(run->generated, (run->generated_count + 2) * sizeof *run->generated);
            run->generated[run->generated_count++] = xstrdup(json->name);
            run->generated[run->generated_count++] = xstrdup(yaml->name);
            run->files_seen--;
            continue;
        }
        run->inputs[kept++] = file;
    }
    run->input_count = kept;
}

bool cli_read_inputs(cli_run *run)
{
    bool before = run->trouble;
    run->trouble = false;
    walk w = {run, NULL, 0, 0};
    for (size_t i = 0; i < run->opts.path_count; i++) {
        const char *path = run->opts.paths[i];
        struct stat st;
        if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk_dir(&w, path, &st);
        else if (run->classify_files && strcmp(path, "-") != 0 && S_ISREG(st.st_mode))
            add_walked(run, path); /* --classify: as if a walk had found it */
        else
            add_input(run, cli_read_file(run, path));
    }
    free(w.stack);
    bool ok = !run->trouble;
    run->trouble = run->trouble || before;
    return ok;
}

ssmc_document *cli_load_data_file(cli_run *run, const char *path)
{
    uint32_t file = cli_read_file(run, path);
    if (file == UINT32_MAX)
        return NULL;
    ssmc_load_options options;
    ssmc_load_options_init(&options);
    options.data_file = true;
    return ssmc_load(&run->sources, file, &options, &run->diags);
}

static bool one_of(const char *v, const char *const *values)
{
    for (; *values; values++)
        if (strcmp(v, *values) == 0)
            return true;
    return false;
}

const char *cli_take_format(int argc, char **argv, const char *const *values, int *new_argc)
{
    const char *chosen = NULL;
    int k = argc > 0 ? 1 : 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (i < argc)
                argv[k++] = argv[i++];
            break;
        }
        const char *v = NULL;
        int used = 1;
        if (strcmp(a, "--format") == 0 && i + 1 < argc)
            v = argv[i + 1], used = 2;
        else if (strncmp(a, "--format=", 9) == 0)
            v = a + 9;
        if (v && one_of(v, values)) {
            chosen = v;
            i += used - 1;
            continue;
        }
        argv[k++] = argv[i];
    }
    *new_argc = k;
    return chosen;
}
