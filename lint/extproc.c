/* extproc.c — running the external checkers (ShellCheck, pyflakes): finding
 * the program, starting children without a shell (posix_spawn) with stdin
 * from /dev/null and a UTF-8 locale, draining stdout and stderr together
 * with poll(), at most two at a time, and killing a child that runs past
 * its time. What a checker's output means is its own file's business. */
#include "lint.h"

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

#define MAX_PARALLEL 2
#define MAX_OUTPUT ((size_t)64 << 20)

bool extproc_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static char **child_env(void)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = xcalloc(n + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LC_ALL=", 7) != 0)
            env[k++] = environ[i];
    /* The checkers decode their input with the locale; scripts are UTF-8. */
    env[k++] = "LC_ALL=C.UTF-8";
    env[k] = NULL;
    return env;
}

static bool start(extproc *p, char **env)
{
    int out[2], err[2];
    bool ok = false;
    p->out = p->err = -1;
    if (pipe(out) == 0) {
        if (pipe(err) == 0) {
            posix_spawn_file_actions_t fa;
            posix_spawn_file_actions_init(&fa);
            posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
            posix_spawn_file_actions_adddup2(&fa, out[1], 1);
            posix_spawn_file_actions_adddup2(&fa, err[1], 2);
            posix_spawn_file_actions_addclose(&fa, out[0]);
            posix_spawn_file_actions_addclose(&fa, err[0]);
            posix_spawn_file_actions_addclose(&fa, out[1]);
            posix_spawn_file_actions_addclose(&fa, err[1]);
            int rc = posix_spawn(&p->pid, p->argv[0], &fa, NULL, p->argv, env);
            ok = rc == 0;
            if (!ok)
                p->start_errno = rc;
            posix_spawn_file_actions_destroy(&fa);
            close(err[1]);
            if (ok) {
                p->err = err[0];
                fcntl(err[0], F_SETFD, FD_CLOEXEC);
            } else {
                close(err[0]);
            }
        } else {
            p->start_errno = errno;
        }
        close(out[1]);
        if (ok) {
            p->out = out[0];
            fcntl(out[0], F_SETFD, FD_CLOEXEC);
        } else {
            close(out[0]);
        }
    } else {
        p->start_errno = errno;
    }
    if (ok)
        clock_gettime(CLOCK_MONOTONIC, &p->started);
    p->started_ok = ok;
    return ok;
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static void drain(int *fd, buf *b, bool *truncated)
{
    char chunk[65536];
    ssize_t n = read(*fd, chunk, sizeof chunk);
    if (n > 0) {
        if (b->len + (size_t)n <= MAX_OUTPUT)
            buf_add(b, chunk, (size_t)n);
        else
            *truncated = true;
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(*fd);
        *fd = -1;
    }
}

size_t extproc_run(extproc **procs, size_t n, int timeout_ms, volatile sig_atomic_t *stop,
                   void (*done)(extproc *p, void *user), void *user)
{
    char **env = child_env();
    size_t next = 0, running = 0, started = 0;
    extproc *active[MAX_PARALLEL];
    /* Children inherit no buffered output to write twice, and what was
     * printed so far comes before anything they print. */
    fflush(NULL);
    for (;;) {
        if (stop && *stop) {
            /* A stop signal: start nothing more, kill what runs. */
            next = n;
            for (size_t r = 0; r < running; r++)
                if (!active[r]->timed_out) {
                    active[r]->timed_out = true;
                    kill(active[r]->pid, SIGKILL);
                }
        }
        while (running < MAX_PARALLEL && next < n) {
            extproc *p = procs[next++];
            if (start(p, env)) {
                active[running++] = p;
                started++;
            } else {
                done(p, user);
            }
        }
        if (running == 0)
            break;
        struct pollfd fds[2 * MAX_PARALLEL];
        size_t nfds = 0;
        for (size_t r = 0; r < running; r++) {
            if (active[r]->out >= 0)
                fds[nfds++] = (struct pollfd){active[r]->out, POLLIN, 0};
            if (active[r]->err >= 0)
                fds[nfds++] = (struct pollfd){active[r]->err, POLLIN, 0};
        }
        if (nfds)
            (void)poll(fds, (nfds_t)nfds, 200);
        for (size_t r = 0; r < running; r++) {
            extproc *p = active[r];
            for (size_t k = 0; k < nfds; k++) {
                if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                if (fds[k].fd == p->out && p->out >= 0)
                    drain(&p->out, &p->out_buf, &p->truncated);
                else if (fds[k].fd == p->err && p->err >= 0)
                    drain(&p->err, &p->err_buf, &p->truncated);
            }
            if (!p->timed_out && elapsed_ms(&p->started) > timeout_ms) {
                p->timed_out = true;
                kill(p->pid, SIGKILL);
            }
        }
        /* Reap the children whose pipes are both closed. */
        for (size_t r = 0; r < running;) {
            extproc *p = active[r];
            if (p->out >= 0 || p->err >= 0) {
                if (!p->timed_out || elapsed_ms(&p->started) < timeout_ms + 5000) {
                    r++;
                    continue;
                }
                /* Killed, but a grandchild holds the pipes: stop waiting. */
                if (p->out >= 0)
                    close(p->out);
                if (p->err >= 0)
                    close(p->err);
                p->out = p->err = -1;
            }
            while (waitpid(p->pid, &p->status, 0) < 0 && errno == EINTR)
                ;
            done(p, user);
            active[r] = active[--running];
        }
    }
    free(env);
    return started;
}

void extproc_describe_failure(const extproc *p, int timeout_ms, char *why, size_t size)
{
    if (!p->started_ok)
        snprintf(why, size, "could not be started: %s", strerror(p->start_errno));
    else if (p->timed_out)
        snprintf(why, size, "ran longer than %d s and was stopped", timeout_ms / 1000);
    else if (!WIFEXITED(p->status))
        snprintf(why, size, "was killed by signal %d", WTERMSIG(p->status));
    else
        snprintf(why, size, "exited with status %d: %.200s", WEXITSTATUS(p->status),
                 p->err_buf.len ? p->err_buf.data : "(no message)");
    for (char *c = why; *c; c++)
        if (*c == '\n')
            *c = ' ';
}

void extproc_free(extproc *p)
{
    buf_free(&p->out_buf);
    buf_free(&p->err_buf);
}

typedef struct sized {
    size_t size, index;
} sized;

static int larger_first(const void *a, const void *b)
{
    const sized *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->index < y->index ? -1 : 1;
}

size_t *extproc_balance(const size_t *sizes, size_t n, size_t parts, size_t max, size_t *part_of)
{
    sized *order = xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = (sized){sizes[i], i};
    qsort(order, n, sizeof *order, larger_first);
    size_t *bytes = xcalloc(parts, sizeof *bytes), *count = xcalloc(parts, sizeof *count);
    size_t *by_size = xmalloc((n ? n : 1) * sizeof *by_size);
    for (size_t k = 0; k < n; k++) {
        size_t best = SIZE_MAX;
        for (size_t p = 0; p < parts; p++)
            if (count[p] < max && (best == SIZE_MAX || bytes[p] < bytes[best]))
                best = p;
        size_t i = order[k].index;
        part_of[i] = best;
        count[best]++;
        bytes[best] += sizes[i] + 1;
        by_size[k] = i;
    }
    free(order);
    free(bytes);
    free(count);
    return by_size;
}
