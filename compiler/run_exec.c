/* run_exec.c — running one script process the way the agent's executer
 * does (agent/executers): in its own process group, stdout and stderr to
 * the plugin's writers, killed with its whole group (SIGKILL to -pgid) when
 * the timeout expires or the command is cancelled; the exit code is then
 * 137 (CommandStoppedPreemptivelyExitCode).
 *
 * Differences on purpose: the child gets its own session (setsid), so a
 * Ctrl-C on the terminal reaches only ssmc, which cancels the step; both
 * streams are read concurrently with poll() into bounded captures (the
 * full streams go to files in the orchestration directory), so memory does
 * not grow with output; and a descendant that keeps a pipe open after the
 * main process exited (even from another session) cannot hold the run
 * beyond the timeout. Background processes that closed the pipes survive a
 * normal exit, as they do under the agent. */
#include "emit.h"
#include "run.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

volatile sig_atomic_t run_cancel_flag;
static int wake_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    int saved = errno;
    /* SIGHUP too: a closed terminal or a stopped CI job must not leave
     * the steps' processes and the orchestration directory behind. */
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
        run_cancel_flag = 1;
    if (wake_pipe[1] >= 0) {
        ssize_t w = write(wake_pipe[1], "x", 1);
        (void)w;
    }
    errno = saved;
}

static void set_flags(int fd, int fd_flags, int fl_flags)
{
    if (fd_flags)
        fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | fd_flags);
    if (fl_flags)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | fl_flags);
}

int run_signals_install(void)
{
    if (wake_pipe[0] >= 0)
        return wake_pipe[0];
    if (pipe(wake_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++)
        set_flags(wake_pipe[i], FD_CLOEXEC, O_NONBLOCK);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   /* no SA_RESTART: poll() must return */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    return wake_pipe[0];
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Go's syscall.Errno strings are strerror's text with a lower-case first
 * letter ("no such file or directory"). */
static char *go_errno_text(int err)
{
    char *s = xstrdup(strerror(err));
    if (s[0])
        s[0] = (char)tolower((unsigned char)s[0]);
    return s;
}

/* The program's path as exec.LookPath finds it, or NULL. */
char *look_path(const char *name)
{
    if (strchr(name, '/'))
        return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *end = strchr(path, ':');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        char *cand = n ? xasprintf("%.*s/%s", (int)n, path, name) : xasprintf("./%s", name);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
            return cand;
        free(cand);
        path += n;
        if (*path == ':')
            path++;
    }
    return NULL;
}

static char **build_env(const run_env *env, size_t count)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **out = xcalloc(n + count + 1, sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool overridden = false;
        for (size_t j = 0; j < count && !overridden; j++) {
            size_t len = strlen(env[j].name);
            overridden = strncmp(environ[i], env[j].name, len) == 0 && environ[i][len] == '=';
        }
        if (!overridden)
            out[k++] = xstrdup(environ[i]);
    }
    for (size_t j = 0; j < count; j++) {
        /* a later entry of the same name wins */
        bool later = false;
        for (size_t m = j + 1; m < count && !later; m++)
            later = strcmp(env[m].name, env[j].name) == 0;
        if (!later)
            out[k++] = xasprintf("%s=%s", env[j].name, env[j].value);
    }
    out[k] = NULL;
    return out;
}

static void free_env(char **envp)
{
    for (size_t i = 0; envp[i]; i++)
        free(envp[i]);
    free(envp);
}

/* Go's exec.ExitError text for a process that died of a signal. */
static const char *signal_text(int sig)
{
    switch (sig) {
    case SIGHUP: return "hangup";
    case SIGINT: return "interrupt";
    case SIGQUIT: return "quit";
    case SIGILL: return "illegal instruction";
    case SIGABRT: return "aborted";
    case SIGFPE: return "floating point exception";
    case SIGKILL: return "killed";
    case SIGSEGV: return "segmentation fault";
    case SIGPIPE: return "broken pipe";
    case SIGALRM: return "alarm clock";
    case SIGTERM: return "terminated";
    case SIGBUS: return "bus error";
    default: return NULL;
    }
}

static void child_fail(int errfd, char stage, int err)
{
    char msg[1 + sizeof err];
    msg[0] = stage;
    memcpy(msg + 1, &err, sizeof err);
    ssize_t w = write(errfd, msg, sizeof msg);
    (void)w;
    _exit(127);
}

static int open_sink(const char *path)
{
    if (!path)
        return -1;
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/* Reads what is available on *fd; closes it at EOF. */
static void pump(int *fd, run_capture *cap, int sink)
{
    char chunk[65536];
    for (int rounds = 0; rounds < 16 && *fd >= 0; rounds++) {
        ssize_t n = read(*fd, chunk, sizeof chunk);
        if (n > 0) {
            run_capture_add(cap, chunk, (size_t)n);
            /* the file copy is best effort; the captures are the report */
            if (sink >= 0)
                (void)fd_write_all(sink, chunk, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        close(*fd);
        *fd = -1;
    }
}

static void drain_wake(int fd)
{
    char tmp[64];
    while (fd >= 0 && read(fd, tmp, sizeof tmp) > 0) {
    }
}

void run_exec(const run_exec_request *req, run_exec_result *res)
{
    memset(res, 0, sizeof *res);
    res->exit_code = 1;
    run_capture_add(&res->out, "", 0);
    run_capture_add(&res->err, "", 0);

    char *path = look_path(req->argv0);
    if (!path) {
        res->error = xasprintf("exec: \"%s\": executable file not found in $PATH", req->argv0);
        return;
    }
    int out_pipe[2], err_pipe[2], status_pipe[2];
    if (pipe(out_pipe) != 0) {
        res->error = xasprintf("pipe: %s", strerror(errno));
        free(path);
        return;
    }
    if (pipe(err_pipe) != 0) {
        res->error = xasprintf("pipe: %s", strerror(errno));
        close(out_pipe[0]), close(out_pipe[1]);
        free(path);
        return;
    }
    if (pipe(status_pipe) != 0) {
        res->error = xasprintf("pipe: %s", strerror(errno));
        close(out_pipe[0]), close(out_pipe[1]), close(err_pipe[0]), close(err_pipe[1]);
        free(path);
        return;
    }
    for (int i = 0; i < 2; i++) {
        set_flags(out_pipe[i], FD_CLOEXEC, 0);
        set_flags(err_pipe[i], FD_CLOEXEC, 0);
        set_flags(status_pipe[i], FD_CLOEXEC, 0);
    }
    char **envp = build_env(req->env, req->env_count);
    int out_sink = open_sink(req->stdout_path), err_sink = open_sink(req->stderr_path);

    /* What ssmc printed so far comes before the child's output (stderr is
     * fully buffered when it is not a terminal). */
    fflush(NULL);
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        /* the child: only async-signal-safe calls from here on */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        for (int s = 1; s < 32; s++)
            if (s != SIGKILL && s != SIGSTOP)
                sigaction(s, &dfl, NULL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        setsid();
        if (req->working_dir && req->working_dir[0] && chdir(req->working_dir) != 0)
            child_fail(status_pipe[1], 'd', errno);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_pipe[1], 1) < 0 ||
            dup2(err_pipe[1], 2) < 0)
            child_fail(status_pipe[1], 'f', errno);
        execve(path, (char *const *)req->argv, envp);
        child_fail(status_pipe[1], 'e', errno);
    }
    int fork_errno = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(out_pipe[1]);
    close(err_pipe[1]);
    close(status_pipe[1]);
    free_env(envp);
    if (pid < 0) {
        res->error = xasprintf("fork/exec %s: %s", path, strerror(fork_errno));
        close(out_pipe[0]), close(err_pipe[0]), close(status_pipe[0]);
        if (out_sink >= 0)
            close(out_sink);
        if (err_sink >= 0)
            close(err_sink);
        free(path);
        return;
    }
    setpgid(pid, pid);   /* harmless after the child's setsid; closes the race before it */

    /* Did exec succeed? The status pipe closes on exec (CLOEXEC). */
    char msg[1 + sizeof(int)];
    ssize_t got;
    do
        got = read(status_pipe[0], msg, sizeof msg);
    while (got < 0 && errno == EINTR);
    close(status_pipe[0]);
    if (got == (ssize_t)sizeof msg) {
        int err;
        memcpy(&err, msg + 1, sizeof err);
        char *text = go_errno_text(err);
        if (msg[0] == 'd')
            res->error = xasprintf("chdir %s: %s", req->working_dir, text);
        else
            res->error = xasprintf("fork/exec %s: %s", path, text);
        free(text);
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
        close(out_pipe[0]), close(err_pipe[0]);
        if (out_sink >= 0)
            close(out_sink);
        if (err_sink >= 0)
            close(err_sink);
        free(path);
        return;
    }
    free(path);
    res->started = true;

    int out_fd = out_pipe[0], err_fd = err_pipe[0];
    set_flags(out_fd, 0, O_NONBLOCK);
    set_flags(err_fd, 0, O_NONBLOCK);
    int64_t timeout_ms = (int64_t)(req->timeout * 1000.0 + 0.5);
    if (timeout_ms < 1)
        timeout_ms = 1;
    int64_t deadline = now_ms() + timeout_ms;
    bool exited = false;
    int wstatus = 0;
    for (;;) {
        if (!exited) {
            pid_t w = waitpid(pid, &wstatus, WNOHANG);
            if (w == pid)
                exited = true;
        }
        if (exited && out_fd < 0 && err_fd < 0)
            break;
        if (req->cancel && *req->cancel) {
            res->killed_by = 'C';
            break;
        }
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            res->killed_by = 'T';
            break;
        }
        struct pollfd fds[3];
        nfds_t n = 0;
        int idx_out = -1, idx_err = -1;
        if (out_fd >= 0) {
            idx_out = (int)n;
            fds[n++] = (struct pollfd){.fd = out_fd, .events = POLLIN};
        }
        if (err_fd >= 0) {
            idx_err = (int)n;
            fds[n++] = (struct pollfd){.fd = err_fd, .events = POLLIN};
        }
        if (req->wake_fd >= 0)
            fds[n++] = (struct pollfd){.fd = req->wake_fd, .events = POLLIN};
        /* SIGCHLD wakes us through wake_fd; the cap covers callers without it. */
        int wait = left < 250 ? (int)left : 250;
        int rc = poll(fds, n, wait);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc > 0) {
            if (idx_out >= 0 && fds[idx_out].revents)
                pump(&out_fd, &res->out, out_sink);
            if (idx_err >= 0 && fds[idx_err].revents)
                pump(&err_fd, &res->err, err_sink);
        }
        drain_wake(req->wake_fd);
    }
    if (res->killed_by) {
        /* executers_unix.go killProcess: SIGKILL to the whole group */
        kill(-pid, SIGKILL);
        if (!exited) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
            }
        }
        res->exit_code = RUN_EXIT_KILLED;
        res->error = xstrdup(res->killed_by == 'T' ? "Process timed out" : "Cancelled process");
    } else if (WIFEXITED(wstatus)) {
        res->exit_code = WEXITSTATUS(wstatus);
        if (res->exit_code != 0)
            res->error = xasprintf("exit status %d", res->exit_code);
    } else if (WIFSIGNALED(wstatus)) {
        /* Go's ExitStatus() is -1 for a signalled process */
        int sig = WTERMSIG(wstatus);
        const char *t = signal_text(sig);
        res->exit_code = -1;
        res->error = t ? xasprintf("signal: %s", t) : xasprintf("signal %d", sig);
    }
    if (out_fd >= 0)
        close(out_fd);
    if (err_fd >= 0)
        close(err_fd);
    if (out_sink >= 0)
        close(out_sink);
    if (err_sink >= 0)
        close(err_sink);
}

void run_exec_result_free(run_exec_result *res)
{
    run_capture_free(&res->out);
    run_capture_free(&res->err);
    free(res->error);
    memset(res, 0, sizeof *res);
}
