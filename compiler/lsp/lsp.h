/*
 * lsp.h — `ssmc lsp`: the Language Server Protocol 3.17 server over stdio.
 *
 * The server is a thin layer over the one check pipeline: a document's text
 * is loaded with ssmc_load and checked with ssmc_check_documents, exactly as
 * `ssmc check` does, and the findings are turned into LSP diagnostics. The
 * editor features (hover, completion, navigation) read the same tree and the
 * grammar tables the validator uses.
 *
 *   lsp_io.c           Content-Length framing: reading and writing messages
 *   lsp_text.c         document text, incremental edits, positions, URIs
 *   lsp_server.c       the loop, lifecycle, dispatch, documents, configuration
 *   lsp_diagnostics.c  checking and publishing (fast checks, and ShellCheck in
 *                      a child process that never blocks them)
 *   lsp_features.c     hover, definition, references, symbols, folding ranges
 *   lsp_complete.c     completion
 *
 * Positions: LSP counts characters in UTF-16 code units unless the client
 * and server agree on utf-8 or utf-32 (positionEncoding); ssmc counts code
 * points. Everything inside the server works on byte offsets into the
 * document text and converts at the protocol boundary only.
 */
#ifndef SSMC_LSP_H
#define SSMC_LSP_H

#include "internal.h"
#include "emit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* JSON-RPC and LSP error codes. */
enum {
    LSP_PARSE_ERROR = -32700,
    LSP_INVALID_REQUEST = -32600,
    LSP_METHOD_NOT_FOUND = -32601,
    LSP_INVALID_PARAMS = -32602,
    LSP_INTERNAL_ERROR = -32603,
    LSP_SERVER_NOT_INITIALIZED = -32002
};

/* --- framing (lsp_io.c) ------------------------------------------------ */

/* The biggest message body accepted; a larger one is skipped (its bytes are
 * read and dropped) and answered with an error. */
#define LSP_MAX_BODY (64u * 1024 * 1024)
/* The most header bytes before the blank line that ends them. */
#define LSP_MAX_HEADER 8192u

typedef struct lsp_reader {
    int fd;
    buf in;            /* bytes read, not yet consumed */
    size_t consumed;   /* bytes of `in` already taken */
    size_t skip;       /* body bytes of an oversized message still to drop */
    bool eof;
} lsp_reader;

typedef enum lsp_frame {
    LSP_FRAME_NONE = 0,   /* no complete message buffered */
    LSP_FRAME_MESSAGE,    /* *body holds one message body */
    LSP_FRAME_ERROR       /* a framing error: *error says what; reading goes on */
} lsp_frame;

void lsp_reader_init(lsp_reader *r, int fd);
void lsp_reader_free(lsp_reader *r);
/* Reads what is available on the descriptor (one read call). Returns false
 * at end of input or on a read error. */
bool lsp_reader_fill(lsp_reader *r);
/* Takes the next complete message from what has been read. body and error
 * are malloc'd. */
lsp_frame lsp_reader_next(lsp_reader *r, char **body, size_t *len, char **error);

/* write(2) until done; false on an error. */
/* Writes one framed message to fd. Returns false on a write error. */
bool lsp_write_body(int fd, const char *body, size_t len);
bool lsp_write(int fd, json_t *message);   /* steals message */

/* --- text and positions (lsp_text.c) ----------------------------------- */

typedef enum lsp_encoding {
    LSP_ENC_UTF16 = 0,
    LSP_ENC_UTF8,
    LSP_ENC_UTF32
} lsp_encoding;

typedef struct lsp_text {
    buf bytes;
    size_t *lines;     /* byte offset of each line's first byte */
    size_t line_count, line_cap;
} lsp_text;

void lsp_text_set(lsp_text *t, const char *s, size_t len);
void lsp_text_free(lsp_text *t);
/* Replaces bytes [start, end) with s. */
void lsp_text_replace(lsp_text *t, size_t start, size_t end, const char *s, size_t len);
/* The bytes of a 0-based line (< line_count) without its line break. */
const char *lsp_text_line(const lsp_text *t, size_t line, size_t *len);
/* The 0-based line that holds a byte offset. */
size_t lsp_text_line_of(const lsp_text *t, size_t offset);
/* The byte offset of an LSP position (line, character in `enc` units),
 * clamped to the line and the text as LSP requires. */
size_t lsp_text_offset(const lsp_text *t, lsp_encoding enc, uint32_t line, uint32_t character);
/* The LSP position of a byte offset. */
void lsp_text_position(const lsp_text *t, lsp_encoding enc, size_t offset, uint32_t *line,
                       uint32_t *character);
/* {"line": L, "character": C} and {"start": ..., "end": ...}. */
json_t *lsp_text_pos_json(const lsp_text *t, lsp_encoding enc, size_t offset);
json_t *lsp_text_range_json(const lsp_text *t, lsp_encoding enc, size_t start, size_t end);
/* Reads a {"line","character"} object; false when it is not one. */
bool lsp_text_read_pos(const lsp_text *t, lsp_encoding enc, const json_t *pos, size_t *offset);
bool lsp_text_read_range(const lsp_text *t, lsp_encoding enc, const json_t *range, size_t *start,
                         size_t *end);

/* A position in units of enc, for a line of some other source (related
 * information in another file): count the units of line[0..byte). */
uint32_t lsp_units(const char *line, size_t byte, lsp_encoding enc);

/* file:///a/b%20c -> "/a/b c"; NULL for other schemes or a bad URI. */
char *lsp_uri_to_path(const char *uri);
/* "/a/b c" -> file:///a/b%20c (an absolute path). */
char *lsp_path_to_uri(const char *path);

/* --- the server (lsp_server.c) ----------------------------------------- */

typedef struct lsp_settings {
    const char *shellcheck;      /* "auto", "off" or a path for the slow checks */
    const char *pyflakes;        /* "auto", "off" or a path: aws:executeScript Python,
                                  * in the slow checks too; NULL: auto */
    int debounce_ms;             /* pause after an edit before the fast checks */
    int external_delay_ms;       /* pause after an edit before ShellCheck; < 0: on save only */
    char **enable, **disable;    /* rule ids or names */
    size_t enable_count, disable_count;
    char *owned_shellcheck, *owned_pyflakes;
    bool no_external;            /* never start ShellCheck (the fuzz target) */
} lsp_settings;

/* One edit of a finding's fix, in byte offsets of the checked text. */
typedef struct lsp_edit {
    size_t start, end;
    char *text;
} lsp_edit;

/* A finding as published, kept for hover and code actions. */
typedef struct lsp_finding {
    ssmc_rule rule;
    size_t start, end;           /* byte offsets into the text it was found in */
    json_t *diagnostic;          /* as published (a reference) */
    lsp_edit *edits;             /* its fix, if it has one */
    size_t edit_count;
} lsp_finding;

typedef struct lsp_doc {
    char *uri;
    char *path;                  /* file system path, or NULL (untitled:, ...) */
    char *language;
    int64_t version;
    lsp_text text;

    /* configuration from the .ssmc.yaml found upward from the folder */
    bool config_loaded;
    ssmc_config config;
    char *config_path;           /* the file found, or NULL */
    char *config_shellcheck;     /* shellcheck.path of the file (owned) */
    char *config_shellcheck_options;

    /* the tree of the current text (for the editor features) */
    bool tree_current;
    ssmc_sources sources;
    ssmc_document *tree;
    uint32_t file;
    /* the last tree that loaded, while the current text does not: the
     * names completion offers (parameters, steps) */
    ssmc_sources prev_sources;
    ssmc_document *prev;

    /* checking */
    int64_t check_due;           /* monotonic ms, or -1 */
    int64_t external_due;        /* monotonic ms, or -1 */
    pid_t external_pid;          /* a running ShellCheck child, or 0 */
    int external_fd;
    int64_t external_version;
    buf external_out;

    lsp_finding *findings;       /* of the last publish */
    size_t finding_count;
    int64_t findings_version;
} lsp_doc;

typedef struct lsp_server {
    int out_fd;
    lsp_encoding enc;
    bool initialized, shutdown;
    lsp_settings settings;
    lsp_doc **docs;
    size_t doc_count, doc_cap;
    bool write_failed;
} lsp_server;

/* Runs the server on in_fd/out_fd until `exit` or end of input. Returns the
 * process exit status: 0 after shutdown then exit, 1 otherwise. */
int lsp_serve(int in_fd, int out_fd, const lsp_settings *settings);

void lsp_send(lsp_server *s, json_t *message);   /* steals */
void lsp_send_body(lsp_server *s, const char *body, size_t len);   /* already JSON */
void lsp_notify(lsp_server *s, const char *method, json_t *params);   /* steals params */
int64_t lsp_now_ms(void);
lsp_doc *lsp_doc_find(lsp_server *s, const char *uri);
/* Loads the current text into d->tree when it is not current; diags (may
 * be NULL) receives the syntax findings. */
void lsp_doc_load(lsp_server *s, lsp_doc *d, ssmc_diags *diags);
/* The load options of d's text (its format from the client's language). */
void lsp_doc_load_options(const lsp_doc *d, ssmc_load_options *options);
/* Loads (if need be) the configuration of d's folder. */
void lsp_doc_config(lsp_server *s, lsp_doc *d);
/* The root mapping of the current text, or else of the last text that
 * loaded; NULL when there is none. */
const ssmc_node *lsp_doc_names_root(lsp_server *s, lsp_doc *d);
void lsp_doc_free(lsp_doc *d);
/* Is path a configuration file (.ssmc.yaml, .ssmc.yml)? */
bool lsp_is_config_path(const char *path);

/* --- diagnostics (lsp_diagnostics.c) ----------------------------------- */

/* The fast checks (ShellCheck off) of d, published at once. */
void lsp_diag_check(lsp_server *s, lsp_doc *d);
/* Starts ShellCheck and the rest in a child process; its findings are
 * published when it is done, if the text has not changed meanwhile. */
void lsp_diag_start_external(lsp_server *s, lsp_doc *d);
/* Reads a child's output once poll says its pipe is ready. */
void lsp_diag_external_ready(lsp_server *s, lsp_doc *d);
/* Publishes an empty list (on close). */
void lsp_diag_clear(lsp_server *s, const char *uri);
/* The code actions of the findings that overlap [start, end]: each
 * finding's fix as a quickfix, from the fix data `ssmc check --fix` uses. */
json_t *lsp_code_actions(lsp_server *s, lsp_doc *d, size_t start, size_t end);
void lsp_findings_free(lsp_doc *d);
/* The code action kind of the fix-all action. */
#define LSP_FIX_ALL_KIND "source.fixAll.ssmc"
/* The fix-all action of d: every mechanical fix at once, the bytes
 * `ssmc check --fix` writes for the same text (fix_file, with the fast
 * checks), as one edit of the part that changes; NULL when nothing is to
 * fix. */
json_t *lsp_fix_all(lsp_server *s, lsp_doc *d);
/* Where the rules are documented (the README's Rules section, which points
 * at `ssmc rules ID`): the codeDescription of every ssmc finding. */
#define LSP_RULES_URI "https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"
/* The documentation address of a rule, for codeDescription. */
char *lsp_rule_href(const char *id);

/* --- editor features (lsp_features.c, lsp_complete.c) -------------------- */

/* Each returns the result of the request (json null when there is none);
 * NULL means the params were not valid (InvalidParams). */
json_t *lsp_hover(lsp_server *s, lsp_doc *d, size_t offset);
json_t *lsp_completion(lsp_server *s, lsp_doc *d, size_t offset);
json_t *lsp_definition(lsp_server *s, lsp_doc *d, size_t offset);
json_t *lsp_references(lsp_server *s, lsp_doc *d, size_t offset, bool include_declaration);
json_t *lsp_document_symbols(lsp_server *s, lsp_doc *d);
json_t *lsp_folding_ranges(lsp_server *s, lsp_doc *d);

/* The step of a runbook called name (len bytes), steps nested in aws:loop
 * included (step names are unique in the whole runbook); NULL if none. */
const ssmc_node *lsp_step_named(const ssmc_node *root, const char *name, size_t len);
/* The deepest level of a path from the root (keys[i], lens[i] bytes; NULL
 * for a list item) that is a step: an item of mainSteps or of a step's
 * Steps input (aws:loop); SIZE_MAX if none. */
size_t lsp_innermost_step(const char *const *keys, const size_t *lens, size_t depth);

#endif
