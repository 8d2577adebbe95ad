/*
 * ssmc.h — the one public header of libssmc, the SSM document toolchain.
 *
 * The pipeline, in the order a run goes through it:
 *
 *   bytes -> ssmc_source (file table, line map)
 *         -> ssmc_load (YAML through libyaml events, or our strict JSON reader)
 *         -> ssmc_node tree (one arena per document; every node has a span)
 *         -> stages (kind, schema, parameters, steps, lint, ...)
 *         -> outputs (normalized JSON, plans) only when there are no errors
 *
 * Every stage appends findings to one ssmc_diags list. The library never
 * prints, never exits and never aborts on user input: only the CLI renders.
 *
 * Positions: lines and columns are 1-based; columns count Unicode code
 * points, as editors do. Ends are exclusive (the column just past the last
 * character), as in SARIF. Byte offsets are 0-based into the source buffer.
 */
#ifndef SSMC_H
#define SSMC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SSMC_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Positions                                                           */
/* ------------------------------------------------------------------ */

typedef struct ssmc_pos {
    uint32_t line;   /* 1-based; 0 means "no position" */
    uint32_t col;    /* 1-based, in code points */
    uint32_t offset; /* 0-based byte offset into the source: sources are at
                      * most SSMC_MAX_SOURCE_BYTES (ssmc_load refuses larger) */
} ssmc_pos;

/* The largest source a position can point into (4 GiB - 2: the offset
 * UINT32_MAX is SSMC_NO_OFFSET). */
#define SSMC_MAX_SOURCE_BYTES ((size_t)UINT32_MAX - 1)

typedef struct ssmc_span {
    ssmc_pos start;
    ssmc_pos end;    /* exclusive */
} ssmc_span;

/* Where a node lies: two byte offsets into its source, 8 bytes where a
 * span takes 24. Lines and columns are computed only when a finding or an
 * output needs them: ssmc_loc_span, or a finding added at a ssmc_loc
 * (resolved against the sources of its ssmc_diags list). */
typedef struct ssmc_loc {
    uint32_t start, end;       /* [start, end); SSMC_NO_OFFSET in both: no position */
} ssmc_loc;

#define SSMC_NO_OFFSET UINT32_MAX
#define SSMC_NO_LOC ((ssmc_loc){SSMC_NO_OFFSET, SSMC_NO_OFFSET})

static inline bool ssmc_loc_known(ssmc_loc loc)
{
    return loc.start != SSMC_NO_OFFSET;
}

/* ------------------------------------------------------------------ */
/* Sources: the file table. File names are stored once; nodes and     */
/* diagnostics refer to a source by its index.                         */
/* ------------------------------------------------------------------ */

typedef struct ssmc_source {
    char *name;          /* display name (path as given, or --stdin-filename) */
    const char *base_name; /* name past its last '/' (points into name) */
    char *data;          /* the bytes, NUL-terminated (NULs inside are reported, not trusted) */
    size_t len;
    size_t *line_starts; /* byte offset of each line's first byte */
    size_t line_count;
    bool ascii;          /* no byte >= 0x80: column == byte distance */
    /* Text with a byte >= 0x80 and a line longer than SSMC_COL_MARK_BYTES:
     * col_marks[k] is the code points from the start of its line to byte
     * k * SSMC_COL_MARK_BYTES, so a column is counted from the nearest mark
     * instead of from the line's start (a finding on a long minified line
     * would otherwise cost the line's length). NULL otherwise. */
    uint32_t *col_marks;
    /* Text decoded out of another source (a CloudFormation Content string,
     * a Terraform heredoc): findings in it belong at the host's positions
     * (ssmc_diags_to_host). host_map gives, for each byte of data, the
     * host bytes it came from, as runs of bytes that follow one rule (a
     * copied stretch is one run), not as two offsets per byte. */
    bool embedded;
    uint32_t host;
    struct ssmc_host_map *host_map;
    /* Byte ranges [2i, 2i+1) of data that the host's deployment fills in
     * (a ${Param} of Fn::Sub, a ${var.x} of Terraform): the lint stage
     * treats them as it treats {{ }} placeholders. */
    size_t *placeholders;
    size_t placeholder_count;
    /* An input whose bytes are not in memory: not read yet, or released
     * once checked (the check command holds one input at a time). data is
     * NULL and line_count 0; ssmc_load reads it again from the file `name`
     * (unless from_stdin: standard input is read once and never released). */
    bool released;
    bool from_stdin;
} ssmc_source;

#define SSMC_COL_MARK_BYTES 4096

typedef struct ssmc_sources {
    ssmc_source **items;
    size_t count, cap;
} ssmc_sources;

/* Takes ownership of data (malloc'd, len bytes, with room for one more). Returns the index. */
uint32_t ssmc_sources_add(ssmc_sources *sources, const char *name, char *data, size_t len);
/* An entry for the file `name` whose bytes are read later (ssmc_source_reload). */
uint32_t ssmc_sources_add_unread(ssmc_sources *sources, const char *name);
/* Frees the bytes and line map of a source read from a file (not stdin, not
 * embedded): it keeps its index and name, and findings keep their spans. */
void ssmc_source_release(ssmc_source *source);
/* Reads a released source again from its file, at most the load limit plus
 * one byte. False (errno set, the source stays released) if it cannot be
 * read or is not a regular file any more. */
bool ssmc_source_reload(ssmc_source *source);
const ssmc_source *ssmc_sources_get(const ssmc_sources *sources, uint32_t index);
void ssmc_sources_free(ssmc_sources *sources);

/* Position of a byte offset (clamped to the source length). */
ssmc_pos ssmc_source_pos(const ssmc_source *source, size_t offset);
/* Lines and columns of a node's offsets; an unknown loc (or a source whose
 * bytes are released) gives the span of no position (line 0). */
ssmc_span ssmc_loc_span(const ssmc_source *source, ssmc_loc loc);
/* Byte offset of a 1-based line and code-point column (clamped to the line). */
size_t ssmc_source_offset(const ssmc_source *source, uint32_t line, uint32_t col);
/* The bytes of one 1-based line without its line break. */
const char *ssmc_source_line(const ssmc_source *source, uint32_t line, size_t *len);

/* ------------------------------------------------------------------ */
/* Rules and diagnostics                                              */
/* ------------------------------------------------------------------ */

typedef enum ssmc_severity {
    SSMC_SEV_OFF = 0,   /* disabled by configuration */
    SSMC_SEV_INFO,
    SSMC_SEV_WARNING,
    SSMC_SEV_ERROR
} ssmc_severity;

/* Every rule of every stage, generated from compiler/rules/\*.def. */
typedef enum ssmc_rule {
#define SSMC_RULE(id, name, severity, summary, doc) SSMC_RULE_##id,
#include "../rules/all.def"
#undef SSMC_RULE
    SSMC_RULE_COUNT_BUILTIN,
    /* Findings of external tools (ShellCheck's SC####) carry this id and a
     * rule string of their own; see ssmc_diag.external_rule. */
    SSMC_RULE_EXTERNAL = SSMC_RULE_COUNT_BUILTIN
} ssmc_rule;

typedef struct ssmc_rule_info {
    const char *id;        /* stable id, e.g. "SSM1001" */
    const char *name;      /* stable kebab-case name, e.g. "yaml-syntax" */
    ssmc_severity severity;
    const char *summary;   /* one line */
    const char *doc;       /* why it exists, source, bad and good example */
} ssmc_rule_info;

size_t ssmc_rule_count(void);
const ssmc_rule_info *ssmc_rule_get(ssmc_rule rule);
/* By id or by name (case-insensitive for ids). Returns false when unknown. */
bool ssmc_rule_lookup(const char *id_or_name, ssmc_rule *out);
const char *ssmc_severity_name(ssmc_severity severity);
/* Rules that mean "this file could not be read as a document" (every
 * error-severity loading rule: SSM1001-SSM1030 but SSM1019, SSM1151; and
 * SSM9001).
 * Configuration can neither turn them off nor lower them: a file that could
 * not be parsed always fails the run, whatever the repository's
 * .ssmc.yaml or the command line says. */
bool ssmc_rule_always_on(ssmc_rule rule);

typedef struct ssmc_related {
    uint32_t file;
    ssmc_span span;
    char *message;
} ssmc_related;

/* One edit of a fix: the bytes [span.start.offset, span.end.offset) of
 * source `file` become `text` (an empty range inserts, an empty text
 * deletes). The span's lines and columns name the same range for editors.
 * Edits never overlap within one finding. */
typedef struct ssmc_fix {
    uint32_t file;
    ssmc_span span;
    char *text;
} ssmc_fix;

typedef struct ssmc_diag {
    ssmc_rule rule;
    char *external_rule;   /* "SC2086" etc. when rule == SSMC_RULE_EXTERNAL */
    ssmc_severity severity;
    uint32_t file;
    ssmc_span span;
    char *message;
    ssmc_related *related;
    size_t related_count;
    char *hint;            /* optional replacement text or fix, may be NULL */
    /* The mechanical fix of this finding, if one edit set is clearly right:
     * all edits together make the fix (`ssmc check --fix`, code actions). */
    ssmc_fix *fixes;
    size_t fix_count;
    /* The sources its ssmc_loc positions are resolved against (those of
     * its list when it was added): related notes and fixes given at a
     * node's ssmc_loc get their lines and columns from them. */
    const ssmc_sources *sources;
} ssmc_diag;

typedef struct ssmc_diags {
    ssmc_diag *items;
    size_t count, cap;
    /* Where findings given at a ssmc_loc get their lines and columns:
     * ssmc_load, ssmc_check_documents and ssmc_host_extract set it when it
     * is NULL; a list filled otherwise sets it first. */
    const ssmc_sources *sources;
} ssmc_diags;

/* Appends a finding with the rule's default severity. Returns it so a caller
 * can attach related positions. `where` is a ssmc_span or a node's ssmc_loc
 * (resolved against diags->sources at once). */
#define ssmc_diag_add(diags, rule, file, where, ...)                                   \
    _Generic((where), ssmc_loc: ssmc_diag_add_loc, default: ssmc_diag_add_span)(       \
        diags, rule, file, where, __VA_ARGS__)
#define ssmc_diag_addv(diags, rule, file, where, fmt, ap)                              \
    _Generic((where), ssmc_loc: ssmc_diag_addv_loc, default: ssmc_diag_addv_span)(     \
        diags, rule, file, where, fmt, ap)
#define ssmc_diag_add_related(diag, file, where, ...)                                  \
    _Generic((where), ssmc_loc: ssmc_diag_add_related_loc,                            \
             default: ssmc_diag_add_related_span)(diag, file, where, __VA_ARGS__)
/* Adds one edit to the finding's fix; text is copied. An edit that overlaps
 * one already attached makes the fix ambiguous, so the whole fix is dropped
 * (a finding then has no fix rather than a wrong one). */
#define ssmc_diag_add_fix(diag, file, where, text)                                     \
    _Generic((where), ssmc_loc: ssmc_diag_add_fix_loc, default: ssmc_diag_add_fix_span)( \
        diag, file, where, text)

ssmc_diag *ssmc_diag_add_span(ssmc_diags *diags, ssmc_rule rule, uint32_t file, ssmc_span span,
                              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
ssmc_diag *ssmc_diag_add_loc(ssmc_diags *diags, ssmc_rule rule, uint32_t file, ssmc_loc loc,
                             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
ssmc_diag *ssmc_diag_addv_span(ssmc_diags *diags, ssmc_rule rule, uint32_t file, ssmc_span span,
                               const char *fmt, va_list ap);
ssmc_diag *ssmc_diag_addv_loc(ssmc_diags *diags, ssmc_rule rule, uint32_t file, ssmc_loc loc,
                              const char *fmt, va_list ap);
void ssmc_diag_add_related_span(ssmc_diag *diag, uint32_t file, ssmc_span span, const char *fmt,
                                ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void ssmc_diag_add_related_loc(ssmc_diag *diag, uint32_t file, ssmc_loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void ssmc_diag_add_fix_span(ssmc_diag *diag, uint32_t file, ssmc_span span, const char *text);
void ssmc_diag_add_fix_loc(ssmc_diag *diag, uint32_t file, ssmc_loc loc, const char *text);
/* The same from two byte offsets of one source (positions computed). */
void ssmc_diag_add_fix_offsets(ssmc_diag *diag, const ssmc_sources *sources, uint32_t file,
                               size_t start, size_t end, const char *text);
/* Applies to source `file` the fixes of the findings in diags: each
 * finding's edits all or none; a finding with an edit in another file, or
 * one overlapping an edit already taken, is skipped (a later pass may take
 * it). Returns the new bytes (malloc'd, NUL-terminated, length in *len).
 * taken, if not NULL, has diags->count entries and is set true for each
 * finding applied; the return of *applied is their number. */
char *ssmc_fix_apply(const ssmc_sources *sources, uint32_t file, const ssmc_diags *diags,
                     bool *taken, size_t *len, size_t *applied);
/* Sort by file name, line, column, then rule id; stable for equal keys. */
void ssmc_diags_sort(ssmc_diags *diags, const ssmc_sources *sources);
size_t ssmc_diags_count_at_least(const ssmc_diags *diags, ssmc_severity severity);
void ssmc_diags_free(ssmc_diags *diags);

/* ------------------------------------------------------------------ */
/* The tree                                                            */
/* ------------------------------------------------------------------ */

typedef enum ssmc_node_type {
    SSMC_NODE_NULL,
    SSMC_NODE_BOOL,
    SSMC_NODE_INT,
    SSMC_NODE_FLOAT,
    SSMC_NODE_STRING,
    SSMC_NODE_SEQ,
    SSMC_NODE_MAP
} ssmc_node_type;

typedef enum ssmc_style {
    SSMC_STYLE_ANY = 0,
    SSMC_STYLE_PLAIN,          /* YAML plain scalar */
    SSMC_STYLE_SINGLE_QUOTED,
    SSMC_STYLE_DOUBLE_QUOTED,
    SSMC_STYLE_LITERAL,        /* | */
    SSMC_STYLE_FOLDED,         /* > */
    SSMC_STYLE_JSON,           /* JSON string, number, true/false/null */
    SSMC_STYLE_BLOCK,          /* YAML block collection */
    SSMC_STYLE_FLOW            /* YAML flow collection, or a JSON array/object */
} ssmc_style;

enum {
    SSMC_NODE_ALIASED = 1u << 0, /* reached through at least one alias */
    SSMC_NODE_MERGED = 1u << 1   /* (map pair key) inserted by a << merge key */
};

typedef struct ssmc_node ssmc_node;

typedef struct ssmc_pair {
    ssmc_node *key;
    ssmc_node *value;
    uint32_t flags;            /* SSMC_NODE_MERGED */
} ssmc_pair;

/* 48 bytes on LP64 (was 112; see README "Performance"): type, style and
 * flags share one word; the span is two byte offsets (ssmc_loc); a
 * scalar's value and a collection's children share storage; lengths and
 * counts are 32 bits (a source is at most 4 GiB - 2, and a scalar at most
 * max_scalar_bytes). str, len and count are valid on every node: a
 * collection has str "" (or NULL) and len 0, a scalar has count 0, so code
 * may read them without testing the type first. val is valid only on a
 * scalar; items (SEQ) and pairs (MAP) only on a collection, and are one
 * pointer. */
struct ssmc_node {
    ssmc_node_type type : 8;
    ssmc_style style : 8;
    uint16_t flags;            /* SSMC_NODE_ALIASED */
    uint32_t file;
    ssmc_loc span;             /* byte offsets; ssmc_loc_span gives lines and columns */
    const char *tag;           /* explicit tag as written (e.g. "!Ref"), or NULL */
    /* Scalars: the decoded text, NUL-terminated (may contain NULs; use len). */
    const char *str;
    uint32_t len;
    uint32_t count;            /* children of a collection */
    union {
        union {
            bool b;
            int64_t i;
            double f;
        } val;                 /* BOOL, INT, FLOAT */
        ssmc_node **items;     /* SEQ */
        ssmc_pair *pairs;      /* MAP, in source order */
    };
};

typedef enum ssmc_format {
    SSMC_FORMAT_UNKNOWN = 0,
    SSMC_FORMAT_YAML,
    SSMC_FORMAT_JSON
} ssmc_format;

typedef struct ssmc_arena ssmc_arena;

typedef struct ssmc_document {
    uint32_t file;
    ssmc_format format;
    ssmc_node *root;           /* NULL when the text could not be loaded */
    ssmc_arena *arena;         /* owns every node and string of the tree */
    bool syntax_ok;            /* no error-severity syntax finding */
    /* The only syntax errors were ones the loader repaired the tree around
     * (duplicate keys: the last value kept, as the service's readers do),
     * so the semantic checks still run over it. */
    bool recovered;
    /* YAML: an alias (*name) repeats a subtree, so the tree may be larger
     * than its text (the size check bounds a document's JSON form by its
     * text only without one). */
    bool aliased;
} ssmc_document;

/* Look-ups used by every stage. */
ssmc_node *ssmc_map_get(const ssmc_node *map, const char *key);
ssmc_pair *ssmc_map_get_pair(const ssmc_node *map, const char *key);
bool ssmc_node_is_scalar(const ssmc_node *node);
const char *ssmc_node_type_name(ssmc_node_type type);
/* The same with its article, for messages: "an integer", "a list". */
const char *ssmc_node_type_phrase(ssmc_node_type type);
/* "an" before a word that starts with a vowel (Integer, object), else "a". */
const char *ssmc_article(const char *word);

/* ------------------------------------------------------------------ */
/* Loading                                                            */
/* ------------------------------------------------------------------ */

typedef struct ssmc_limits {
    size_t max_depth;           /* nesting of collections */
    size_t max_nodes;           /* nodes created by the loader */
    size_t max_alias_weight;    /* total nodes a document may expand to through aliases */
    size_t max_scalar_bytes;    /* one scalar's decoded length */
    size_t max_file_bytes;      /* input size; at most SSMC_MAX_SOURCE_BYTES (a larger
                                 * value acts as that) */
} ssmc_limits;

ssmc_limits ssmc_limits_default(void);

typedef struct ssmc_load_options {
    ssmc_format format;         /* SSMC_FORMAT_UNKNOWN: by extension, else sniffed */
    ssmc_limits limits;
    bool data_file;             /* a data file (parameter values, inventory), not an SSM
                                 * document: any top-level value is fine (no SSM1030) */
} ssmc_load_options;

void ssmc_load_options_init(ssmc_load_options *options);
ssmc_format ssmc_format_guess(const char *name, const char *data, size_t len);

/* Loads source `file` into a tree. Always returns a document (root may be
 * NULL); syntax findings go to diags. */
ssmc_document *ssmc_load(const ssmc_sources *sources, uint32_t file,
                         const ssmc_load_options *options, ssmc_diags *diags);
void ssmc_document_free(ssmc_document *document);

/* ------------------------------------------------------------------ */
/* Configuration: which rules run and at what severity                */
/* ------------------------------------------------------------------ */

/* The severity a user gave a rule of an external tool (ShellCheck's
 * "SC2086"): ids are not in the registry, so they are kept by name. */
#define SSMC_MAX_EXTERNAL_SETTINGS 64
typedef struct ssmc_external_setting {
    char id[16];                /* canonical: "SC2086" */
    ssmc_severity severity;     /* SSMC_SEV_OFF disables */
} ssmc_external_setting;

typedef struct ssmc_config {
    /* Per-rule severity after --enable/--disable/config; index by ssmc_rule.
     * SSMC_SEV_OFF disables a rule. Filled from the registry by init. */
    ssmc_severity severity[SSMC_RULE_COUNT_BUILTIN];
    bool strict;                /* warnings count as failures */
    const char *shellcheck;     /* "auto", "off" or a path */
    const char *shellcheck_options; /* extra ShellCheck arguments, space-separated, or NULL */
    const char *pyflakes;       /* "auto" (NULL), "off" or a path: aws:executeScript Python */
    bool no_cache;              /* external checkers' results are not read from or
                                   written to the cache (--no-cache, cache: false) */
    const char *document_type;  /* forced kind, or NULL */
    /* Associations: directories searched for the document an association
     * names (--doc-path; stdlib-docs is searched after them), and the
     * instances to match its targets against (--inventory, compiler/inventory.h),
     * or NULL. */
    const char *const *doc_paths;
    size_t doc_path_count;
    const struct inventory *inventory;
    /* --platform as given ("linux", "windows", "macos", "all"), or NULL. */
    const char *platform;
    /* --disable SC2086, rules: {SC2317: off}, severity overrides. */
    ssmc_external_setting external[SSMC_MAX_EXTERNAL_SETTINGS];
    size_t external_count;
} ssmc_config;

void ssmc_config_init(ssmc_config *config);
/* Is id the id of an external tool's rule (SC followed by digits, any
 * case)? Writes the canonical spelling to canon (16 bytes) when not NULL. */
bool ssmc_external_rule_id(const char *id, char *canon);
/* Sets (or, with reset, forgets) the severity of an external rule. Returns
 * false when id is not an external rule id or the table is full. */
bool ssmc_config_set_external(ssmc_config *config, const char *id, ssmc_severity severity,
                              bool reset);
/* Applies per-rule severities (dropping disabled findings) in place. */
void ssmc_diags_apply_config(ssmc_diags *diags, const ssmc_config *config);

/* ------------------------------------------------------------------ */
/* Checking: every stage on every loaded document                      */
/* ------------------------------------------------------------------ */

/* Runs the semantic stages on already loaded documents, all of one run
 * together (so that external linters can be called once for many scripts).
 * Stages that need a well-formed tree skip a document whose syntax_ok is
 * false, unless it is `recovered` (only duplicate keys, the last kept). */
void ssmc_check_documents(const ssmc_sources *sources, ssmc_document **documents,
                          size_t count, const ssmc_config *config, ssmc_diags *diags);

/* ------------------------------------------------------------------ */
/* Host formats: where documents are kept (compiler/iac/)              */
/* ------------------------------------------------------------------ */

typedef enum ssmc_host_kind {
    SSMC_HOST_NONE = 0,        /* none of the below: skipped by directory walks */
    SSMC_HOST_DOCUMENT,        /* an SSM document */
    SSMC_HOST_ASSOCIATION,     /* an association file (CreateAssociation's fields) */
    SSMC_HOST_CLOUDFORMATION,  /* a CloudFormation or SAM template, YAML or JSON */
    SSMC_HOST_TERRAFORM,       /* a .tf file */
    SSMC_HOST_TERRAFORM_PLAN   /* `terraform show -json` output */
} ssmc_host_kind;

/* One document found in a host file: an AWS::SSM::Document's Content, an
 * AWS::SSM::Association's Properties, a Terraform aws_ssm_document's
 * content or aws_ssm_association, a planned one of a Terraform plan. */
typedef enum ssmc_embedded_kind {
    SSMC_EMBEDDED_DOCUMENT,
    SSMC_EMBEDDED_ASSOCIATION
} ssmc_embedded_kind;

typedef struct ssmc_embedded {
    ssmc_embedded_kind kind;
    char *resource;            /* logical ID, or Terraform address (aws_ssm_document.x) */
    char *document_type;       /* "Command", "Automation", ... (DocumentType), or NULL */
    ssmc_document *document;   /* its tree; NULL when it could not be read. Its nodes
                                * lie in the host's source, or in an embedded source
                                * whose positions map to the host (ssmc_diags_to_host) */
    ssmc_loc span;             /* the resource in the host file */
    /* An association whose Name refers to a document of the same host
     * (!Ref MyDocument): that document's root, else NULL. */
    const ssmc_node *names_document;
    bool name_is_value;        /* ... its Name is a value CloudFormation fills in */
    bool borrowed;             /* the tree is part of the host's tree (not freed alone) */
} ssmc_embedded;

typedef struct ssmc_host {
    uint32_t file;
    ssmc_host_kind kind;
    ssmc_document *tree;       /* the host file's own tree (templates, plans), or NULL */
    ssmc_embedded *items;
    size_t count;
} ssmc_host;

/* Reads host file `file` of kind `kind` and returns the documents in it.
 * Text that has to be decoded (a Content string, a heredoc, a file()) is
 * added to sources as an embedded source. Findings about the host itself
 * (resource properties, templating collisions, update behaviour, what the
 * scanner does not understand) go to diags. */
ssmc_host *ssmc_host_extract(ssmc_sources *sources, uint32_t file, ssmc_host_kind kind,
                             const ssmc_config *config, ssmc_diags *diags);
void ssmc_host_free(ssmc_host *host);
/* Moves every finding (and related position) that lies in an embedded
 * source to the host file's name, line and column. */
void ssmc_diags_to_host(const ssmc_sources *sources, ssmc_diags *diags);

/* What a file is, from its name and its top-level keys (a bounded scan of
 * the text, no full load). data must be NUL-terminated. */
ssmc_host_kind ssmc_host_classify(const char *name, const char *data, size_t len);
const char *ssmc_host_kind_name(ssmc_host_kind kind);

#ifdef __cplusplus
}
#endif

#endif /* SSMC_H */
