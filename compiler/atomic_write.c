/* atomic_write.c — replace a file so that readers see the old bytes or the
 * new bytes, never a mixture, and a failure leaves the old file alone. */
#include "emit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool fd_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* A device, FIFO or terminal cannot be replaced by a rename; it is written
 * in place (this is what `-o /dev/stdout` and `-o /dev/full` mean). */
static bool write_in_place(const char *path, const void *data, size_t len, char **error)
{
    int fd = open(path, O_WRONLY | O_TRUNC);
    if (fd < 0) {
        *error = xasprintf("cannot open %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = fd_write_all(fd, data, len);
    int err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok)
        *error = xasprintf("cannot write %s: %s", path, strerror(err));
    return ok;
}

bool atomic_write_file(const char *path, const void *data, size_t len, char **error)
{
    *error = NULL;
    struct stat st, lst;
    bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        *error = xasprintf("cannot write %s: it is a directory", path);
        return false;
    }
    if (exists && !S_ISREG(st.st_mode))
        return write_in_place(path, data, len, error);
    /* A symlink is replaced by a new regular file (the rename below replaces
     * the link, not its target), so nothing of the target is kept: not its
     * bytes and not its mode. */
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        exists = false;

    char *dir = dir_of(path);
    char *tmp = xasprintf("%s.ssmc-tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        *error = xasprintf("cannot create a file in %s: %s", dir, strerror(errno));
        free(tmp);
        free(dir);
        return false;
    }
    /* mkstemp makes 0600. A new file gets 0644 less the umask; a replaced
     * regular file keeps its read and execute bits and its owner's write
     * bit, but never setuid, setgid, sticky or a group or other write bit
     * (issue 18: an output must not inherit what a hostile file had). */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 0755;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0644 & ~mask;
    }
    const char *step = "write";
    bool ok = fd_write_all(fd, data, len);
    if (ok && fchmod(fd, mode) != 0)
        ok = false, step = "set the mode of";
    if (ok && fsync(fd) != 0)
        ok = false, step = "flush";
    int err = errno;
    if (close(fd) != 0 && ok)
        ok = false, step = "close", err = errno;
    if (ok && rename(tmp, path) != 0)
        ok = false, step = "replace", err = errno;
    if (!ok) {
        *error = xasprintf("cannot %s %s: %s", step, path, strerror(err));
        unlink(tmp);
    } else {
        /* Make the rename itself durable; failure here loses nothing. */
        int dfd = open(dir, O_RDONLY);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    free(tmp);
    free(dir);
    return ok;
}
