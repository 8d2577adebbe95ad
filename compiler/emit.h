/* emit.h — outputs of `ssmc compile`: canonical JSON and normalized YAML of
 * a document tree, the 1.2 -> 2.2 migration, SHA-256 and atomic file
 * writes. Internal to libssmc and the CLI; not installed. */
#ifndef SSMC_EMIT_H
#define SSMC_EMIT_H

#include "internal.h"

/* --- canonical JSON (emit_json.c) ------------------------------------ */

typedef struct emit_options {
    bool compact;        /* no indentation, no spaces ("{"a":1}") */
    bool canonical_order; /* document key order (schemaVersion, description, ...) */
    /* When set, the text the caller compares the output with: emit_json
     * returns true only when it wrote exactly that text, and stops early,
     * returning false with *bad NULL, once what it wrote differs from it
     * (a file that is not the tree compiled is told without compiling all
     * of it). */
    const char *expect;
    size_t expect_len;
} emit_options;

/* Appends the JSON text of node (and a trailing newline when top is true)
 * to out. Returns false, with *bad set to the offending node, when a value
 * has no JSON form (NaN or infinity); out is then incomplete. With
 * options->expect, also false (and *bad NULL) when the output is not that
 * text. */
bool emit_json(buf *out, const ssmc_node *root, const emit_options *options,
               const ssmc_node **bad);

/* One JSON string literal of s (minimal escaping: '"', '\\' and control
 * characters; non-ASCII raw). */
void emit_json_string(buf *out, const char *s, size_t len);

/* The shortest decimal text that reads back as the same double, always with
 * a '.' or an exponent so that a reader keeps it a float ("1.0",
 * "1.0e+20"). NaN and infinities give false. */
bool emit_format_double(double d, char out[40]);
/* The number's text as written, when it is a JSON number (RFC 8259
 * grammar) and the node came from JSON or a YAML plain scalar: emitted as
 * it is, so 1.0, 1e5, -0 and integers beyond 64 bits keep their exact
 * text through JSON and YAML output alike. NULL otherwise. */
const char *emit_number_text(const ssmc_node *n, size_t *len);

/* The canonical position of a key at a level of an SSM document (used by the
 * emitters and by the migration): smaller sorts first; unknown keys return
 * SIZE_MAX and keep their source order after the known ones. */
typedef enum emit_level {
    LEVEL_TOP,          /* the document */
    LEVEL_PARAMETER,    /* one parameter definition */
    LEVEL_STEP,         /* one mainSteps item */
    LEVEL_PLUGIN,       /* one runtimeConfig plugin */
    LEVEL_OTHER
} emit_level;

/* The pairs of map in canonical order for level (an array of count
 * pointers, malloc'd; the caller frees it). */
const ssmc_pair **emit_ordered_pairs(const ssmc_node *map, emit_level level);

/* --- normalized YAML (emit_yaml.c) ----------------------------------- */

/* Appends normalized YAML (libyaml's emitter; strings quoted wherever a
 * YAML 1.1 or 1.2 reader would give them another type). Returns false with
 * a message in *error (malloc'd) on failure. */
bool emit_yaml(buf *out, const ssmc_node *root, const ssmc_node **bad, char **error);

/* True when a plain scalar with this text could be read as anything but a
 * string by a YAML 1.1 or 1.2 reader (or would lose leading/trailing
 * spaces). */
bool emit_yaml_needs_quotes(const char *s, size_t len);

/* --- migration (migrate.c) ------------------------------------------- */

/* Builds, in the document's arena, a schema 2.2 tree from a schema 1.2
 * document (runtimeConfig -> mainSteps); info findings say what changes in
 * meaning. Returns NULL (with an error finding) when the document is not a
 * 1.2 runtimeConfig document. */
ssmc_node *migrate_to_22(ssmc_document *document, ssmc_diags *diags);

/* --- SHA-256 (sha256.c) --------------------------------------------- */

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} sha256_ctx;

void sha256_init(sha256_ctx *ctx);
void sha256_update(sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(sha256_ctx *ctx, unsigned char digest[32]);
/* Lower-case hex of the digest of data: 64 characters and a NUL. */
void sha256_hex(const void *data, size_t len, char hex[65]);

/* --- atomic file write (atomic_write.c) ------------------------------ */

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename over path (keeping an existing file's permission bits),
 * fsync of the directory. On failure nothing at path changes, the
 * temporary file is removed, and *error (malloc'd) says what failed. */
bool atomic_write_file(const char *path, const void *data, size_t len, char **error);
/* Writes all len bytes to fd, retrying short writes and EINTR. */
bool fd_write_all(int fd, const char *data, size_t len);

#endif
