/*
 * internal.h — helpers shared by the stages of libssmc; not installed.
 *
 * Naming: each file's cross-file functions carry its prefix (arena_, buf_,
 * utf8_, ...); file-local helpers are static.
 */
#ifndef SSMC_INTERNAL_H
#define SSMC_INTERNAL_H

#include "ssmc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

#if defined(__GNUC__)
#define SSMC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SSMC_NORETURN __attribute__((noreturn))
#else
#define SSMC_PRINTF(f, a)
#define SSMC_NORETURN
#endif

/* Out-of-memory policy, decided once: inputs are bounded by ssmc_limits, so
 * running out of memory is a fault of the machine, not of the input. The
 * allocation wrappers call ssmc_out_of_memory(), which aborts. */
SSMC_NORETURN void ssmc_out_of_memory(void);
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
char *xasprintf(const char *fmt, ...) SSMC_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap);

/* Grows *items (of elem bytes each) so that it holds at least need. */
void grow_array(void **items, size_t *cap, size_t need, size_t elem);
#define GROW(arr, cap, need) grow_array((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* --- arena: one per document, freed in one call --------------------- */
ssmc_arena *arena_new(void);
void arena_free(ssmc_arena *arena);
void *arena_alloc(ssmc_arena *arena, size_t size);       /* zeroed, 16-aligned */
/* not 16-aligned: strings are packed */
char *arena_strndup(ssmc_arena *arena, const char *s, size_t len);
char *arena_strdup(ssmc_arena *arena, const char *s);
size_t arena_bytes(const ssmc_arena *arena);

/* --- growable byte buffer ------------------------------------------- */
typedef struct buf {
    char *data;   /* always NUL-terminated when non-NULL */
    size_t len, cap;
} buf;

void buf_init(buf *b);
void buf_free(buf *b);
void buf_reserve(buf *b, size_t extra);
void buf_add(buf *b, const void *data, size_t len);
void buf_adds(buf *b, const char *s);
void buf_addc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) SSMC_PRINTF(2, 3);
char *buf_steal(buf *b);   /* returns data (never NULL), resets b */

/* --- hash index (hash_index.c) --------------------------------------- */

/* An open-addressing index over an array its user keeps: a slot holds an
 * element's number + 1 (0: free) and, beside it, the element's hash, so a
 * look-up of an element that is not there (most) reads one small array.
 * At most half full, so probes stay short. Look-up:
 *   for (size_t s = h & (x->slots - 1); x->at[s]; s = (s + 1) & (x->slots - 1))
 *       if (x->hash[s] == h && <element x->at[s] - 1 equals the key>) ... */
typedef struct hash_index {
    uint64_t *hash;
    uint32_t *at;
    size_t slots;           /* a power of two */
} hash_index;
void hash_index_init(hash_index *x, size_t slots);
void hash_index_free(hash_index *x);
/* Element number n (0-based; the array now holds n + 1) under hash h,
 * the index grown first when it would be more than half full. */
void hash_index_add(hash_index *x, uint64_t h, size_t n);
#define HASH_SEED 0xcbf29ce484222325u
/* Not cryptographic: equal candidates are compared whole. */
uint64_t hash_mix(uint64_t h, const void *data, size_t len);
/* Length and both ends of a text: enough to tell scripts apart in
 * practice, where a hash of every byte would cost a pass over each. */
uint64_t hash_text_ends(const char *s, size_t len);

/* --- UTF-8 ------------------------------------------------------------ */
/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid there.
 * Rejects overlongs, surrogates and code points above U+10FFFF. */
size_t utf8_valid_len(const unsigned char *s, size_t avail);
/* Offset of the first invalid byte, or len if all valid. */
size_t utf8_first_invalid(const char *s, size_t len);
/* Number of code points in a valid (or best-effort invalid) byte range. */
size_t utf8_count(const char *s, size_t len);
/* A copy of len bytes of s for a message, each NUL written as \u0000: a
 * message is a C string, and a name cut at its NUL would hide what follows
 * (malloc'd). */
char *text_shown(const char *s, size_t len);
/* Appends code point cp as UTF-8. */
void utf8_encode(buf *b, uint32_t cp);

/* The offset of the first byte of s[0, len) that a JSON string cannot hold
 * as it is (below 0x20, '"' or '\\'), or len: for the loops over every
 * byte of every string (the JSON reader, the compact-JSON size). Sixteen
 * bytes at a time with SSE2, else eight with the classic word tests
 * (exact about whether such a byte exists and about the lowest one; above
 * a true hit a borrow can flag a byte that is not). */
static inline size_t json_first_escape(const char *s, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i ctl = _mm_set1_epi8(0x1f), quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    for (; i + 16 <= len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl), /* x <= 0x1f */
                                   _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (uint64_t w; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        uint64_t hit = (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs;
        if (hit) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return i + (size_t)__builtin_ctzll(hit) / 8;
#else
            break;
#endif
        }
    }
    while (i < len && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
        i++;
    return i;
}

/* --- strings ---------------------------------------------------------- */
/* Damerau-free Levenshtein distance, capped: returns cap+1 once above cap. */
size_t edit_distance(const char *a, const char *b, size_t cap);
/* Best "did you mean" candidate among names[0..count), or NULL when none is
 * close enough. Case-insensitive equality counts as distance 0. */
const char *did_you_mean(const char *word, const char *const *names, size_t count);
bool str_eq_nocase(const char *a, const char *b);

/* --- diagnostics ------------------------------------------------------ */
/* Frees what one finding owns (message, related positions, ...), not the
 * finding itself: for passes that drop findings from a list in place. */
void diag_free_fields(ssmc_diag *d);
/* Forgets a finding's fix (its edits no longer name the right bytes). */
void diag_drop_fixes(ssmc_diag *d);

/* --- programs ------------------------------------------------------------ */
/* The path of an executable as Go's exec.LookPath finds it (a name with a
 * slash as is, else the first match on $PATH), malloc'd, or NULL
 * (compiler/run_exec.c). */
char *look_path(const char *name);

/* --- sources ---------------------------------------------------------- */
/* Gives source index new bytes (owned, malloc'd with room for a NUL), same
 * name: `ssmc check --fix` re-checks a file under its index after fixing. */
void source_replace(ssmc_sources *sources, uint32_t index, char *data, size_t len);
/* Gives a source (a released one too) these bytes and a new line map. */
void source_fill(ssmc_source *src, char *data, size_t len);
/* Reads fd to its end or to limit + 1 bytes (then *over), NUL-terminated;
 * a stream stops at its first NUL byte. NULL with errno on a read error. */
char *source_read_fd(int fd, size_t limit, size_t *len, bool *over);
/* The same for a caller that has the fstat already: the size of a regular
 * file, or -1. */
char *source_read_fd_sized(int fd, size_t limit, int64_t regular_size, size_t *len, bool *over);

/* --- fixes (compiler/fix.c) ------------------------------------------- */
/* Appends text as a scalar in the given style: plain only when it reads back
 * as the same string (and !force_quotes), double-quoted for JSON and
 * double-quoted YAML or when it holds control characters, else single-quoted. */
void fix_scalar_text(buf *out, ssmc_style style, const char *text, bool force_quotes);
/* Attaches to diag an edit that replaces a plain or quoted scalar node with
 * text, keeping the node's quoting where it can (see fix_scalar_text).
 * Returns false (no edit) for block scalars, aliased nodes and bad spans. */
bool fix_replace_scalar(ssmc_diag *diag, const ssmc_sources *sources, const ssmc_node *node,
                        const char *text, bool force_quotes);
/* Attaches an edit that quotes a plain (or JSON number/bool) scalar as the
 * string it is written as: schemaVersion: 2.2 -> '2.2'. */
bool fix_quote_scalar(ssmc_diag *diag, const ssmc_sources *sources, const ssmc_node *node);

/* Fixing one file the way `ssmc check --fix` does, for it and for the
 * language server's fix-all action: the two must give the same bytes. */
typedef struct fix_hooks {
    /* Checks source `file` again and appends its findings, configuration
     * applied (its old findings are already dropped from diags). */
    void (*check)(void *user, uint32_t file, ssmc_diags *diags);
    /* A finding whose fix is in the result, by rule id ("SSM2002", or the
     * external tool's own); may be NULL. */
    void (*fixed)(void *user, const char *rule_id);
    void *user;
} fix_hooks;
/* Applies the fixes of the findings about `file` in passes: each pass
 * takes every fix ssmc_fix_apply can apply together, gives the source the
 * new bytes and checks it again, until nothing is left to apply or after
 * FIX_MAX_PASSES (a fix may make room for another; the cap stops two that
 * undo each other). A pass that leaves more errors than before is undone
 * and ends the fixing: a fix never makes a document worse. diags then
 * holds the findings of the file as it is. Returns the findings fixed. */
#define FIX_MAX_PASSES 10
size_t fix_file(ssmc_sources *sources, uint32_t file, ssmc_diags *diags, const fix_hooks *hooks);
/* Drops from diags the findings about `file`. */
void fix_drop_findings(ssmc_diags *diags, uint32_t file);

/* --- spans ------------------------------------------------------------ */
ssmc_loc loc_of_node(const ssmc_node *node);
/* An embedded source's map to its host bytes (compiler/iac/embed.c). */
void host_map_free(struct ssmc_host_map *map);
/* The offsets [a, b) of a source (a function, not a compound literal, so
 * that it is one argument of the ssmc_diag_add macro). */
static inline ssmc_loc loc_between(size_t a, size_t b)
{
    return (ssmc_loc){(uint32_t)a, (uint32_t)b};
}
/* Line 1, column 1: a finding about a whole file. In parentheses so that
 * it is one argument of the ssmc_diag_add macro. */
#define FILE_START_SPAN ((ssmc_span){{1, 1, 0}, {1, 1, 0}})
/* A span from two byte offsets of one source. */
ssmc_span span_from_offsets(const ssmc_source *source, size_t start, size_t end);

/* Byte offsets to positions in (nearly) increasing order in time linear in
 * the distance walked (compiler/source.c); ssmc_source_pos counts from the
 * line start each time, which is quadratic on a huge single-line document. */
typedef struct source_cursor {
    const ssmc_source *source;
    size_t line;      /* 0-based line of offset */
    size_t offset;
    uint32_t col;
    bool valid;
} source_cursor;
void source_cursor_init(source_cursor *cur, const ssmc_source *source);
ssmc_pos source_cursor_pos(source_cursor *cur, size_t offset);

/* Debug checker of tree invariants (compiler/tree_check.c), as cmark has
 * cmark_node_check: spans ordered and inside the source, children inside
 * their parents (except shared aliased or merged ones), weights consistent,
 * map pairs complete. Returns true when sound; otherwise writes the first
 * violation to why. */
bool tree_check(const ssmc_sources *sources, const ssmc_document *doc, char *why, size_t why_len);

/* --- loaders ---------------------------------------------------------- */
/* Loader context shared by the YAML and JSON front ends. */
typedef struct loader {
    const ssmc_source *source;
    uint32_t file;
    ssmc_document *doc;
    ssmc_diags *diags;
    ssmc_limits limits;
    size_t nodes;           /* nodes created so far */
    size_t alias_weight;    /* nodes added by alias expansion so far */
    bool failed;            /* a fatal error stopped the load */
    bool data_file;         /* ssmc_load_options.data_file */
} loader;

ssmc_node *loader_new_node(loader *ld, ssmc_node_type type, ssmc_style style, ssmc_loc span);
/* Reports duplicate keys of a finished mapping (related: first occurrence)
 * and drops all but the last pair of each key. */
void loader_check_duplicate_keys(loader *ld, ssmc_node *map);

void load_yaml(loader *ld);
void load_json(loader *ld);



/* --- stages called by ssmc_check_documents (compiler/check.c) ---------- */
/* Document kinds, schema, parameters, steps (compiler/validate.c and the
 * files it calls). Called only for documents whose syntax_ok is true. */
void validate_document(const ssmc_sources *sources, ssmc_document *document,
                       const ssmc_config *config, ssmc_diags *diags);
/* Shell and PowerShell lint of every script step of the run (lint/). */
void lint_documents(const ssmc_sources *sources, ssmc_document **documents, size_t count,
                    const ssmc_config *config, ssmc_diags *diags);
/* The same one document at a time, so that a caller can free each tree
 * once it is checked (only ShellCheck's scripts are kept until lint_end). */
typedef struct lint_run lint_run;
lint_run *lint_begin(const ssmc_config *config);
/* How many scripts the run keeps for the external checkers: each points at
 * its source, which must stay in memory until lint_end. */
size_t lint_kept(const lint_run *run);
/* A document of more source bytes than this has its syntax, schemaVersion
 * and size checked (SSM9170), no more: no steps, no lint, no ShellCheck. */
#define SSMC_ANALYSIS_BYTES ((size_t)16 << 20)
/* ssmc_diags_to_host for the findings from index first on. */
void diags_to_host_from(const ssmc_sources *sources, ssmc_diags *diags, size_t first);
void lint_document(lint_run *run, const ssmc_sources *sources, ssmc_document *document,
                   ssmc_diags *diags);
void lint_end(lint_run *run, const ssmc_sources *sources, const ssmc_config *config,
              ssmc_diags *diags);
/* check.c: ssmc_check_documents one document at a time (validate and
 * built-in lint), then check_end (ShellCheck, suppressions, severities).
 * The findings are those ssmc_check_documents gives, in the same order per
 * file. */
void check_document(const ssmc_sources *sources, ssmc_document *document,
                    const ssmc_config *config, lint_run *lint, ssmc_diags *diags);
void check_end(const ssmc_sources *sources, const ssmc_config *config, lint_run *lint,
               ssmc_diags *diags);
/* Host files (compiler/iac/): is this kind one that holds documents, and
 * check every document in it (ssmc_host_extract, then check_document with
 * the document type the host declares). */
bool iac_is_host(ssmc_host_kind kind);
void iac_check_host(ssmc_sources *sources, uint32_t file, ssmc_host_kind kind,
                    const ssmc_config *config, lint_run *lint, ssmc_diags *diags);
/* Drops the findings that `# ssmc-disable-next-line RULE` and
 * `# ssmc-disable RULE` ... `# ssmc-enable RULE` comments of the YAML
 * sources suppress (lint/suppress.c); called at the end of lint_documents. */
void suppress_apply(const ssmc_sources *sources, ssmc_diags *diags);
#endif /* SSMC_INTERNAL_H */
