/* lint.h — shared by the files of the script lint stage (lint/). Not part
 * of the library's interface; compiler/internal.h declares the entry points
 * other stages call. */
#ifndef SSMC_LINT_H
#define SSMC_LINT_H

#include "internal.h"
#include "refs.h"

#include <signal.h>
#include <sys/types.h>
#include <time.h>

/* --- position map of one scalar ------------------------------------- */

/* Decodes the scalar `node` again from the raw source, recording for every
 * byte of the decoded text the source bytes it came from. On success the
 * decoded text equals node->str byte for byte and true is returned; the
 * caller's arrays grow by node->len entries. On failure (a style or a
 * construct the scanner does not know) nothing is appended and false is
 * returned. */
typedef struct script_map {
    uint32_t *start;  /* per script byte: source offset of its first byte */
    uint32_t *end;    /* per script byte: source offset just past it */
    size_t count, cap;
} script_map;

bool script_map_scalar(const ssmc_source *source, const ssmc_node *node, buf *text,
                       script_map *map);

/* A built map kept with its script: runs of script bytes whose source
 * positions follow one rule. A script kept for ShellCheck keeps its map to
 * the end of the run; as one entry per byte the maps were most of the
 * memory of a corpus check (30 of 48 MB), as runs they are a few bytes a
 * line. */
#define SCRIPT_RUN_COPY UINT32_MAX
typedef struct script_run {
    uint32_t at;      /* its first script byte */
    uint32_t len;     /* script bytes in it */
    uint32_t start;   /* source range of its first byte: [start, end), */
    uint32_t end;     /* or SCRIPT_RUN_COPY: byte at+i is source byte start+i */
} script_run;

typedef struct script_runs {
    script_run *runs;
    size_t run_count, run_cap;
    size_t count;     /* script bytes mapped */
} script_runs;

/* Appends the entries of map to runs. */
void script_runs_add(script_runs *runs, const script_map *map);
/* The source range [*start, *end) of script byte i < runs->count. */
void script_runs_at(const script_runs *runs, size_t i, size_t *start, size_t *end);

/* Times a scalar could not be re-decoded and was mapped to its start
 * instead; tests assert it stays zero for the styles they cover. */
extern size_t script_map_fallbacks;

/* --- assembled scripts ---------------------------------------------- */

/* SCRIPT_PYTHON: aws:executeScript Python, checked by pyflakes only. */
typedef enum script_lang { SCRIPT_SHELL, SCRIPT_POWERSHELL, SCRIPT_PYTHON } script_lang;

/* A {{ }} token of the assembled script and the parameter it names. */
typedef struct script_ref {
    ref_token token;            /* offsets into the script text */
    const ssmc_node *param;     /* the parameter's definition map, or NULL */
} script_ref;

typedef struct lint_script {
    script_lang lang;
    uint32_t file;
    const ssmc_source *source;
    const ssmc_node *root;      /* the document */
    const ssmc_node *params;    /* the document's parameters map, or NULL */
    const ssmc_node *anchor;    /* node to blame when a map entry is unusable */
    ssmc_span anchor_span;      /* its span, kept for ShellCheck once the tree is freed */
    char *step;                 /* step name (or plugin id), for messages */
    bool session;               /* a Session document's script: no step exit code */
    bool terminal;              /* ... run on the session's terminal (prompts work) */
    buf text;                   /* the script as the agent writes it */
    /* text byte -> source bytes: built on first need (script_span,
     * script_map_ensure) from the items below, since most scripts have no
     * finding and re-decoding every scalar with positions costs as much as
     * the rules. */
    script_runs map;
    const ssmc_node *map_one;           /* the single scalar, or */
    ssmc_node *const *map_items;        /* the runCommand items, */
    size_t map_item_count;              /* until the map is built */
    void *detached;                     /* the items' copies of a kept script */
    /* Spans computed from the items before the map was built: each walks
     * the items, so past SCRIPT_UNBUILT_SPANS the map is built (a script
     * of many items and as many findings stays linear). */
    unsigned unbuilt_spans;
    script_ref *refs;
    size_t ref_count, ref_cap;
    /* "SSM_Name" of each ENV_VAR parameter (spec 2.7): the agent sets them,
     * so ShellCheck's "referenced but not assigned" on them is noise. Taken
     * before the tree goes, for the ShellCheck findings that come later. */
    char **agent_vars;
    size_t agent_var_count;
} lint_script;

/* Every runShellScript / runPowerShellScript script of one document. */
void script_collect(const ssmc_sources *sources, const ssmc_document *doc, lint_script **out,
                    size_t *count, size_t *cap);
/* The same, each script's items detached (script_detach_items) instead of
 * its map built: as the lint stage keeps a script for ShellCheck. */
void script_collect_detached(const ssmc_sources *sources, const ssmc_document *doc,
                             lint_script **out, size_t *count, size_t *cap);
/* The same, handing each script to `each` as soon as it is assembled (the
 * callback owns it), so that a caller can lint and free one at a time. */
void script_collect_each(const ssmc_sources *sources, const ssmc_document *doc,
                         void (*each)(lint_script *sc, void *user), void *user);
void script_free(lint_script *script);
/* Builds the position map (from the items, so while the tree is alive or
 * once they are detached); a no-op once built. */
void script_map_ensure(lint_script *script);
/* Lets a script outlive its tree with its map still unbuilt: its items are
 * copied, their text pointing into the script's own. The source must stay
 * in memory as long as the script does. */
void script_detach_items(lint_script *script);

/* The source byte range of script bytes [a, b) when they are a verbatim
 * copy of the source (no escapes, line joins or indentation in between),
 * so that an edit of the script is the same edit of the file; b == a asks
 * for the place to insert before byte a. */
bool script_source_range(const lint_script *script, size_t a, size_t b, size_t *sa, size_t *sb);

/* Byte offset in the script of an external checker's 1-based line and
 * column; the column counts characters when chars is true (ShellCheck's
 * json1, Python's compile errors), else bytes (Python's col_offset). */
size_t script_offset(const lint_script *sc, long line, long col, bool chars);

/* The source span of script bytes [a, b). */
ssmc_span script_span(const lint_script *script, size_t a, size_t b);
#define SCRIPT_UNBUILT_SPANS 4

/* The definition (a map) of parameter name[0..len) in params, or NULL. */
const ssmc_node *script_param_def(const ssmc_node *params, const char *name, size_t len);

/* The string value of key in map, or NULL. */
const char *lint_map_str(const ssmc_node *map, const char *key);

/* Which bytes of a shell script are code (not a comment, not a heredoc
 * body), computed once per script. */
typedef struct shell_lex {
    unsigned char *kind;   /* per byte: SHLEX_* */
    size_t len;
} shell_lex;
enum { SHLEX_CODE = 0, SHLEX_COMMENT = 1, SHLEX_HEREDOC = 2, SHLEX_SQUOTE = 3, SHLEX_DQUOTE = 4 };
/* With code (a copy of s, or NULL), comments and here-document bodies are
 * blanked in it but for their line breaks. */
void shell_lex_run(const char *s, size_t len, bool powershell, shell_lex *lex, char *code);
void shell_lex_free(shell_lex *lex);

/* --- built-in rules -------------------------------------------------- */

/* What a script's text holds, for the literal prefilters of the rules
 * (lits.c). A short script: which pairs of adjacent bytes (ASCII case
 * folded; blanks, controls, rare punctuation and non-ASCII bytes lumped
 * together) occur, so that a rule whose literals are absent (the common
 * case) costs a few bit tests instead of a scan per literal. A longer one:
 * an index of where the pairs that literals are looked up by occur, so
 * that finding a literal visits only those places. Either holds for the
 * text and for its code view (which differs only by blanks). */
#define LINT_LITS_MAX_KEYS 255
#define LINT_LITS_SMALL 256
typedef struct lint_lits {
    uint64_t pair[64];  /* without the index: pair (a, b) of byte classes is bit b of word a */
    const char *text, *code;                /* what it describes (code once made) */
    size_t len;
    unsigned keys;                          /* the index: keys 1..keys, or 0: none */
    uint32_t first[LINT_LITS_MAX_KEYS + 1]; /* key k: at[first[k-1] .. first[k]) */
    uint32_t *at;                           /* small, or allocated */
    uint32_t small[LINT_LITS_SMALL];
} lint_lits;
/* Builds the pair set or (a longer script) the index of s, which must
 * stay as it is until lint_lits_free. */
void lint_lits_build(lint_lits *l, const char *s, size_t len);
void lint_lits_free(lint_lits *l);

/* A literal to look for, prepared once (its key registered for the index
 * of the scripts built from then on). lit must be static. */
typedef struct lint_needle {
    const char *lit;
    size_t n;
    bool caseless;      /* ASCII case ignored */
    size_t pivot;       /* the byte a scan looks for: the rarest */
    unsigned key;       /* the pair the index finds it by (0: none) */
    size_t off;         /* where that pair is in lit */
} lint_needle;
void lint_needle_init(lint_needle *nd, const char *lit, size_t n, bool caseless);
/* False when the literal certainly does not occur in l's text. */
bool lint_lits_may_hold(const lint_lits *l, const lint_needle *nd);
/* The first occurrence of the literal in s[from..len), SIZE_MAX if none:
 * from the index when s is l's text or code view (l may be NULL), else
 * by a scan; the same answer either way. */
size_t lint_lits_find(const lint_lits *l, const lint_needle *nd, const char *s, size_t len,
                      size_t from);

/* What the rules of one script share: the text, a "code view" of it (the
 * same bytes with comments and heredoc bodies blanked and line
 * continuations joined, so offsets stay valid), and the lexer's verdict
 * per byte. */
/* What the rules added for one script, in script offsets, for the memo
 * (memo.c) to replay on a script they cannot tell from it. */
typedef enum lint_rec_kind {
    LINT_REC_FINDING,       /* rule, [a, b), message */
    LINT_REC_FIX,           /* rule_fix of the finding before: [a, b) becomes text */
    LINT_REC_FIX_VERBATIM,  /* the same without rule_fix's look at the next byte */
    LINT_REC_RELATED        /* a note at the key of parameter number `param` */
} lint_rec_kind;
typedef struct lint_rec_item {
    lint_rec_kind kind;
    ssmc_rule rule;
    uint32_t a, b;
    uint32_t param;
    char *text;
} lint_rec_item;
typedef struct lint_record {
    lint_rec_item *items;
    size_t count, cap;
    const ssmc_diag *last;  /* the finding a fix or note may attach to */
    bool unusable;          /* something was added the memo cannot replay */
} lint_record;
void lint_record_item(lint_record *rec, lint_rec_kind kind, ssmc_rule rule, size_t a, size_t b,
                      uint32_t param, const char *text);
void lint_record_free(lint_record *rec);

typedef struct lint_memo lint_memo;
/* A script's key: header (all but the text: the memo's, valid until the
 * next key) and the text, neither copied. */
typedef struct memo_key {
    const char *header;
    size_t header_len;
    const char *text;
    size_t text_len;
    uint64_t hash;
} memo_key;
/* Scripts whose findings were replayed, in this process (for tests). */
extern size_t lint_memo_replays;
lint_memo *lint_memo_new(void);
void lint_memo_free(lint_memo *m);
/* The number of a document's parameter definitions and schemaVersion
 * (equal ones share it), or -1 when they are not keyed. */
int lint_memo_context(lint_memo *m, const ssmc_node *root, const ssmc_node *params);
/* False when the script cannot be keyed (then it is linted, not stored);
 * runbook: its document is an Automation runbook. */
bool lint_memo_key(lint_memo *m, const lint_script *sc, int context, bool runbook, memo_key *key);
/* Adds the findings stored under key for sc; false when none are. */
bool lint_memo_replay(lint_memo *m, const memo_key *key, lint_script *sc, ssmc_diags *diags,
                      bool *wrong_language);
/* Stores what rec holds under key (rec is emptied); when script_ends
 * (the caller frees the script next) its text is taken over, not copied. */
void lint_memo_store(lint_memo *m, const memo_key *key, lint_record *rec, bool wrong_language,
                     lint_script *sc, bool script_ends);

typedef struct rule_ctx {
    const lint_script *sc;
    const char *s;      /* the script text */
    size_t len;
    char *code;         /* the code view, len bytes */
    shell_lex lex;
    lint_lits lits;     /* of s (and so of code) */
    ssmc_diags *diags;
    lint_record *rec;   /* what is added, for the memo, or NULL */
} rule_ctx;

/* Runs every built-in rule on one script, recording what it adds in rec
 * (may be NULL). True when the script is in the other language (SSM5102):
 * its checker (ShellCheck) is not worth running. */
bool rules_run(const lint_script *script, ssmc_diags *diags, lint_record *rec);
/* Is the script the Script of an aws:executeScript step? */
bool script_in_execute_script(const lint_script *sc);
/* SSM5102: reports a script written in the other language; true if so. */
bool rules_wrong_language(rule_ctx *ctx);
void rules_shell(rule_ctx *ctx);
void rules_powershell(rule_ctx *ctx);
void rules_secrets(rule_ctx *ctx);
/* ${{ Name }} and (shell) $Name where Name is a document parameter. */
void rules_dollar_refs(rule_ctx *ctx);

/* The rules add findings, fixes and notes only through these four (the
 * memo replays what they record; anything else would be lost on a replay). */
ssmc_diag *rule_report(rule_ctx *ctx, ssmc_rule rule, size_t a, size_t b, const char *fmt, ...)
    SSMC_PRINTF(5, 6);
/* Attaches to d the fix "script bytes [a, b) become text" when those bytes
 * are a verbatim copy of the file (see script_source_range) and, when
 * checked, the byte after them cannot start YAML syntax once the text
 * before them is gone. */
bool rule_fix_apply(const lint_script *sc, ssmc_diag *d, size_t a, size_t b, const char *text,
                    bool checked);
/* rule_fix_apply unchecked, recorded. */
void rule_fix_verbatim(const rule_ctx *ctx, ssmc_diag *d, size_t a, size_t b, const char *text);
/* A note on d at the key of the document's parameter number k. */
void rule_related_param(const rule_ctx *ctx, ssmc_diag *d, size_t k, const char *fmt, ...)
    SSMC_PRINTF(4, 5);

/* The words of the simple command starting at `from` in the code view, up
 * to the next unquoted ; & | newline or ). Quotes are part of a word. */
typedef struct cmd_word {
    size_t start, end;
} cmd_word;
size_t rule_words(const rule_ctx *ctx, size_t from, cmd_word *words, size_t max);
/* rule_fix_apply checked, recorded. */
bool rule_fix(const rule_ctx *ctx, ssmc_diag *d, size_t a, size_t b, const char *text);
/* True when word w equals lit exactly. */
bool rule_word_is(const rule_ctx *ctx, const cmd_word *w, const char *lit);
/* The parameter token (REF_PARAM with a definition) inside [a, b), or NULL. */
const script_ref *rule_ref_in(const rule_ctx *ctx, size_t a, size_t b);
bool rule_param_constrained(const ssmc_node *def);

/* A compiled PCRE2 pattern cached for the life of the process. */
typedef struct lint_regex lint_regex;
/* Finds the next match of re in s[from..len); true and the match bounds
 * (and of group 1 when it took part, else the whole match) when found.
 * lits (may be NULL) describes a text s is part of: a pattern whose needles
 * it cannot hold is not looked for. */
bool lint_regex_find(lint_regex *re, const lint_lits *lits, const char *s, size_t len,
                     size_t from, size_t *ms, size_t *me);
bool lint_regex_group(lint_regex *re, const lint_lits *lits, const char *s, size_t len,
                      size_t from, int group, size_t *ms, size_t *me, size_t *gs, size_t *ge);
lint_regex *lint_regex_get(const char *pattern, bool caseless);
/* The same pattern with a literal prefilter: `needles` (NULL-terminated,
 * static) are literals one of which every match contains, so where none
 * occurs the pattern is not run at all. With LINT_LINE_LOCAL (no match
 * spans a newline) it runs only on the lines that hold a needle. Callers
 * must make sure the promise holds: a wrong needle loses findings. */
/* With LINT_STARTS_AT_NEEDLE every match starts where a needle does, and
 * the pattern runs anchored there only. */
enum { LINT_NEEDLES_CASELESS = 1u, LINT_LINE_LOCAL = 2u, LINT_STARTS_AT_NEEDLE = 4u };
lint_regex *lint_regex_needing(const char *pattern, bool caseless, const char *const *needles,
                               unsigned flags);
/* True when s[0..len) contains lit: a cheap test before a pattern that can
 * only match text holding lit (most scripts hold none of them). */
bool lint_contains(const char *s, size_t len, const char *lit);
/* The first occurrence of lit[0..n) in s[from..len), ASCII case ignored
 * when caseless; SIZE_MAX when there is none. */
size_t lint_find(const char *s, size_t len, size_t from, const char *lit, size_t n, bool caseless);

/* --- external checkers (lint/extproc.c) ------------------------------ */

/* One child process: the caller sets argv (argv[0] the program's path);
 * extproc_run fills the rest. */
typedef struct extproc {
    char **argv;
    pid_t pid;
    int out, err;
    buf out_buf, err_buf;       /* what it printed (bounded; truncated says) */
    struct timespec started;
    bool started_ok, timed_out, truncated;
    int start_errno;
    int status;                 /* waitpid status */
} extproc;

bool extproc_executable(const char *path);
/* Runs procs, at most two at a time, calling done for each as it ends (or
 * fails to start: started_ok false); a child running past timeout_ms is
 * killed, and so is every child once *stop (a caught signal, may be NULL)
 * is set. Returns how many were started. */
size_t extproc_run(extproc **procs, size_t n, int timeout_ms, volatile sig_atomic_t *stop,
                   void (*done)(extproc *p, void *user), void *user);
/* Why a process gave no usable answer, one line. */
void extproc_describe_failure(const extproc *p, int timeout_ms, char *why, size_t size);
void extproc_free(extproc *p);
/* Spreads n inputs of the given sizes in bytes over parts calls of at most
 * max inputs each (parts * max >= n), so that the calls take about as
 * long: the largest first, each into the call with the fewest bytes that
 * has room. part_of[i] is input i's call; returns the inputs largest
 * first (malloc'd), the order to add them to their calls in. */
size_t *extproc_balance(const size_t *sizes, size_t n, size_t parts, size_t max, size_t *part_of);

/* --- ShellCheck ------------------------------------------------------ */

/* Runs ShellCheck over every shell script of the run in few processes and
 * adds its findings. Counts the processes it started. */
void shellcheck_run(lint_script *scripts, size_t count, const ssmc_config *config,
                    ssmc_diags *diags);
extern size_t shellcheck_processes;
/* Per call; a call running longer is killed (tests shorten it). */
extern int shellcheck_timeout_ms;

/* --- pyflakes (lint/pyflakes.c) --------------------------------------- */

/* Runs pyflakes over every SCRIPT_PYTHON script of the run in one or two
 * processes and adds its findings (SSM8066-SSM8071). */
void pyflakes_run(lint_script *scripts, size_t count, const ssmc_config *config,
                  ssmc_diags *diags);
extern size_t pyflakes_processes;
extern int pyflakes_timeout_ms;

#endif
