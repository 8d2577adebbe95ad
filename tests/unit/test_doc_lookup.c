/* test_doc_lookup.c — a called document's file is found from a listing of
 * its directory (doc_lookup.c), which must never hide a file that is
 * there: a file added later is found, whether the directory changed just
 * now (its mtime too coarse to tell: the disk answers) or long ago (the
 * listing is made again when the mtime moves). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doc_lookup.h"

static char dir[] = "/tmp/ssmc-lookup-XXXXXX";

static void touch(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("schemaVersion: '2.2'\n", f);
    fclose(f);
}

/* The directory's mtime, seconds ago: old enough to be listed. */
static void age_dir(int seconds_ago)
{
    struct timespec t[2];
    clock_gettime(CLOCK_REALTIME, &t[0]);
    t[0].tv_sec -= seconds_ago;
    t[1] = t[0];
    assert_int_equal(utimensat(AT_FDCWD, dir, t, 0), 0);
}

static void assert_found(const char *name, const char *file)
{
    const char *dirs[] = {dir};
    char *p = doc_lookup_find(name, dirs, 1);
    if (!file) {
        assert_null(p);
        return;
    }
    assert_non_null(p);
    char want[128];
    snprintf(want, sizeof want, "%s/%s", dir, file);
    assert_string_equal(p, want);
    free(p);
}

static void test_added_files_are_found(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    /* Changed just now: looked up on disk, for a file may be added within
     * the same tick of the mtime (here: the mtime set back to what the
     * first look-up saw). */
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_found("Doc", NULL);
    touch("Doc.yaml");
    struct timespec same[2] = {st.st_mtim, st.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, dir, same, 0), 0);
    assert_found("Doc", "Doc.yaml");
    assert_found("Doc:3", "Doc.yaml");
    /* Long unchanged: from the listing, which knows what is absent. */
    age_dir(60);
    assert_found("Doc", "Doc.yaml");
    assert_found("Other", NULL);
    /* A file added since: the directory's mtime moved, so it is listed
     * again (set apart from the first listing's even on a coarse clock). */
    touch("Other.json");
    age_dir(30);
    assert_found("Other", "Other.json");
    /* .yaml before .yml before .json, from the listing as from the disk. */
    touch("Other.yml");
    age_dir(20);
    assert_found("Other", "Other.yml");
    /* A removed file is no longer found. */
    char path[128];
    snprintf(path, sizeof path, "%s/Other.yml", dir);
    unlink(path);
    age_dir(10);
    assert_found("Other", "Other.json");
    snprintf(path, sizeof path, "%s/Other.json", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/Doc.yaml", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_added_files_are_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
