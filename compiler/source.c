/* source.c — the file table: names stored once, line maps, positions. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *base_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    return slash ? slash + 1 : name;
}

/* True when no byte of d[0, len) is >= 0x80: eight bytes at a time. */
static bool all_ascii(const char *d, size_t len)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, d + i, 8);
        acc |= w;
    }
    for (; i < len; i++)
        acc |= (unsigned char)d[i];
    return (acc & 0x8080808080808080ull) == 0;
}

/* A UTF-8 BOM is not a column. */
static size_t line_content_start(const ssmc_source *src, size_t line_index)
{
    size_t start = src->line_starts[line_index];
    if (line_index == 0 && src->len >= 3 && memcmp(src->data, "\xEF\xBB\xBF", 3) == 0)
        start = 3;
    return start;
}

/* Column marks (ssmc_source.col_marks), in one pass over the text: a mark
 * on the same line as the one before adds the code points between them. */
static void build_col_marks(ssmc_source *src)
{
    size_t n = src->len / SSMC_COL_MARK_BYTES + 1, li = 0;
    uint32_t *marks = xmalloc(n * sizeof *marks);
    for (size_t k = 0; k < n; k++) {
        size_t at = k * SSMC_COL_MARK_BYTES;
        while (li + 1 < src->line_count && src->line_starts[li + 1] <= at)
            li++;
        size_t start = line_content_start(src, li);
        size_t prev = at - SSMC_COL_MARK_BYTES;
        if (at <= start)
            marks[k] = 0;
        else if (k > 0 && start <= prev)
            marks[k] = marks[k - 1] + (uint32_t)utf8_count(src->data + prev, SSMC_COL_MARK_BYTES);
        else
            marks[k] = (uint32_t)utf8_count(src->data + start, at - start);
    }
    src->col_marks = marks;
}

static void push_line(size_t **starts, size_t *cap, size_t *n, size_t at)
{
    if (*n == *cap) {
        *cap *= 2;
        *starts = xrealloc(*starts, *cap * sizeof **starts);
    }
    (*starts)[(*n)++] = at;
}

/* Line breaks are \n, \r\n and a lone \r, as editors count them. Text
 * without a \r (nearly all) is read once, sixteen bytes at a time (SSE2),
 * for its line starts and whether it is ASCII; a memchr per line, a scan
 * for \r and one for ASCII were 2.2% of checking the corpus. Text with a
 * \r is read again byte by byte. */
static void build_line_map(ssmc_source *src)
{
    const char *d = src->data;
    size_t len = src->len;
    size_t cap = len / 32 + 16, n = 0;
    size_t *starts = xmalloc(cap * sizeof *starts);
    starts[n++] = 0;
    bool cr = false;
    unsigned high = 0;
    size_t i = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i nl = _mm_set1_epi8('\n'), ret = _mm_set1_epi8('\r');
    for (; i + 16 <= len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
        high |= (unsigned)_mm_movemask_epi8(x);
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(x, ret))) {
            cr = true;
            break;
        }
        for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, nl)); m; m &= m - 1)
            push_line(&starts, &cap, &n, i + (size_t)__builtin_ctz(m) + 1);
    }
#endif
    for (; !cr && i < len; i++) {
        unsigned char c = (unsigned char)d[i];
        high |= c & 0x80;
        if (c == '\r')
            cr = true;
        else if (c == '\n')
            push_line(&starts, &cap, &n, i + 1);
    }
    if (cr) {
        n = 1;
        for (i = 0; i < len; i++) {
            unsigned char c = (unsigned char)d[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= len || d[i + 1] != '\n')))
                push_line(&starts, &cap, &n, i + 1);
        }
    }
    src->line_starts = starts;
    src->line_count = n;
    src->ascii = cr ? all_ascii(d, len) : high == 0;
    free(src->col_marks);
    src->col_marks = NULL;
    if (!src->ascii) {
        size_t longest = 0;
        for (size_t k = 0; k < n; k++) {
            size_t end = k + 1 < n ? starts[k + 1] : len;
            if (end - starts[k] > longest)
                longest = end - starts[k];
        }
        if (longest > SSMC_COL_MARK_BYTES)
            build_col_marks(src);
    }
}

uint32_t ssmc_sources_add(ssmc_sources *sources, const char *name, char *data, size_t len)
{
    ssmc_source *src = xcalloc(1, sizeof *src);
    src->name = xstrdup(name);
    src->base_name = base_of(src->name);
    src->data = data;
    src->len = len;
    build_line_map(src);
    GROW(sources->items, sources->cap, sources->count + 1);
    sources->items[sources->count] = src;
    return (uint32_t)sources->count++;
}

uint32_t ssmc_sources_add_unread(ssmc_sources *sources, const char *name)
{
    ssmc_source *src = xcalloc(1, sizeof *src);
    src->name = xstrdup(name);
    src->base_name = base_of(src->name);
    src->released = true;
    GROW(sources->items, sources->cap, sources->count + 1);
    sources->items[sources->count] = src;
    return (uint32_t)sources->count++;
}

void source_fill(ssmc_source *src, char *data, size_t len)
{
    free(src->data);
    free(src->line_starts);
    src->data = data;
    src->len = len;
    src->released = false;
    build_line_map(src);
}

void ssmc_source_release(ssmc_source *src)
{
    if (!src || src->from_stdin || src->embedded || src->released)
        return;
    free(src->data);
    free(src->line_starts);
    free(src->col_marks);
    src->data = NULL;
    src->line_starts = NULL;
    src->col_marks = NULL;
    src->line_count = 0;
    src->released = true;
}

char *source_read_fd(int fd, size_t limit, size_t *len, bool *over)
{
    struct stat st;
    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    return source_read_fd_sized(fd, limit, regular ? (int64_t)st.st_size : -1, len, over);
}

char *source_read_fd_sized(int fd, size_t limit, int64_t regular_size, size_t *len, bool *over)
{
    buf b;
    buf_init(&b);
    *over = false;
    /* A regular file gets a buffer of its size (plus the NUL and one byte
     * to see the end of file): no doubling. Once its size is read, the
     * file is taken as it was when it was opened: one read, not a second
     * one that finds its end (a file the size does not describe, such as
     * /proc's of size 0, is read to its end and grows the buffer). */
    if (regular_size >= 0 && (uint64_t)regular_size <= (uint64_t)limit) {
        b.cap = (size_t)regular_size + 2;
        b.data = xmalloc(b.cap);
        b.data[0] = '\0';
    } else {
        buf_reserve(&b, 65536);
    }
    for (;;) {
        if (b.len > limit) {
            *over = true;
            break;
        }
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
        size_t was = b.len;
        b.len += (size_t)n;
        b.data[b.len] = '\0';
        if (regular_size > 0 && b.len == (size_t)regular_size)
            break;
        /* A stream (/dev/zero, a pipe) is read only until its first NUL
         * byte: a document with a NUL cannot be loaded, and the loader's
         * finding (the encoding, from the first four bytes, or the first
         * NUL's offset) is the same on this prefix. */
        size_t from = was > 4 ? was : 0;
        if (regular_size < 0 && b.len >= 4 && memchr(b.data + from, '\0', b.len - from))
            break;
    }
    b.data[b.len] = '\0'; /* an empty file too: sources are NUL-terminated */
    *len = b.len;
    return buf_steal(&b);
}

bool ssmc_source_reload(ssmc_source *src)
{
    if (!src || !src->released) {
        errno = EINVAL;
        return src != NULL;
    }
    int fd = open(src->name, O_RDONLY | O_NOCTTY);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return false;
    }
    size_t len;
    bool over;
    char *data = source_read_fd(fd, ssmc_limits_default().max_file_bytes, &len, &over);
    int saved = errno;
    close(fd);
    if (!data || over) {
        free(data);
        errno = data ? EFBIG : saved;
        return false;
    }
    source_fill(src, data, len);
    return true;
}

void source_replace(ssmc_sources *sources, uint32_t index, char *data, size_t len)
{
    if (index >= sources->count) {
        free(data);
        return;
    }
    source_fill(sources->items[index], data, len);
}

const ssmc_source *ssmc_sources_get(const ssmc_sources *sources, uint32_t index)
{
    return index < sources->count ? sources->items[index] : NULL;
}

void ssmc_sources_free(ssmc_sources *sources)
{
    for (size_t i = 0; i < sources->count; i++) {
        ssmc_source *src = sources->items[i];
        free(src->name);
        free(src->data);
        free(src->line_starts);
        free(src->col_marks);
        host_map_free(src->host_map);
        free(src->placeholders);
        free(src);
    }
    free(sources->items);
    sources->items = NULL;
    sources->count = sources->cap = 0;
}

static size_t line_index_of(const ssmc_source *src, size_t offset)
{
    size_t lo = 0, hi = src->line_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Code points in [from, offset) of one line whose content starts at
 * `start` <= from: from the nearest column mark when there are marks. */
static uint32_t columns_between(const ssmc_source *src, size_t start, size_t offset)
{
    if (src->ascii)
        return (uint32_t)(offset - start);
    size_t from = start;
    uint32_t base = 0;
    if (src->col_marks && offset - start > SSMC_COL_MARK_BYTES) {
        size_t at = offset / SSMC_COL_MARK_BYTES * SSMC_COL_MARK_BYTES;
        if (at > start) {
            from = at;
            base = src->col_marks[at / SSMC_COL_MARK_BYTES];
        }
    }
    return base + (uint32_t)utf8_count(src->data + from, offset - from);
}

ssmc_pos ssmc_source_pos(const ssmc_source *src, size_t offset)
{
    ssmc_pos pos = {0, 0, 0};
    if (!src)
        return pos;
    if (offset > src->len)
        offset = src->len;
    if (offset > SSMC_MAX_SOURCE_BYTES) /* ssmc_load refuses such a source */
        offset = SSMC_MAX_SOURCE_BYTES;
    size_t li = line_index_of(src, offset);
    size_t start = line_content_start(src, li);
    if (offset < start)
        offset = start;
    pos.line = (uint32_t)(li + 1);
    pos.col = 1 + columns_between(src, start, offset);
    pos.offset = (uint32_t)offset;
    return pos;
}

size_t ssmc_source_offset(const ssmc_source *src, uint32_t line, uint32_t col)
{
    if (!src || line == 0)
        return 0;
    if (line > src->line_count)
        return src->len;
    size_t start = line_content_start(src, line - 1);
    size_t end = line < src->line_count ? src->line_starts[line] : src->len;
    /* Clamp to the line's text: a column past it is not on the next line. */
    while (end > start && (src->data[end - 1] == '\n' || src->data[end - 1] == '\r'))
        end--;
    size_t off = start;
    for (uint32_t c = 1; c < col && off < end; c++) {
        off++;
        while (off < end && ((unsigned char)src->data[off] & 0xC0) == 0x80)
            off++;
    }
    return off;
}

const char *ssmc_source_line(const ssmc_source *src, uint32_t line, size_t *len)
{
    if (!src || line == 0 || line > src->line_count) {
        *len = 0;
        return "";
    }
    size_t start = line_content_start(src, line - 1);
    size_t end = line < src->line_count ? src->line_starts[line] : src->len;
    while (end > start && (src->data[end - 1] == '\n' || src->data[end - 1] == '\r'))
        end--;
    *len = end - start;
    return src->data + start;
}

/* Positions in (nearly) increasing order, as a front end asks for them:
 * within one line the column moves by the code points between the previous
 * offset and this one, so a 100 MB single-line document costs linear time
 * instead of a count from the line start for every node. */
void source_cursor_init(source_cursor *cur, const ssmc_source *source)
{
    memset(cur, 0, sizeof *cur);
    cur->source = source;
}

static size_t count_code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

ssmc_pos source_cursor_pos(source_cursor *cur, size_t offset)
{
    const ssmc_source *src = cur->source;
    if (!src)
        return (ssmc_pos){0, 0, 0};
    if (offset > src->len)
        offset = src->len;
    if (offset > SSMC_MAX_SOURCE_BYTES)
        offset = SSMC_MAX_SOURCE_BYTES;
    if (cur->valid) {
        size_t start = line_content_start(src, cur->line);
        size_t next = cur->line + 1 < src->line_count ? src->line_starts[cur->line + 1] : SIZE_MAX;
        if (offset >= start && offset < next) {
            /* In ASCII text a byte is a code point. */
            if (offset >= cur->offset)
                cur->col += (uint32_t)(src->ascii ? offset - cur->offset
                                                  : count_code_points(src->data + cur->offset, offset - cur->offset));
            else
                cur->col -= (uint32_t)(src->ascii ? cur->offset - offset
                                                  : count_code_points(src->data + offset, cur->offset - offset));
            cur->offset = offset;
            return (ssmc_pos){(uint32_t)(cur->line + 1), cur->col, (uint32_t)offset};
        }
    }
    ssmc_pos pos = ssmc_source_pos(src, offset);
    cur->valid = true;
    cur->line = pos.line - 1;
    cur->offset = pos.offset;
    cur->col = pos.col;
    return pos;
}

ssmc_span span_from_offsets(const ssmc_source *source, size_t start, size_t end)
{
    ssmc_span s;
    s.start = ssmc_source_pos(source, start);
    s.end = ssmc_source_pos(source, end);
    return s;
}

ssmc_loc loc_of_node(const ssmc_node *node)
{
    return node ? node->span : SSMC_NO_LOC;
}
