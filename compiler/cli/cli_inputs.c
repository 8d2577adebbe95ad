/* cli_inputs.c — from the paths of a command line to sources: files,
 * directories searched recursively, and stdin. */
#define _XOPEN_SOURCE 700 /* realpath */
#define _DEFAULT_SOURCE   /* DT_REG */
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

static uint32_t add_input_fd(cli_run *run, const char *name, int fd)
{
    size_t len;
    bool over;
    char *data = source_read_fd(fd, ssmc_limits_default().max_file_bytes, &len, &over);
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
    if (run->lazy_inputs) {
        run->input_walked = xrealloc(run->input_walked,
                                     (run->input_count + 1) * sizeof *run->input_walked);
        run->input_walked[run->input_count] = false;
    }
    run->inputs[run->input_count++] = file;
}

/* check reads its inputs one at a time (cli_input_read): here only their
 * names are listed, in the order they are checked and reported. */
static uint32_t add_unread(cli_run *run, const char *path)
{
    if (strcmp(path, "-") == 0) {
        uint32_t file = ssmc_sources_add_unread(&run->sources, run->opts.stdin_filename);
        run->sources.items[file]->from_stdin = true;
        return file;
    }
    return ssmc_sources_add_unread(&run->sources, path);
}

/* An unreadable listed input: the finding goes on its own entry. */
static void unreadable_input(cli_run *run, uint32_t file, const char *why, ssmc_diags *diags)
{
    ssmc_source *src = run->sources.items[file];
    source_fill(src, xstrdup(""), 0);
    ssmc_span span = {{1, 1, 0}, {1, 1, 0}};
    ssmc_diag_add(diags, SSMC_RULE_SSM1029, file, span, "cannot read '%s': %s", src->name, why);
    run->trouble = true;
}

/* An input over the size limit is not read on (a regular file not at all):
 * a device like /dev/zero or an endless pipe costs one limit of memory and
 * gives one finding. */
static void too_large(cli_run *run, uint32_t file, const char *more, uint64_t size,
                      ssmc_diags *diags)
{
    ssmc_source *src = run->sources.items[file];
    source_fill(src, xstrdup(""), 0);
    ssmc_span span = {{1, 1, 0}, {1, 1, 0}};
    ssmc_diag_add(diags, SSMC_RULE_SSM1025, file, span,
                  "the file is %s%llu bytes, over the limit of %zu bytes (an SSM document may "
                  "not exceed 64 KB); it was not read further",
                  more, (unsigned long long)size, ssmc_limits_default().max_file_bytes);
}

/* What a walk classified a file as (1 + kind; 0: not walked). */
static void remember_kind(cli_run *run, uint32_t file, ssmc_host_kind kind)
{
    if (file >= run->file_kind_count) {
        size_t n = (size_t)file * 2 + 64;
        run->file_kinds = xrealloc(run->file_kinds, n);
        memset(run->file_kinds + run->file_kind_count, 0, n - run->file_kind_count);
        run->file_kind_count = n;
    }
    run->file_kinds[file] = (unsigned char)(1 + kind);
}

uint32_t cli_input_read(cli_run *run, size_t i, ssmc_diags *diags, bool *skipped)
{
    *skipped = false;
    uint32_t file = run->inputs[i];
    ssmc_source *src = run->sources.items[file];
    if (!src->released)
        return file; /* read already (--fix reads a file again after fixing it) */
    size_t limit = ssmc_limits_default().max_file_bytes;
    int fd = src->from_stdin ? STDIN_FILENO : open(src->name, O_RDONLY | O_NOCTTY);
    if (fd < 0) {
        unreadable_input(run, file, strerror(errno), diags);
        return UINT32_MAX;
    }
    struct stat st;
    bool stat_ok = fstat(fd, &st) == 0;
    const char *why = NULL;
    if (stat_ok && S_ISDIR(st.st_mode))
        why = "it is a directory";
    else if (stat_ok && S_ISREG(st.st_mode) && (uint64_t)st.st_size > (uint64_t)limit) {
        too_large(run, file, "", (uint64_t)st.st_size, diags);
        if (fd != STDIN_FILENO)
            close(fd);
        return UINT32_MAX;
    }
    size_t len = 0;
    bool over = false;
    int64_t regular_size = stat_ok && S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
    char *data = why ? NULL : source_read_fd_sized(fd, limit, regular_size, &len, &over);
    int saved = errno;
    if (fd != STDIN_FILENO)
        close(fd);
    if (!data) {
        unreadable_input(run, file, why ? why : strerror(saved), diags);
        return UINT32_MAX;
    }
    if (over) {
        free(data);
        too_large(run, file, "more than ", (uint64_t)limit, diags);
        return UINT32_MAX;
    }
    if (run->input_walked[i]) {
        ssmc_host_kind kind = ssmc_host_classify(src->name, data, len);
        if (kind == SSMC_HOST_NONE) {
            free(data);
            *skipped = true;
            return UINT32_MAX;
        }
        remember_kind(run, file, kind);
    }
    source_fill(src, data, len);
    return file;
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
    if (run->lazy_inputs) {
        add_input(run, ssmc_sources_add_unread(&run->sources, path));
        run->input_walked[run->input_count - 1] = true;
        return;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        add_input(run, cli_read_file(run, path));
        return;
    }
    size_t len;
    bool over;
    char *data = source_read_fd(fd, ssmc_limits_default().max_file_bytes, &len, &over);
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
    remember_kind(run, file, kind);
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

/* A directory entry: its name, and whether readdir said it is a regular
 * file (then it needs no stat: most entries of a walk are). */
typedef struct dir_entry {
    char *name;
    bool regular;
} dir_entry;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(((const dir_entry *)a)->name, ((const dir_entry *)b)->name);
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
    dir_entry *names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        /* Hidden entries (.git, editor files) are not documents; name them
         * on the command line to check them. */
        if (e->d_name[0] == '.')
            continue;
        GROW(names, cap, count + 1);
        names[count].name = xstrdup(e->d_name);
#ifdef DT_REG
        names[count].regular = e->d_type == DT_REG;
#else
        names[count].regular = false;
#endif
        count++;
    }
    closedir(d);
    if (count) /* qsort(NULL, 0) is undefined */
        qsort(names, count, sizeof *names, cmp_names);

    GROW(w->stack, w->cap, w->depth + 1);
    w->stack[w->depth++] = (dir_id){st->st_dev, st->st_ino};
    for (size_t i = 0; i < count; i++) {
        const char *name = names[i].name;
        char *child = join(path, name);
        struct stat cst;
        if (glob_match(w->run, w->run->exclude, w->run->exclude_count, child, abs_dir)) {
            /* skipped by configuration */
        } else if (names[i].regular && !has_document_extension(name)) {
            /* a regular file that is no document: nothing to ask */
        } else if (!names[i].regular && stat(child, &cst) != 0) {
            /* A dangling link to something that is not a document is no
             * reason to fail; one with a document's name is. */
            if (has_document_extension(name)) {
                unreadable(w->run, child, strerror(errno));
                w->run->files_seen++;
            }
        } else if (!names[i].regular && S_ISDIR(cst.st_mode)) {
            walk_dir(w, child, &cst);
        } else if ((names[i].regular || S_ISREG(cst.st_mode)) && has_document_extension(name) &&
                   (!w->run->include_count ||
                    glob_match(w->run, w->run->include, w->run->include_count, child, abs_dir))) {
            add_walked(w->run, child);
        }
        free(child);
        free(names[i].name);
    }
    w->depth--;
    free(names);
    free(abs_dir);
}

/* The bytes of a file (malloc'd), or NULL when it cannot be read whole
 * within the size limit. */
static char *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NOCTTY);
    if (fd < 0)
        return NULL;
    bool over = false;
    char *data = source_read_fd(fd, ssmc_limits_default().max_file_bytes, len, &over);
    close(fd);
    if (data && over) {
        free(data);
        data = NULL;
    }
    return data;
}

/* Whether `ssmc compile` (compact or indented) writes exactly json[0..len)
 * for root; *bad is set when a value has no JSON form. The comparison
 * stops at the first byte that differs. */
static bool compiles_exactly(const ssmc_node *root, bool compact, const char *json, size_t len,
                             const ssmc_node **bad)
{
    buf out;
    buf_init(&out);
    emit_options o = {compact, true, json, len};
    *bad = NULL;
    bool same = emit_json(&out, root, &o, bad);
    buf_free(&out);
    return same;
}

/* Whether the JSON text could be what emit_json writes for some tree:
 * compiling the output again gives the same bytes (emit_json.c: keys in
 * the canonical order stay in it, strings and numbers are re-emitted from
 * what they read back as), so a text that reads without any finding and
 * does not compile to itself is no compiled twin, and its YAML need not be
 * loaded and compiled to find out. Reading JSON costs a fraction of
 * loading YAML, and most JSON next to a YAML is not the YAML compiled (the
 * corpus's: 40 of 44: other key orders, indentation or escapes). A text
 * with findings (a repeated key, a repair) is left to the full comparison. */
static bool may_be_compiled(ssmc_sources *sources, uint32_t file, bool compact,
                            ssmc_document **loaded)
{
    const ssmc_source *src = ssmc_sources_get(sources, file);
    ssmc_diags diags = {.sources = sources};
    ssmc_document *doc = ssmc_load(sources, file, NULL, &diags);
    bool may = true;
    if (doc->root && diags.count == 0) {
        const ssmc_node *bad;
        bool same = compiles_exactly(doc->root, compact, src->data, src->len, &bad);
        /* a value with no JSON form (bad) leaves the question open */
        may = bad || same;
        /* Loaded as the check loads it, without a finding: the check can
         * go on with this tree. */
        if (!may) {
            *loaded = doc;
            doc = NULL;
        }
    }
    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    return may;
}

/* Whether the JSON source file is what `ssmc compile` (indented or
 * --compact) writes for the document in the file yaml. */
static bool compiles_to(const char *yaml, ssmc_sources *sources, uint32_t file,
                        ssmc_document **loaded)
{
    const ssmc_source *src = ssmc_sources_get(sources, file);
    const char *jdata = src->data;
    size_t jlen = src->len;
    /* The indented form breaks the line after its first '{'; the compact
     * one never does: emit only the form the file can be. What emit_json
     * writes for a document ends with "}\n": a file that does not is no
     * compiled twin, and its YAML need not be compiled. */
    bool compact = !(jlen > 1 && jdata[1] == '\n');
    /* And it starts "{\n  \"" indented, "{\"" or "{}" compact: most JSON
     * that is no compiled twin (indented by four, by tabs, or without the
     * blank after ':') is told by its first bytes. */
    bool starts_right = compact ? jlen >= 3 && jdata[0] == '{' && (jdata[1] == '"' || jdata[1] == '}')
                                : jlen >= 5 && memcmp(jdata, "{\n  \"", 5) == 0;
    if (jlen < 2 || jdata[jlen - 1] != '\n' || jdata[jlen - 2] != '}' || !starts_right ||
        !may_be_compiled(sources, file, compact, loaded))
        return false;
    size_t ylen;
    char *ydata = slurp(yaml, &ylen);
    if (!ydata)
        return false;
    ssmc_sources scratch = {0};
    ssmc_diags diags = {0};
    uint32_t f = ssmc_sources_add(&scratch, yaml, ydata, ylen);
    ssmc_document *doc = ssmc_load(&scratch, f, NULL, &diags);
    const ssmc_node *bad;
    bool same = doc->root && doc->syntax_ok && compiles_exactly(doc->root, compact, jdata, jlen, &bad);
    ssmc_document_free(doc);
    ssmc_diags_free(&diags);
    ssmc_sources_free(&scratch);
    return same;
}

typedef struct named_input {
    const char *name;
    size_t index;
} named_input;

static int compare_named(const void *a, const void *b)
{
    return strcmp(((const named_input *)a)->name, ((const named_input *)b)->name);
}

/* The walked input named stem + ext, or NULL. */
static const named_input *find_walked(const named_input *sorted, size_t n, const char *stem,
                                      size_t stem_len, const char *ext)
{
    char *want = xasprintf("%.*s%s", (int)stem_len, stem, ext);
    named_input key = {want, 0};
    const named_input *hit = bsearch(&key, sorted, n, sizeof *sorted, compare_named);
    free(want);
    return hit;
}

/* The pre-commit pairing (foo.yaml next to its compiled foo.json, README
 * "pre-commit"): names only, no file is read here. Whether the JSON is the
 * YAML compiled is asked when the JSON is read to be checked
 * (cli_input_generated), with the bytes read for the check: asking here,
 * before the check, read every such JSON twice (5% of checking the
 * corpus, whose 428 pairs are JSON and YAML exports of the same
 * documents). */
void cli_pair_twins(cli_run *run)
{
    if (!run->input_walked || !run->input_count)
        return;
    named_input *sorted = xcalloc(run->input_count, sizeof *sorted);
    size_t n = 0;
    for (size_t i = 0; i < run->input_count; i++)
        if (run->input_walked[i])
            sorted[n++] = (named_input){ssmc_sources_get(&run->sources, run->inputs[i])->name, i};
    qsort(sorted, n, sizeof *sorted, compare_named);
    for (size_t k = 0; k < n; k++) {
        const char *json = sorted[k].name;
        size_t len = strlen(json);
        if (len <= 5 || strcmp(json + len - 5, ".json") != 0)
            continue;
        const named_input *yaml = find_walked(sorted, n, json, len - 5, ".yaml");
        if (!yaml)
            yaml = find_walked(sorted, n, json, len - 5, ".yml");
        if (!yaml)
            continue;
        if (!run->twin_of) {
            run->twin_of = xmalloc(run->input_count * sizeof *run->twin_of);
            for (size_t i = 0; i < run->input_count; i++)
                run->twin_of[i] = SIZE_MAX;
        }
        run->twin_of[sorted[k].index] = yaml->index;
    }
    free(sorted);
}

bool cli_input_generated(cli_run *run, size_t i, uint32_t file, ssmc_document **loaded)
{
    *loaded = NULL;
    if (!run->twin_of || i >= run->input_count || run->twin_of[i] == SIZE_MAX)
        return false;
    const ssmc_source *json = ssmc_sources_get(&run->sources, file);
    const ssmc_source *yaml = ssmc_sources_get(&run->sources, run->inputs[run->twin_of[i]]);
    return json && yaml && !json->released &&
           compiles_to(yaml->name, &run->sources, file, loaded);
}

bool cli_read_inputs(cli_run *run)
{
    bool before = run->trouble;
    run->trouble = false;
    walk w = {run, NULL, 0, 0};
    for (size_t i = 0; i < run->opts.path_count; i++) {
        const char *path = run->opts.paths[i];
        struct stat st;
        bool is_file = strcmp(path, "-") != 0 && stat(path, &st) == 0;
        if (is_file && S_ISDIR(st.st_mode))
            walk_dir(&w, path, &st);
        else if (run->lazy_inputs) {
            add_input(run, add_unread(run, path));
            /* --classify: as if a walk had found it */
            run->input_walked[run->input_count - 1] =
                run->classify_files && is_file && S_ISREG(st.st_mode);
        } else if (run->classify_files && is_file && S_ISREG(st.st_mode))
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
