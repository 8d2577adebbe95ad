/* lsp_io.c — JSON-RPC framing of LSP: "Content-Length: N\r\n\r\n" and N
 * bytes of JSON. A framing error never stops reading: the bad header block
 * (or an oversized body) is dropped and the caller answers with an error. */
#include "lsp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void lsp_reader_init(lsp_reader *r, int fd)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    buf_init(&r->in);
}

void lsp_reader_free(lsp_reader *r)
{
    buf_free(&r->in);
}

bool lsp_reader_fill(lsp_reader *r)
{
    /* Drop what has been consumed before growing. */
    if (r->consumed) {
        memmove(r->in.data, r->in.data + r->consumed, r->in.len - r->consumed);
        r->in.len -= r->consumed;
        r->in.data[r->in.len] = '\0';
        r->consumed = 0;
    }
    buf_reserve(&r->in, 65536);
    for (;;) {
        ssize_t n = read(r->fd, r->in.data + r->in.len, r->in.cap - r->in.len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            r->eof = true;
            return false;
        }
        r->in.len += (size_t)n;
        r->in.data[r->in.len] = '\0';
        return true;
    }
}

/* The value of the Content-Length header of a header block, or -1 when it
 * is missing, repeated or not a number. */
static long long content_length(const char *h, size_t len)
{
    long long value = -1;
    size_t i = 0;
    while (i < len) {
        const char *eol = memchr(h + i, '\r', len - i);
        size_t line_len = eol ? (size_t)(eol - (h + i)) : len - i;
        const char *line = h + i;
        static const char name[] = "Content-Length:";
        if (line_len >= sizeof name - 1 && strncasecmp(line, name, sizeof name - 1) == 0) {
            if (value >= 0)
                return -1;
            size_t k = sizeof name - 1;
            while (k < line_len && (line[k] == ' ' || line[k] == '\t'))
                k++;
            if (k == line_len)
                return -1;
            long long v = 0;
            for (; k < line_len; k++) {
                if (line[k] == ' ' || line[k] == '\t')
                    break;
                if (line[k] < '0' || line[k] > '9' || v > (long long)LSP_MAX_BODY * 16)
                    return -1;
                v = v * 10 + (line[k] - '0');
            }
            for (; k < line_len; k++)
                if (line[k] != ' ' && line[k] != '\t')
                    return -1;
            value = v;
        }
        i += line_len + 2; /* the \r\n */
    }
    return value;
}

lsp_frame lsp_reader_next(lsp_reader *r, char **body, size_t *len, char **error)
{
    *body = NULL;
    *error = NULL;
    const char *p = r->in.data ? r->in.data + r->consumed : "";
    size_t avail = r->in.len - r->consumed;
    if (r->skip) {
        size_t n = r->skip < avail ? r->skip : avail;
        r->skip -= n;
        r->consumed += n;
        p += n;
        avail -= n;
        if (r->skip)
            return LSP_FRAME_NONE;
    }
    if (!avail)
        return LSP_FRAME_NONE;
    const char *end = NULL;
    for (const char *q = p; q + 3 < p + avail; q++) {
        q = memchr(q, '\r', (size_t)(p + avail - q));
        if (!q || q + 3 >= p + avail)
            break;
        if (q[1] == '\n' && q[2] == '\r' && q[3] == '\n') {
            end = q;
            break;
        }
    }
    if (!end) {
        if (avail <= LSP_MAX_HEADER)
            return LSP_FRAME_NONE;
        r->consumed += avail;
        *error = xasprintf("no end of the message header within %u bytes", LSP_MAX_HEADER);
        return LSP_FRAME_ERROR;
    }
    size_t header_len = (size_t)(end - p);
    long long n = content_length(p, header_len);
    if (n < 0) {
        r->consumed += header_len + 4;
        *error = xstrdup("a message header without a valid Content-Length");
        return LSP_FRAME_ERROR;
    }
    if ((unsigned long long)n > LSP_MAX_BODY) {
        r->consumed += header_len + 4;
        r->skip = (size_t)n;
        *error = xasprintf("a message of %lld bytes is larger than the %u bytes accepted", n,
                           LSP_MAX_BODY);
        return LSP_FRAME_ERROR;
    }
    if (avail - (header_len + 4) < (size_t)n)
        return LSP_FRAME_NONE;
    *body = xstrndup(p + header_len + 4, (size_t)n);
    *len = (size_t)n;
    r->consumed += header_len + 4 + (size_t)n;
    return LSP_FRAME_MESSAGE;
}

bool lsp_write_body(int fd, const char *body, size_t len)
{
    char header[64];
    int h = snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n", len);
    return fd_write_all(fd, header, (size_t)h) && fd_write_all(fd, body, len);
}

bool lsp_write(int fd, json_t *message)
{
    /* Compact, keys in insertion order, non-ASCII kept as UTF-8. */
    char *body = json_dumps(message, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(message);
    if (!body)
        ssmc_out_of_memory();
    bool ok = lsp_write_body(fd, body, strlen(body));
    free(body);
    return ok;
}
