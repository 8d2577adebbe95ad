/* checker_cache.c — results of external checkers (ShellCheck, pyflakes)
 * remembered between runs.
 *
 * A checker's answer for one script depends only on the checker (its
 * version and the binary itself), the options it is given, the dialect and
 * the bytes it reads, so those are hashed into the key and the answer is
 * stored under it: a second run over unchanged scripts starts no checker at
 * all. The payload is whatever text the caller chooses (ShellCheck: its
 * json1 comments for the script); callers turn fresh answers into that text
 * first and read findings only from it, so a cached finding cannot differ
 * from a fresh one.
 *
 * Layout: $XDG_CACHE_HOME/ssmc (default ~/.cache/ssmc) holds one directory
 * per checker with one file per key (64 hex digits) and versions/ (the
 * checker's --version output per binary identity, so that the version costs
 * a process once per installed binary, not once per run).
 *
 * Concurrency: entries are written to a temporary file in the same
 * directory and renamed into place, so a reader sees a whole entry or none;
 * an entry also carries its key and the length and hash of its payload, and
 * anything that does not verify is a miss. Two runs computing the same
 * entry both write it; the last rename wins with identical bytes. Eviction
 * unlinks files another run may be reading, which POSIX allows.
 *
 * Bound: after a run that wrote entries, when the directory holds more than
 * the limit (SSMC_CACHE_MAX_KB, default 64 MiB), the least recently used
 * entries (a hit refreshes the file's time) are removed until it holds 3/4
 * of it. No fsync: a lost entry is recomputed. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "checker_cache.h"

#include "emit.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Bumped when a payload's meaning changes, so that old entries miss. */
#define FORMAT "ssmc-checker-cache 1"
#define DEFAULT_MAX ((unsigned long long)64 << 20)
#define MAX_ENTRY ((size_t)64 << 20)

struct checker_cache {
    char *dir;          /* the checker's directory */
    char prefix[65];    /* hash of format, checker, identity, version, options */
    size_t writes;
};

char *checker_cache_root(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    /* The XDG spec: a relative value is invalid and is to be ignored. */
    if (xdg && xdg[0] == '/')
        return xasprintf("%s/ssmc", xdg);
    const char *home = getenv("HOME");
    if (home && home[0] == '/')
        return xasprintf("%s/.cache/ssmc", home);
    return NULL;
}

/* mkdir -p for the few levels under the root (HOME itself must exist). */
static bool make_dirs(const char *path)
{
    char *p = xstrdup(path);
    bool ok = true;
    for (char *s = p + 1; ok; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            ok = false;
        *s = c;
        if (c == '\0')
            break;
    }
    free(p);
    return ok;
}

static bool read_small_file(const char *path, buf *out, size_t max)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= max;
    if (ok) {
        buf_reserve(out, (size_t)st.st_size + 1);
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t n = read(fd, out->data + out->len + got, (size_t)st.st_size - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        ok = got == (size_t)st.st_size;
        if (ok)
            out->len += got;
        out->data[out->len] = '\0';
    }
    close(fd);
    return ok;
}

/* Temporary file in dir, then rename: readers never see part of it. */
static bool write_entry(const char *dir, const char *path, const buf *data)
{
    char *tmp = xasprintf("%s/.tmp-XXXXXX", dir);
    int fd = mkstemp(tmp);
    bool ok = fd >= 0;
    if (ok) {
        size_t done = 0;
        while (ok && done < data->len) {
            ssize_t n = write(fd, data->data + done, data->len - done);
            if (n < 0 && errno == EINTR)
                continue;
            ok = n > 0;
            if (ok)
                done += (size_t)n;
        }
        if (close(fd) != 0)
            ok = false;
        if (ok)
            ok = rename(tmp, path) == 0;
        if (!ok)
            unlink(tmp);
    }
    free(tmp);
    return ok;
}

/* `prog --version`'s standard output, or NULL. The caller flushed stdio. */
static char *run_version(const char *prog, int timeout_ms)
{
    int out[2];
    if (pipe(out) != 0)
        return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    char *argv[] = {(char *)prog, "--version", NULL};
    pid_t pid;
    bool started = posix_spawn(&pid, prog, &fa, NULL, argv, environ) == 0;
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (!started) {
        close(out[0]);
        return NULL;
    }
    buf b;
    buf_init(&b);
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool done = false, killed = false;
    while (!done) {
        struct pollfd p = {out[0], POLLIN, 0};
        (void)poll(&p, 1, 200);
        if (p.revents) {
            char chunk[4096];
            ssize_t n = read(out[0], chunk, sizeof chunk);
            if (n > 0 && b.len < 65536)
                buf_add(&b, chunk, (size_t)n);
            else if (n == 0 || (n < 0 && errno != EINTR))
                done = true;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (!done && (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >
                         timeout_ms) {
            kill(pid, SIGKILL);
            killed = done = true;
        }
    }
    close(out[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (killed || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || b.len == 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

/* The checker's version text, remembered per binary (path, device, inode,
 * size, modification time) under versions/. */
static char *checker_version(const char *root, const char *prog, const char *identity,
                             int timeout_ms)
{
    char hex[65];
    sha256_hex(identity, strlen(identity), hex);
    char *vdir = xasprintf("%s/versions", root);
    char *path = xasprintf("%s/%s", vdir, hex);
    buf b;
    buf_init(&b);
    char *version = NULL;
    if (read_small_file(path, &b, 65536) && b.len > 0) {
        version = buf_steal(&b);
    } else {
        fflush(NULL);
        version = run_version(prog, timeout_ms);
        if (version && make_dirs(vdir)) {
            buf v = {version, strlen(version), strlen(version) + 1};
            (void)write_entry(vdir, path, &v);
        }
    }
    buf_free(&b);
    free(path);
    free(vdir);
    return version;
}

checker_cache *checker_cache_open(const char *checker, const char *prog, const char *options,
                                  int timeout_ms)
{
    char *root = checker_cache_root();
    if (!root)
        return NULL;
    struct stat st;
    char *real = realpath(prog, NULL);
    if (!real || stat(real, &st) != 0) {
        free(real);
        free(root);
        return NULL;
    }
    char *identity = xasprintf("%s\n%llu %llu %llu %lld.%09ld", real, (unsigned long long)st.st_dev,
                               (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
                               (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    free(real);
    char *version = checker_version(root, prog, identity, timeout_ms);
    checker_cache *c = NULL;
    if (version) {
        sha256_ctx h;
        sha256_init(&h);
        const char *parts[] = {FORMAT, checker, identity, version, options ? options : ""};
        for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
            sha256_update(&h, parts[i], strlen(parts[i]) + 1);
        unsigned char d[32];
        sha256_final(&h, d);
        c = xcalloc(1, sizeof *c);
        for (int i = 0; i < 32; i++)
            snprintf(c->prefix + 2 * i, 3, "%02x", d[i]);
        c->dir = xasprintf("%s/%s", root, checker);
    }
    free(version);
    free(identity);
    free(root);
    return c;
}

void checker_cache_key(const checker_cache *c, const char *dialect, const char *data, size_t len,
                       char key[65])
{
    sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, c->prefix, 64);
    sha256_update(&h, dialect ? dialect : "", strlen(dialect ? dialect : "") + 1);
    sha256_update(&h, data, len);
    unsigned char d[32];
    sha256_final(&h, d);
    for (int i = 0; i < 32; i++)
        snprintf(key + 2 * i, 3, "%02x", d[i]);
}

/* An entry: "FORMAT KEY LEN PAYLOAD-SHA256\n" then the payload. */
bool checker_cache_get(checker_cache *c, const char key[65], buf *out)
{
    char *path = xasprintf("%s/%s", c->dir, key);
    buf b;
    buf_init(&b);
    bool ok = read_small_file(path, &b, MAX_ENTRY);
    if (ok) {
        char head[256];
        const char *nl = memchr(b.data, '\n', b.len);
        size_t hlen = nl ? (size_t)(nl - b.data) : 0;
        size_t plen = 0;
        char phash[65], want[65];
        ok = nl && hlen < sizeof head;
        if (ok) {
            memcpy(head, b.data, hlen);
            head[hlen] = '\0';
            char *expect_prefix = xasprintf(FORMAT " %s ", key);
            size_t ep = strlen(expect_prefix);
            ok = strncmp(head, expect_prefix, ep) == 0 &&
                 sscanf(head + ep, "%zu %64s", &plen, want) == 2 && plen == b.len - hlen - 1;
            free(expect_prefix);
        }
        if (ok) {
            sha256_hex(nl + 1, plen, phash);
            ok = strcmp(phash, want) == 0;
        }
        if (ok) {
            buf_add(out, nl + 1, plen);
            /* Recently used entries are evicted last. */
            (void)utimensat(AT_FDCWD, path, NULL, 0);
        }
    }
    buf_free(&b);
    free(path);
    return ok;
}

void checker_cache_put(checker_cache *c, const char key[65], const char *payload, size_t len)
{
    if (c->writes == 0 && !make_dirs(c->dir))
        return;
    char phash[65];
    sha256_hex(payload, len, phash);
    buf b;
    buf_init(&b);
    buf_printf(&b, FORMAT " %s %zu %s\n", key, len, phash);
    buf_add(&b, payload, len);
    char *path = xasprintf("%s/%s", c->dir, key);
    if (write_entry(c->dir, path, &b))
        c->writes++;
    free(path);
    buf_free(&b);
}

typedef struct entry {
    char *name;
    unsigned long long size;
    struct timespec used;
} entry;

static int older_first(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->used.tv_sec != y->used.tv_sec)
        return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
    if (x->used.tv_nsec != y->used.tv_nsec)
        return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

static bool is_entry_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 64 && strspn(name, "0123456789abcdef") == 64)
        return true;
    return strncmp(name, ".tmp-", 5) == 0;
}

static unsigned long long max_bytes(void)
{
    const char *s = getenv("SSMC_CACHE_MAX_KB");
    if (s && *s) {
        char *end;
        unsigned long long kb = strtoull(s, &end, 10);
        if (*end == '\0' && kb < (1ULL << 40))
            return kb * 1024;
    }
    return DEFAULT_MAX;
}

/* Removes the least recently used entries until the directory holds
 * `keep` bytes or less; 0 removes every entry. A temporary file older
 * than a minute is a crashed writer's leftover and goes first. */
static void evict(const char *dir, unsigned long long limit, unsigned long long keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    entry *items = NULL;
    size_t n = 0, cap = 0;
    unsigned long long total = 0;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_entry_name(de->d_name))
            continue;
        char *path = xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if (de->d_name[0] == '.' && (keep == 0 || now - st.st_mtim.tv_sec > 60)) {
            unlink(path);
            free(path);
            continue;
        }
        if (de->d_name[0] == '.') {
            free(path);
            continue;
        }
        GROW(items, cap, n + 1);
        items[n++] = (entry){path, (unsigned long long)st.st_size, st.st_mtim};
        total += (unsigned long long)st.st_size;
    }
    closedir(d);
    if (total > limit) {
        qsort(items, n, sizeof *items, older_first);
        for (size_t i = 0; i < n && total > keep; i++)
            if (unlink(items[i].name) == 0 || errno == ENOENT)
                total -= items[i].size;
    }
    for (size_t i = 0; i < n; i++)
        free(items[i].name);
    free(items);
}

void checker_cache_close(checker_cache *c)
{
    if (!c)
        return;
    if (c->writes) {
        unsigned long long max = max_bytes();
        evict(c->dir, max, max / 4 * 3);
    }
    free(c->dir);
    free(c);
}

/* Every entry of every directory under the root (one per checker, and
 * versions/); only names the cache itself writes are removed. */
int checker_cache_clear(char **error)
{
    *error = NULL;
    char *root = checker_cache_root();
    if (!root) {
        *error = xstrdup("no cache directory: neither XDG_CACHE_HOME nor HOME is an absolute path");
        return -1;
    }
    int removed = 0;
    DIR *top = opendir(root);
    struct dirent *sub;
    while (top && (sub = readdir(top)) != NULL) {
        if (sub->d_name[0] == '.')
            continue;
        char *dir = xasprintf("%s/%s", root, sub->d_name);
        DIR *d = opendir(dir);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d)) != NULL) {
                if (!is_entry_name(de->d_name))
                    continue;
                char *path = xasprintf("%s/%s", dir, de->d_name);
                if (unlink(path) == 0)
                    removed++;
                else if (errno != ENOENT && !*error)
                    *error = xasprintf("cannot remove %s: %s", path, strerror(errno));
                free(path);
            }
            closedir(d);
            (void)rmdir(dir);
        }
        free(dir);
    }
    if (!top && errno != ENOENT)
        *error = xasprintf("cannot read %s: %s", root, strerror(errno));
    if (top)
        closedir(top);
    (void)rmdir(root);
    free(root);
    return *error ? -1 : removed;
}

void checker_inputs_init(checker_inputs *in)
{
    memset(in, 0, sizeof *in);
    hash_index_init(&in->index, 64);
}

size_t checker_inputs_add(checker_inputs *in, const char *dialect, const char *text, size_t len)
{
    const char *d = dialect ? dialect : "";
    uint64_t h = hash_mix(hash_text_ends(text, len), d, strlen(d));
    const hash_index *x = &in->index;
    for (size_t s = h & (x->slots - 1); x->at[s]; s = (s + 1) & (x->slots - 1)) {
        size_t k = x->at[s] - 1;
        if (x->hash[s] == h && in->lens[k] == len && strcmp(in->dialects[k], d) == 0 &&
            memcmp(in->texts[k], text, len) == 0)
            return k;
    }
    if (in->count == in->cap) {
        in->cap = in->cap ? 2 * in->cap : 16;
        in->dialects = xrealloc(in->dialects, in->cap * sizeof *in->dialects);
        in->texts = xrealloc(in->texts, in->cap * sizeof *in->texts);
        in->lens = xrealloc(in->lens, in->cap * sizeof *in->lens);
    }
    in->dialects[in->count] = d;
    in->texts[in->count] = text;
    in->lens[in->count] = len;
    hash_index_add(&in->index, h, in->count);
    return in->count++;
}

void checker_inputs_free(checker_inputs *in)
{
    hash_index_free(&in->index);
    free(in->dialects);
    free(in->texts);
    free(in->lens);
    memset(in, 0, sizeof *in);
}
