/* hostile.c — the hostile-input suite: generates each input (nothing is
 * stored in the repository), runs ssmc on it, and asserts
 *   - the exit code (DESIGN.md: 0 clean, 1 findings, 3 could not do its job),
 *   - the finding: the rule id in brackets on stdout (or a text on stderr),
 *   - peak memory: ssmc's own ru_maxrss (wait4) at most
 *         baseline + 2 MB + factor * input bytes,
 *     where baseline is MEASURED in the same run (the largest of three runs
 *     of ssmc checking a small valid document; the runs differ by a few
 *     hundred KB, and a report of some findings adds about as much: the
 *     2 MB), and factor is 10 unless the case says otherwise and why,
 *   - termination: a hang guard kills ssmc after a generous time and fails
 *     the case as a hang. This is not a speed assertion.
 *
 * usage: hostile SSMC WORKDIR CASE      (one case; CTest runs one per test)
 *        hostile SSMC WORKDIR --list    (the case names)
 * Environment: SSMC_HOSTILE_NO_RSS=1 skips the memory bound (sanitizer
 * builds, whose shadow memory has nothing to do with ssmc's).
 *
 * Running as root: permission bits do not stop root, so the "unreadable"
 * and "not writable" cases drop to the nobody user (uid/gid 65534) in the
 * child before exec; as another user they run as that user. The full-file
 * cases use RLIMIT_FSIZE (with SIGXFSZ ignored), which stops root too: a
 * write past the limit fails with EFBIG half-way through, deterministically. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { HANG_SECONDS = 600 };
static const uid_t NOBODY = 65534;

static const char *ssmc;
static char dir[4096];          /* this case's directory */
static int failures;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stdout, "FAIL: ");
    vfprintf(stdout, fmt, ap);
    fprintf(stdout, "\n");
    va_end(ap);
    failures++;
}

static void die(const char *what)
{
    fprintf(stdout, "hostile: %s: %s\n", what, strerror(errno));
    exit(2);
}

static char *path_in(const char *name)
{
    static char paths[8][4200];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

static FILE *create(const char *name)
{
    FILE *f = fopen(path_in(name), "wb");
    if (!f)
        die(name);
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

static size_t finish(FILE *f)
{
    long n = ftell(f);
    if (fclose(f) != 0 || n < 0)
        die("write");
    return (size_t)n;
}

static size_t write_file(const char *name, const void *data, size_t len)
{
    FILE *f = create(name);
    fwrite(data, 1, len, f);
    return finish(f);
}

static size_t write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

static void repeat(FILE *f, const char *s, size_t times)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < times; i++)
        fwrite(s, 1, n, f);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *len = 0;
        return calloc(1, 1);
    }
    size_t cap = 1 << 16, n = 0, got;
    char *data = malloc(cap + 1);
    while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            data = realloc(data, cap + 1);
        }
    }
    fclose(f);
    if (!data)
        die("read");
    data[n] = '\0';
    *len = n;
    return data;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* A valid Command document, the body every case starts from. */
static const char *const VALID_YAML =
    "schemaVersion: '2.2'\n"
    "description: Prints a greeting.\n"
    "mainSteps:\n"
    "  - action: aws:runShellScript\n"
    "    name: greet\n"
    "    inputs:\n"
    "      runCommand:\n"
    "        - echo hello\n";

static const char *const VALID_JSON =
    "{\n"
    "  \"schemaVersion\": \"2.2\",\n"
    "  \"description\": \"Prints a greeting.\",\n"
    "  \"mainSteps\": [\n"
    "    {\n"
    "      \"action\": \"aws:runShellScript\",\n"
    "      \"name\": \"greet\",\n"
    "      \"inputs\": {\"runCommand\": [\"echo hello\"]}\n"
    "    }\n"
    "  ]\n"
    "}\n";

/* ------------------------------------------------------------------ */
/* Running ssmc                                                        */
/* ------------------------------------------------------------------ */

typedef struct run_opts {
    bool as_nobody;          /* drop root privileges in the child */
    rlim_t fsize;            /* RLIMIT_FSIZE when nonzero */
    const char *stdin_path;  /* default /dev/null */
} run_opts;

typedef struct result {
    int status;              /* exit code, or 128 + signal */
    long maxrss_kb;
    double seconds;
    char *out, *err;
    size_t out_len, err_len;
} result;

static void free_result(result *r)
{
    free(r->out);
    free(r->err);
}

static void drop_privileges(void)
{
    if (geteuid() != 0)
        return;
    if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
        _exit(126);
}

/* Runs ssmc with argv (NULL-terminated, without argv[0]) in the case
 * directory. */
static result run(const char *const *args, const run_opts *o)
{
    run_opts none = {0};
    if (!o)
        o = &none;
    const char *argv[64];
    size_t n = 0;
    argv[n++] = ssmc;
    for (size_t i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;

    char out_path[4200], err_path[4200];
    snprintf(out_path, sizeof out_path, "%s.stdout", dir);
    snprintf(err_path, sizeof err_path, "%s.stderr", dir);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        int in = open(o->stdin_path ? o->stdin_path : "/dev/null", O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
            dup2(err, 2) < 0 || chdir(dir) != 0)
            _exit(125);
        setenv("NO_COLOR", "1", 1);
        if (o->fsize) {
            /* A write past the limit fails with EFBIG instead of killing. */
            signal(SIGXFSZ, SIG_IGN);
            struct rlimit rl = {o->fsize, o->fsize};
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
                _exit(124);
        }
        if (o->as_nobody)
            drop_privileges();
        execv(ssmc, (char *const *)argv);
        _exit(127);
    }
    result r = {0};
    struct rusage ru;
    int status;
    for (;;) {
        pid_t w = wait4(pid, &status, WNOHANG, &ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            die("wait4");
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (t1.tv_sec - t0.tv_sec > HANG_SECONDS) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail("ssmc did not finish within %d s (hang guard)", HANG_SECONDS);
            status = 0;
            r.status = -1;
            break;
        }
        usleep(2000);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (r.status != -1) {
        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        r.maxrss_kb = ru.ru_maxrss;
    }
    r.out = read_all(out_path, &r.out_len);
    r.err = read_all(err_path, &r.err_len);
    unlink(out_path);
    unlink(err_path);
    return r;
}

static long baseline_kb;

/* Peak RSS of ssmc checking a small valid document: the constant part of
 * every bound. */
static void measure_baseline(void)
{
    write_text("baseline.yaml", VALID_YAML);
    const char *args[] = {"check", "--shellcheck=off", "baseline.yaml", NULL};
    for (int i = 0; i < 3; i++) {
        result r = run(args, NULL);
        if (r.status != 0) {
            fail("baseline: a valid document gives exit %d:\n%s%s", r.status, r.out, r.err);
            exit(1);
        }
        if (r.maxrss_kb > baseline_kb)
            baseline_kb = r.maxrss_kb;
        free_result(&r);
    }
    unlink(path_in("baseline.yaml"));
}

/* The common assertions. rule: "SSMnnnn" expected on stdout as "[SSMnnnn]"
 * (NULL: no finding at all). */
static void expect(const result *r, int exit_code, const char *rule, size_t input_bytes,
                   double factor)
{
    printf("exit %d, peak RSS %ld KB (baseline %ld KB), input %zu bytes, %.2f s\n", r->status,
           r->maxrss_kb, baseline_kb, input_bytes, r->seconds);
    if (r->status != exit_code)
        fail("exit code %d, expected %d", r->status, exit_code);
    if (rule) {
        char tag[32];
        snprintf(tag, sizeof tag, "[%s]", rule);
        if (!strstr(r->out, tag))
            fail("no %s finding on stdout", tag);
    } else if (r->out_len) {
        fail("expected no finding");
    }
    if (!getenv("SSMC_HOSTILE_NO_RSS") || strcmp(getenv("SSMC_HOSTILE_NO_RSS"), "1") != 0) {
        double limit_kb = (double)baseline_kb + 2048.0 + factor * (double)input_bytes / 1024.0;
        if ((double)r->maxrss_kb > limit_kb)
            fail("peak RSS %ld KB over the bound %.0f KB (baseline + 2 MB + %.0fx the input)",
                 r->maxrss_kb, limit_kb, factor);
    }
    if (failures) {
        printf("--- stdout (first 2000 bytes)\n%.2000s\n--- stderr (first 2000 bytes)\n%.2000s\n",
               r->out, r->err);
    }
}

static result check(const char *file)
{
    const char *args[] = {"check", "--shellcheck=off", file, NULL};
    return run(args, NULL);
}

/* Checks one generated file and asserts. */
static void check_file(const char *file, size_t bytes, int exit_code, const char *rule,
                       double factor)
{
    result r = check(file);
    expect(&r, exit_code, rule, bytes, factor);
    free_result(&r);
}

/* ------------------------------------------------------------------ */
/* The cases                                                           */
/* ------------------------------------------------------------------ */

/* Billion laughs: ten levels of ten aliases each, 10^9 nodes expanded. */
static void case_alias_bomb(void)
{
    FILE *f = create("bomb.yaml");
    fputs("schemaVersion: '2.2'\ndescription: laughs\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n", f);
    for (int i = 1; i <= 9; i++) {
        fprintf(f, "l%d: &l%d [", i, i);
        for (int j = 0; j < 10; j++)
            fprintf(f, "%s*l%d", j ? ", " : "", i - 1);
        fputs("]\n", f);
    }
    fputs("mainSteps: *l9\n", f);
    check_file("bomb.yaml", finish(f), 1, "SSM1022", 10);
}

/* Merge keys and aliases together: each level merges the previous mapping
 * and holds it twice more in a list, doubling the expansion 40 times. */
static void case_merge_bomb(void)
{
    FILE *f = create("merge.yaml");
    fputs("schemaVersion: '2.2'\nm0: &m0 {a: 1, b: 2}\n", f);
    for (int i = 1; i <= 40; i++)
        fprintf(f, "m%d: &m%d {<<: *m%d, k%d: [*m%d, *m%d]}\n", i, i, i - 1, i, i - 1, i - 1);
    check_file("merge.yaml", finish(f), 1, "SSM1022", 10);
}

enum { DEEP = 100000 };

static void case_deep_yaml_flow(void)
{
    FILE *f = create("deep-flow.yaml");
    repeat(f, "[", DEEP);
    repeat(f, "]", DEEP);
    fputc('\n', f);
    check_file("deep-flow.yaml", finish(f), 1, "SSM1021", 10);
}

static void case_deep_yaml_flow_map(void)
{
    FILE *f = create("deep-flow-map.yaml");
    repeat(f, "{a: ", DEEP);
    fputs("x", f);
    repeat(f, "}", DEEP);
    fputc('\n', f);
    check_file("deep-flow-map.yaml", finish(f), 1, "SSM1021", 10);
}

/* Block nesting without quadratic indentation: "- - - x" opens one block
 * sequence per dash. */
static void case_deep_yaml_block(void)
{
    FILE *f = create("deep-block.yaml");
    fputs("mainSteps:\n", f);
    repeat(f, "- ", DEEP);
    fputs("x\n", f);
    check_file("deep-block.yaml", finish(f), 1, "SSM1021", 10);
}

/* Block mappings, indented one space per level: 100,000 levels would be
 * 5 GB of spaces, so this one goes as deep as 5,000 (12 MB). */
static void case_deep_yaml_block_map(void)
{
    FILE *f = create("deep-block-map.yaml");
    for (int i = 0; i < 5000; i++) {
        for (int j = 0; j < i; j++)
            fputc(' ', f);
        fputs("k:\n", f);
    }
    check_file("deep-block-map.yaml", finish(f), 1, "SSM1021", 10);
}

static void case_deep_json(void)
{
    FILE *f = create("deep.json");
    repeat(f, "[", DEEP);
    repeat(f, "]", DEEP);
    check_file("deep.json", finish(f), 1, "SSM1021", 10);
    f = create("deep-object.json");
    repeat(f, "{\"a\":", DEEP);
    fputs("1", f);
    repeat(f, "}", DEEP);
    check_file("deep-object.json", finish(f), 1, "SSM1021", 10);
    /* Unclosed: the reader stops at the limit, not at the end. */
    f = create("deep-unclosed.json");
    repeat(f, "[", DEEP);
    check_file("deep-unclosed.json", finish(f), 1, "SSM1021", 10);
}

/* A 100 MB scalar: loads (the scalar limit is 256 MB) and is refused by
 * the document-size rule. */
static void case_big_scalar(void)
{
    FILE *f = create("big.yaml");
    fputs("schemaVersion: '2.2'\ndescription: '", f);
    char chunk[1 << 16];
    memset(chunk, 'a', sizeof chunk);
    for (int i = 0; i < 1600; i++)
        fwrite(chunk, 1, sizeof chunk, f);
    fputs("'\nmainSteps:\n  - action: aws:runShellScript\n    name: greet\n"
          "    inputs:\n      runCommand:\n        - echo hello\n", f);
    check_file("big.yaml", finish(f), 1, "SSM2012", 10);
}

/* Lines of 10 MB: one in a script, one as a plain scalar key's value in
 * JSON, one comment. */
static void case_long_lines(void)
{
    enum { LINE = 10 << 20 };
    char *line = malloc(LINE + 1);
    if (!line)
        die("malloc");
    memset(line, 'b', LINE);
    line[LINE] = '\0';
    FILE *f = create("line.yaml");
    fprintf(f, "schemaVersion: '2.2'\ndescription: long\n# %s\nmainSteps:\n"
               "  - action: aws:runShellScript\n    name: greet\n    inputs:\n"
               "      runCommand:\n        - echo %s\n", line, line);
    check_file("line.yaml", finish(f), 1, "SSM2012", 10);
    f = create("line.json");
    fprintf(f, "{\"schemaVersion\": \"2.2\", \"description\": \"%s\", \"mainSteps\": []}", line);
    check_file("line.json", finish(f), 1, "SSM2012", 10);
    free(line);
}

/* One minified line of non-ASCII JSON, 2.4 MB, with a finding on each of
 * its 20,000 steps (every step has the same name): a column is counted in
 * code points, and counting each from the line's start would cost 20,000
 * times a megabyte on average (ssmc_source.col_marks). Prints its time;
 * the bound here is the memory. */
static void case_long_line_findings(void)
{
    FILE *f = create("minified.json");
    fputs("{\"schemaVersion\":\"2.2\",\"description\":\"D\xC3\xA9ploiement\",\"mainSteps\":[", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%s{\"action\":\"aws:runShellScript\",\"name\":\"\xC3\xA9tape\",\"inputs\":"
                   "{\"runCommand\":[\"echo %d\"]}}", i ? "," : "", i);
    fputs("]}", f);
    check_file("minified.json", finish(f), 1, "SSM2012", 40);
}

/* A million steps and a million parameters: every node of the tree costs
 * an ssmc_node (48 bytes) plus its pair slot, against 10-20 bytes of YAML
 * per node here, and each of the million findings a message (the unused
 * parameters are each reported): measured about 15x and 26x the input with
 * 136-byte nodes; the bound is 40x. */
static void case_million_steps(void)
{
    FILE *f = create("steps.yaml");
    fputs("schemaVersion: '2.2'\ndescription: many steps\nmainSteps:\n", f);
    for (int i = 0; i < 1000000; i++)
        fprintf(f, "- {action: aws:runShellScript, name: step%d, inputs: {runCommand: [echo]}}\n", i);
    check_file("steps.yaml", finish(f), 1, "SSM2012", 40);
}

static void case_million_params(void)
{
    FILE *f = create("params.yaml");
    fputs("schemaVersion: '2.2'\ndescription: many parameters\nparameters:\n", f);
    for (int i = 0; i < 1000000; i++)
        fprintf(f, "  p%d: {type: String, default: x}\n", i);
    fputs("mainSteps:\n  - action: aws:runShellScript\n    name: greet\n    inputs:\n"
          "      runCommand:\n        - echo {{ p0 }}\n", f);
    check_file("params.yaml", finish(f), 1, "SSM2012", 40);
}

/* Invalid UTF-8 at the start, in the middle, at the end, inside a key and
 * inside a scalar, in YAML and JSON: the finding names the byte offset. */
static void case_invalid_utf8(void)
{
    static const struct {
        const char *name;
        const char *text;
        size_t at;
    } cases[] = {
        {"start.yaml", "\xff" "schemaVersion: '2.2'\n", 0},
        {"middle.yaml", "schemaVersion: '2.2'\n\xc3\x28\ndescription: x\n", 21},
        {"end.yaml", "schemaVersion: '2.2'\ndescription: x\n\xe2\x82", 36},
        {"key.yaml", "schemaVersion: '2.2'\ndescr\x80iption: x\n", 26},
        {"scalar.yaml", "schemaVersion: '2.2'\ndescription: \"a\xed\xa0\x80z\"\n", 36},
        {"overlong.json", "{\"schemaVersion\": \"2.2\", \"d\": \"\xc0\xaf\"}", 31},
        {"start.json", "\xfe{\"schemaVersion\": \"2.2\"}", 0},
        {"end.json", "{\"schemaVersion\": \"2.2\"}\xf4\x90\x80\x80", 24},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = write_text(cases[i].name, cases[i].text);
        result r = check(cases[i].name);
        printf("%s: ", cases[i].name);
        expect(&r, 1, "SSM1015", n, 10);
        char want[64];
        snprintf(want, sizeof want, "at byte offset %zu", cases[i].at);
        if (!strstr(r.out, want))
            fail("%s: the finding does not say '%s':\n%s", cases[i].name, want, r.out);
        free_result(&r);
    }
}

/* Every byte-order mark: UTF-8 is accepted (and is not a column); UTF-16
 * and UTF-32 in either byte order are named. */
static void case_boms(void)
{
    char doc[1024];
    snprintf(doc, sizeof doc, "\xEF\xBB\xBF%s", VALID_YAML);
    size_t n = write_text("bom-utf8.yaml", doc);
    check_file("bom-utf8.yaml", n, 0, NULL, 10);
    snprintf(doc, sizeof doc, "\xEF\xBB\xBF%s", VALID_JSON);
    n = write_text("bom-utf8.json", doc);
    check_file("bom-utf8.json", n, 0, NULL, 10);

    static const struct {
        const char *name, *bom, *says;
        int unit;
        bool big;
    } wide[] = {
        {"utf16le.yaml", "\xFF\xFE", "UTF-16 (little-endian)", 2, false},
        {"utf16be.yaml", "\xFE\xFF", "UTF-16 (big-endian)", 2, true},
        {"utf32le.json", "\xFF\xFE\x00\x00", "UTF-32 (little-endian)", 4, false},
        {"utf32be.json", "\x00\x00\xFE\xFF", "UTF-32 (big-endian)", 4, true},
        {"utf16le-nobom.yaml", "", "UTF-16 (little-endian)", 2, false},
    };
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++) {
        FILE *f = create(wide[i].name);
        size_t bom = wide[i].unit == 4 ? 4 : strlen(wide[i].bom) ? 2 : 0;
        fwrite(wide[i].bom, 1, bom, f);
        const char *text = strstr(wide[i].name, ".json") ? VALID_JSON : VALID_YAML;
        for (const char *p = text; *p; p++) {
            char unit[4] = {0};
            unit[wide[i].big ? wide[i].unit - 1 : 0] = *p;
            fwrite(unit, 1, (size_t)wide[i].unit, f);
        }
        n = finish(f);
        result r = check(wide[i].name);
        printf("%s: ", wide[i].name);
        expect(&r, 1, "SSM1016", n, 10);
        if (!strstr(r.out, wide[i].says))
            fail("%s: the finding does not name %s", wide[i].name, wide[i].says);
        free_result(&r);
    }
}

static void case_nul_bytes(void)
{
    static const char doc[] = "schemaVersion: '2.2'\ndescription: a\0b\n";
    size_t n = write_file("nul.yaml", doc, sizeof doc - 1);
    check_file("nul.yaml", n, 1, "SSM1017", 10);
    static const char json[] = "{\"schemaVersion\": \"2.2\"}\0";
    n = write_file("nul.json", json, sizeof json - 1);
    check_file("nul.json", n, 1, "SSM1017", 10);
}

/* Directory loops through symbolic links: every document is checked once
 * and the walk ends. */
static void case_symlink_loop(void)
{
    if (mkdir(path_in("tree"), 0755) != 0 || mkdir(path_in("tree/sub"), 0755) != 0)
        die("mkdir");
    /* Documents without mainSteps (SSM2006): a directory walk skips files
     * that are not SSM documents, and an empty file is none. */
    write_text("tree/empty.yaml", "schemaVersion: '2.2'\n");
    write_text("tree/sub/empty.json", "{\"schemaVersion\": \"2.2\"}");
    if (symlink(".", path_in("tree/self")) != 0 || symlink("..", path_in("tree/sub/up")) != 0 ||
        symlink("../sub", path_in("tree/sub/again")) != 0)
        die("symlink");
    const char *args[] = {"check", "--shellcheck=off", "tree", NULL};
    result r = run(args, NULL);
    expect(&r, 1, "SSM2006", 0, 10);
    size_t n = count_of(r.out, "[SSM2006]");
    if (n != 2)
        fail("%zu no-mainSteps findings for 2 documents", n);
    free_result(&r);
}

/* Files that cannot be read: permission denied (as nobody), a read error
 * (EIO from /proc/self/mem at offset 0, which is never mapped), a dangling
 * symbolic link, a directory given as a file. Exit 3 and SSM1029 with the
 * reason, and the other inputs of the run are still checked. */
static void case_unreadable(void)
{
    size_t n = write_text("secret.yaml", VALID_YAML);
    if (chmod(path_in("secret.yaml"), 0) != 0 || chmod(dir, 0755) != 0)
        die("chmod");
    write_text("other.yaml", "");
    const char *args[] = {"check", "--shellcheck=off", "secret.yaml", "other.yaml", NULL};
    run_opts nobody = {.as_nobody = true};
    result r = run(args, &nobody);
    printf("permission: ");
    expect(&r, 3, "SSM1029", n, 10);
    if (!strstr(r.out, "Permission denied"))
        fail("the finding does not say 'Permission denied'");
    if (!strstr(r.out, "[SSM1014]"))
        fail("the other input was not checked");
    free_result(&r);

    const char *eio[] = {"check", "--shellcheck=off", "/proc/self/mem", NULL};
    r = run(eio, NULL);
    printf("EIO: ");
    expect(&r, 3, "SSM1029", 0, 10);
    if (!strstr(r.out, "Input/output error"))
        fail("the finding does not say 'Input/output error'");
    free_result(&r);

    if (symlink("nowhere.yaml", path_in("dangling.yaml")) != 0)
        die("symlink");
    const char *dangling[] = {"check", "--shellcheck=off", "dangling.yaml", NULL};
    r = run(dangling, NULL);
    printf("dangling: ");
    expect(&r, 3, "SSM1029", 0, 10);
    free_result(&r);

    if (mkdir(path_in("adir.yaml"), 0755) != 0)
        die("mkdir");
    const char *isdir[] = {"check", "--shellcheck=off", "adir.yaml/", NULL};
    r = run(isdir, NULL);
    printf("directory: ");
    /* A directory named on the command line is searched: no documents in
     * it is not a failure. */
    expect(&r, 0, NULL, 0, 10);
    free_result(&r);
}

/* A file that ends before the writer meant it to: a FIFO whose writer
 * sends the first half of a JSON document and closes. The result is
 * deterministic: the reader sees exactly that half. */
static void case_shrinking_fifo(void)
{
    const char *fifo = path_in("half.json");
    if (mkfifo(fifo, 0644) != 0)
        die("mkfifo");
    pid_t writer = fork();
    if (writer < 0)
        die("fork");
    if (writer == 0) {
        int fd = open(fifo, O_WRONLY); /* waits for ssmc to open it */
        if (fd < 0)
            _exit(1);
        size_t half = strlen(VALID_JSON) / 2;
        ssize_t w = write(fd, VALID_JSON, half);
        _exit(w == (ssize_t)half ? 0 : 1);
    }
    result r = check("half.json");
    int status;
    waitpid(writer, &status, 0);
    expect(&r, 1, "SSM1002", strlen(VALID_JSON), 10);
    free_result(&r);
}

/* A regular file truncated while ssmc reads it, by another process, over
 * and over. Whatever moment the truncation hits, ssmc must see some prefix
 * of the file and report on it: exit 0 or 1, never a crash (ssmc reads with
 * read(2), not mmap, so a shrinking file cannot raise SIGBUS). */
static void case_shrinking_file(void)
{
    enum { SIZE = 32 << 20 };
    const char *path = path_in("shrink.yaml");
    for (int round = 0; round < 5; round++) {
        FILE *f = create("shrink.yaml");
        fputs(VALID_YAML, f);
        fputs("# ", f);
        repeat(f, "padding ", SIZE / 8);
        fputc('\n', f);
        size_t n = finish(f);
        pid_t cutter = fork();
        if (cutter < 0)
            die("fork");
        if (cutter == 0) {
            usleep(1000u * (unsigned)round * 2);
            for (off_t len = SIZE; len > 0; len /= 2)
                if (truncate(path, len) != 0)
                    _exit(1);
            _exit(0);
        }
        result r = check("shrink.yaml");
        int status;
        waitpid(cutter, &status, 0);
        printf("round %d: exit %d, peak RSS %ld KB, input %zu bytes\n", round, r.status,
               r.maxrss_kb, n);
        if (r.status != 0 && r.status != 1)
            fail("exit %d while the file shrank:\n%.2000s%.2000s", r.status, r.out, r.err);
        free_result(&r);
    }
}

/* --- many inputs: one held at a time ----------------------------------- */

/* check /dev/zero three times: a stream is read only to its first NUL
 * byte, one input at a time, so the run takes no memory to speak of and
 * gives one finding per input (it read 1 GiB per input, all held at once). */
static void case_dev_zero(void)
{
    const char *args[] = {"check", "--shellcheck=off", "/dev/zero", "/dev/zero", "/dev/zero", NULL};
    result r = run(args, NULL);
    expect(&r, 1, "SSM1017", 3 * 65536, 10);
    if (count_of(r.out, "/dev/zero:1:1: error: NUL byte at byte offset 0;") != 3)
        fail("expected one NUL finding per input:\n%s", r.out);
    free_result(&r);
}

/* An endless stream without NUL bytes (a FIFO fed forever): read to the
 * size limit plus one byte, then one SSM1025 finding; the memory is one
 * limit's worth, not 1 GiB. */
static void case_endless_stream(void)
{
    const char *fifo = path_in("endless.yaml");
    if (mkfifo(fifo, 0644) != 0)
        die("mkfifo");
    pid_t writer = fork();
    if (writer < 0)
        die("fork");
    if (writer == 0) {
        signal(SIGPIPE, SIG_DFL);
        int fd = open(fifo, O_WRONLY);
        if (fd < 0)
            _exit(1);
        char chunk[1 << 16];
        memset(chunk, 'x', sizeof chunk);
        while (write(fd, chunk, sizeof chunk) > 0)
            ;
        _exit(0);
    }
    const char *args[] = {"check", "--shellcheck=off", "endless.yaml", NULL};
    result r = run(args, NULL);
    kill(writer, SIGKILL);
    waitpid(writer, NULL, 0);
    /* the limit is 128 MiB: the buffer of the read is the memory */
    expect(&r, 1, "SSM1025", (size_t)128 << 20, 1.2);
    if (!strstr(r.out, "the file is more than 134217728 bytes, over the limit of 134217728 bytes"))
        fail("the finding does not state the limit:\n%s", r.out);
    free_result(&r);
}

/* Three 12 MB documents (a long comment each) checked in one run, with -j1
 * and -j2: an input is read, checked and freed before the next is read, and
 * with -j2 the parent reads none of them (the workers do), so the peak is
 * one input, not three (wait4 reports the largest of ssmc and its reaped
 * workers). */
static void case_many_big_inputs(void)
{
    static const char *const names[] = {"big1.yaml", "big2.yaml", "big3.yaml"};
    size_t bytes = 0;
    for (int k = 0; k < 3; k++) {
        FILE *f = create(names[k]);
        fputs(VALID_YAML, f);
        fputs("# ", f);
        repeat(f, "padding ", (12u << 20) / 8);
        fputc('\n', f);
        bytes = finish(f);
    }
    const char *j1[] = {"check", "--shellcheck=off", names[0], names[1], names[2], NULL};
    result r = run(j1, NULL);
    printf("-j1: ");
    expect(&r, 0, NULL, bytes, 1.5);
    free_result(&r);
    const char *j2[] = {"check", "--shellcheck=off", "-j", "2", names[0], names[1], names[2], NULL};
    r = run(j2, NULL);
    printf("-j2: ");
    expect(&r, 0, NULL, bytes, 1.5);
    free_result(&r);
}

/* A document past 16 MiB of source (padded with a comment) is parsed and
 * its size checked, but not analysed: SSM9170 instead of the undeclared
 * parameter its script uses; the near miss, 15 MiB, is analysed in full. */
static void case_analysis_bound(void)
{
    static const char *const doc =
        "schemaVersion: '2.2'\ndescription: padded\nmainSteps:\n"
        "  - action: aws:runShellScript\n    name: greet\n    inputs:\n"
        "      runCommand:\n        - echo {{ nope }}\n";
    static const struct {
        const char *name;
        size_t padding;
        const char *want, *not_want;
    } cases[] = {
        {"over.yaml", (17u << 20) / 8, "SSM9170", "[SSM3030]"},
        {"under.yaml", (15u << 20) / 8, "SSM3030", "[SSM9170]"},
    };
    for (size_t i = 0; i < 2; i++) {
        FILE *f = create(cases[i].name);
        fputs(doc, f);
        fputs("# ", f);
        repeat(f, "padding ", cases[i].padding);
        fputc('\n', f);
        size_t n = finish(f);
        result r = check(cases[i].name);
        printf("%s: ", cases[i].name);
        expect(&r, 1, cases[i].want, n, 2);
        if (strstr(r.out, cases[i].not_want))
            fail("%s: expected no %s:\n%s", cases[i].name, cases[i].not_want, r.out);
        free_result(&r);
    }
}

/* --- output: nothing lost ---------------------------------------------- */

static const char *const OLD_REPORT = "the previous report, which must survive\n";

static void expect_old_file(const char *name)
{
    size_t len;
    char *data = read_all(path_in(name), &len);
    if (len != strlen(OLD_REPORT) || memcmp(data, OLD_REPORT, len) != 0)
        fail("%s was changed by a failed write: now %zu bytes '%.80s'", name, len, data);
    free(data);
}

/* No ssmc temporary file may be left next to the output after a failure. */
static void expect_no_leftovers(const char *subdir, size_t expected_entries)
{
    DIR *d = opendir(path_in(subdir));
    if (!d)
        die("opendir");
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        if (n > expected_entries)
            fail("left behind in %s: %s", subdir, e->d_name);
    }
    closedir(d);
}

/* One output option of one command, through every way a write can fail:
 * the disk fills half-way (RLIMIT_FSIZE: EFBIG), the directory is not
 * writable (as nobody), the directory is missing; then /dev/full (written in
 * place: a device cannot be renamed over). Each must exit 3 with the reason
 * on stderr, leave the previous file byte for byte, and leave no temporary
 * file behind. Finally a successful run replaces the old file whole.
 *
 * args: the ssmc arguments, with "@OUT@" where the output path goes;
 * target: the file the command writes (under out/); limit: an RLIMIT_FSIZE
 * below the output's size; success: a text the new output contains. */
static void output_case(const char *const *args, const char *target, rlim_t limit,
                        const char *success, size_t input_bytes)
{
    if (mkdir(path_in("out"), 0755) != 0 && errno != EEXIST)
        die("mkdir");
    write_text(target, OLD_REPORT);
    const char *argv[32];
    size_t n = 0;

#define WITH_OUT(value)                                                      \
    do {                                                                     \
        n = 0;                                                               \
        for (size_t i = 0; args[i]; i++)                                     \
            argv[n++] = strcmp(args[i], "@OUT@") == 0 ? (value) : args[i];   \
        argv[n] = NULL;                                                      \
    } while (0)
    const char *out_arg = strncmp(target, "out/", 4) == 0 && strstr(args[1], "dir") ? "out"
                                                                                     : target;
    for (size_t i = 0; args[i]; i++)
        if (strcmp(args[i], "--out-dir") == 0)
            out_arg = "out";
    bool out_dir = strcmp(out_arg, "out") == 0;

    /* The command's own baseline: its peak RSS on this input when all goes
     * well (plan needs more than check), written elsewhere. */
    WITH_OUT(out_dir ? "probe" : "probe.out");
    result probe = run(argv, NULL);
    if (probe.status != 0)
        fail("the command fails on a good output path: exit %d\n%s", probe.status, probe.err);
    if (probe.maxrss_kb > baseline_kb)
        baseline_kb = probe.maxrss_kb;
    free_result(&probe);

    WITH_OUT(out_arg);
    run_opts full = {.fsize = limit};
    result r = run(argv, &full);
    printf("disk full half-way: ");
    expect(&r, 3, NULL, input_bytes, 10);
    if (!strstr(r.err, "File too large"))
        fail("stderr does not give the reason (File too large): %s", r.err);
    expect_old_file(target);
    expect_no_leftovers("out", 1);
    free_result(&r);

    if (chmod(dir, 0755) != 0 || chmod(path_in("out"), 0555) != 0)
        die("chmod");
    run_opts nobody = {.as_nobody = true};
    r = run(argv, &nobody);
    printf("directory not writable: ");
    expect(&r, 3, NULL, input_bytes, 10);
    if (!strstr(r.err, "Permission denied"))
        fail("stderr does not give the reason (Permission denied): %s", r.err);
    expect_old_file(target);
    expect_no_leftovers("out", 1);
    free_result(&r);
    chmod(path_in("out"), 0755);

    if (!out_dir) {
        /* --out-dir creates missing directories; -o does not */
        WITH_OUT("missing/file");
        r = run(argv, NULL);
        printf("missing directory: ");
        expect(&r, 3, NULL, input_bytes, 10);
        free_result(&r);

        WITH_OUT("/dev/full");
        r = run(argv, NULL);
        printf("/dev/full: ");
        expect(&r, 3, NULL, input_bytes, 10);
        if (!strstr(r.err, "No space left on device"))
            fail("stderr does not give the reason (No space left on device): %s", r.err);
        free_result(&r);
    }

    WITH_OUT(out_arg);
    r = run(argv, NULL);
    printf("success: ");
    expect(&r, 0, NULL, input_bytes, 10);
    size_t len;
    char *data = read_all(path_in(target), &len);
    if (!strstr(data, success) || strstr(data, "previous report"))
        fail("the new output did not replace the old one: %.200s", data);
    free(data);
    expect_no_leftovers("out", 1);
    free_result(&r);
#undef WITH_OUT
}

/* `check -o FILE`: a report of a few KB (30 findings). */
static void case_check_output(void)
{
    FILE *f = create("many.yaml");
    fputs("schemaVersion: '2.2'\nmainSteps:\n", f);
    for (int i = 0; i < 30; i++)
        fprintf(f, "- {action: aws:runShellScript, name: s%d, inputs: {runCommand: [echo]}}\n", i);
    size_t n = finish(f);
    const char *args[] = {"check", "--shellcheck=off", "-o", "@OUT@", "many.yaml", NULL};
    output_case(args, "out/report.txt", 1000, "[SSM4006]", n);
}

static size_t write_valid(const char *name)
{
    return write_text(name, VALID_YAML);
}

static void case_compile_output(void)
{
    size_t n = write_valid("doc.yaml");
    const char *args[] = {"compile", "--shellcheck=off", "doc.yaml", "-o", "@OUT@", NULL};
    output_case(args, "out/doc.json", 100, "\"schemaVersion\": \"2.2\"", n);
}

static void case_compile_out_dir(void)
{
    size_t n = write_valid("doc.yaml");
    const char *args[] = {"compile", "--shellcheck=off", "--out-dir", "@OUT@", "doc.yaml", NULL};
    output_case(args, "out/doc.json", 100, "\"schemaVersion\": \"2.2\"", n);
}

static void case_plan_output(void)
{
    size_t n = write_valid("doc.yaml");
    /* ShellCheck off: its process (and whether the result cache holds its
     * answer) would decide the peak RSS, not the output path. */
    const char *args[] = {"plan", "--shellcheck=off", "doc.yaml", "-o", "@OUT@", NULL};
    output_case(args, "out/plan.json", 200, "\"planVersion\"", n);
}

/* ------------------------------------------------------------------ */

typedef struct hostile_case {
    const char *name;
    void (*run)(void);
} hostile_case;

static const hostile_case cases[] = {
    {"alias-bomb", case_alias_bomb},
    {"merge-bomb", case_merge_bomb},
    {"deep-yaml-flow", case_deep_yaml_flow},
    {"deep-yaml-flow-map", case_deep_yaml_flow_map},
    {"deep-yaml-block", case_deep_yaml_block},
    {"deep-yaml-block-map", case_deep_yaml_block_map},
    {"deep-json", case_deep_json},
    {"big-scalar", case_big_scalar},
    {"long-lines", case_long_lines},
    {"long-line-findings", case_long_line_findings},
    {"million-steps", case_million_steps},
    {"million-params", case_million_params},
    {"invalid-utf8", case_invalid_utf8},
    {"boms", case_boms},
    {"nul-bytes", case_nul_bytes},
    {"symlink-loop", case_symlink_loop},
    {"unreadable", case_unreadable},
    {"shrinking-fifo", case_shrinking_fifo},
    {"shrinking-file", case_shrinking_file},
    {"check-output", case_check_output},
    {"compile-output", case_compile_output},
    {"compile-out-dir", case_compile_out_dir},
    {"plan-output", case_plan_output},
    {"dev-zero", case_dev_zero},
    {"endless-stream", case_endless_stream},
    {"many-big-inputs", case_many_big_inputs},
    {"analysis-bound", case_analysis_bound},
};

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0755);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char child[4200];
                snprintf(child, sizeof child, "%s/%s", path, e->d_name);
                remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: hostile SSMC WORKDIR CASE|--list\n");
        return 2;
    }
    size_t ncases = sizeof cases / sizeof cases[0];
    if (strcmp(argv[3], "--list") == 0) {
        for (size_t i = 0; i < ncases; i++)
            printf("%s\n", cases[i].name);
        return 0;
    }
    ssmc = argv[1];
    if (ssmc[0] != '/') {
        static char abs_ssmc[4096];
        if (!getcwd(abs_ssmc, sizeof abs_ssmc - strlen(ssmc) - 2))
            die("getcwd");
        strcat(abs_ssmc, "/");
        strcat(abs_ssmc, ssmc);
        ssmc = abs_ssmc;
    }
    for (size_t i = 0; i < ncases; i++) {
        if (strcmp(cases[i].name, argv[3]) != 0)
            continue;
        mkdir(argv[2], 0755);
        snprintf(dir, sizeof dir, "%s/%s", argv[2], cases[i].name);
        remove_tree(dir);
        if (mkdir(dir, 0755) != 0)
            die(dir);
        measure_baseline();
        cases[i].run();
        remove_tree(dir);
        printf("%s: %s\n", cases[i].name, failures ? "FAILED" : "passed");
        return failures ? 1 : 0;
    }
    fprintf(stderr, "hostile: no case '%s' (--list shows them)\n", argv[3]);
    return 2;
}
