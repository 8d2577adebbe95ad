/* runstat.c — runs a command and prints its wall time (s), peak RSS (KiB),
 * exit status and CPU time (user + system, s) as
 * "seconds maxrss_kib exit cpu_seconds", for the benchmark script. Output of
 * the command goes to /dev/null.
 *
 *   runstat [-r RUNS] COMMAND [ARG...]
 *
 * With -r it runs the command RUNS times and reports the fastest wall time
 * (and its CPU time), the largest peak RSS and the last exit status: the
 * minimum is the figure least disturbed by other load on the machine. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int main(int argc, char **argv)
{
    int runs = 1, first = 1;
    if (argc > 2 && strcmp(argv[1], "-r") == 0) {
        runs = atoi(argv[2]);
        first = 3;
    }
    if (argc <= first || runs < 1) {
        fprintf(stderr, "usage: runstat [-r RUNS] COMMAND [ARG...]\n");
        return 2;
    }
    double best = -1, best_cpu = 0;
    long maxrss = 0;
    int code = 0;
    for (int r = 0; r < runs; r++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execvp(argv[first], argv + first);
            _exit(127);
        }
        int status = 0;
        struct rusage ru;
        if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
            perror("runstat");
            return 3;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (best < 0 || secs < best) {
            best = secs;
            best_cpu = seconds(ru.ru_utime) + seconds(ru.ru_stime);
        }
        if (ru.ru_maxrss > maxrss)
            maxrss = ru.ru_maxrss;
        code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    printf("%.6f %ld %d %.6f\n", best, maxrss, code, best_cpu);
    return 0;
}
