/* validate.h — the validation stage's shared context. validate.c fills the
 * basics (kind, schema version, the top-level sections) and then calls the
 * checks in this order; each lives in a file of its own:
 *   validate_document.c   kinds, schemaVersion, top-level keys, size
 *   validate_params.c     parameters and {{ }} references
 *   validate_steps.c      mainSteps / runtimeConfig, plugins and inputs
 *                         (from the grammar tables), preconditions, platforms */
#ifndef SSMC_VALIDATE_H
#define SSMC_VALIDATE_H

#include "internal.h"
#include "grammar.h"

typedef enum doc_kind {
    KIND_UNKNOWN = 0,
    KIND_COMMAND,
    KIND_POLICY,
    KIND_AUTOMATION,
    KIND_SESSION,
    KIND_PACKAGE,
    KIND_CHANGE_TEMPLATE,
    KIND_ASSOCIATION
} doc_kind;

typedef struct vctx {
    const ssmc_sources *sources;
    const ssmc_source *source;
    ssmc_document *doc;
    const ssmc_config *config;
    ssmc_diags *diags;
    uint32_t file;
    ssmc_node *root;             /* the top-level mapping */
    doc_kind kind;
    bool kind_forced;            /* --document-type */
    ssmc_node *schema_version;   /* the node as written, or NULL */
    const char *version;         /* its text ("2.2"), or NULL when missing */
    int version_major, version_minor; /* -1 when not of the form N.N */
    ssmc_node *parameters;       /* MAP or NULL */
    ssmc_node *main_steps;       /* SEQ or NULL */
    ssmc_node *runtime_config;   /* MAP or NULL */
    bool stop;                   /* a finding made further checks pointless */
} vctx;

const char *doc_kind_name(doc_kind kind);
/* "Command", "command", "Automation", ... as accepted by --document-type. */
bool doc_kind_parse(const char *name, doc_kind *out);
/* The kind validation would give the document (no --document-type). */
doc_kind doc_kind_guess(ssmc_node *root);

void validate_document_top(vctx *v);
/* The document kind's top-level keys (grammar/kinds.json): a key another
 * kind owns gets rule `elsewhere` (`elsewhere_automation` when Automation
 * owns it), any other unknown key rule `unknown` with a did-you-mean and
 * the list of the kind's keys (those of `version`, or all when NULL). The
 * words name the document in the messages: "not to <owner_phrase>", "did
 * you mean 'x'? <list_phrase> has: ...", "remove it (<paren_phrase> has:
 * ...)". Shared by the document kinds and the Automation runbook. */
typedef struct top_keys_words {
    ssmc_rule elsewhere, elsewhere_automation, unknown;
    const char *owner_phrase;
    const char *list_phrase;
    const char *paren_phrase;
    const char *version;
} top_keys_words;

void validate_top_keys(vctx *v, const grammar_kind *k, const top_keys_words *w);
void validate_parameters(vctx *v);
void validate_references(vctx *v);
void validate_steps(vctx *v);
/* SSM4016 for each item of a list of strings (runCommand, an aws:runCommand
 * step's commands) that YAML did not read as a string; true when any. */
bool validate_non_string_items(vctx *v, const char *label, const ssmc_node *list);
/* compiler/automation/: every check of an Automation runbook after the
 * schema version and size. */
void automation_validate(vctx *v);

/* The document types with a folder of their own (dispatched by validate.c
 * after validate_document_top): compiler/session/, compiler/package/,
 * compiler/changetemplate/. */
void session_validate(vctx *v);
/* The names that fit one place of a Session document (sessionType values,
 * inputs keys, the properties of a Port session, the OS keys of a commands
 * session's properties, and their keys), for completion in the editor: the
 * i-th, or NULL past the last. */
typedef enum session_place {
    SESSION_TYPES,
    SESSION_INPUTS,
    SESSION_PORT,
    SESSION_OSES,
    SESSION_SHELL
} session_place;
const char *session_name_at(session_place place, size_t i);
void package_validate(vctx *v);
void change_template_validate(vctx *v);
/* compiler/catalogue/run_document.c: aws:runDocument steps running an
 * AWS-managed document, their documentParameters against the catalogue. */
void catalogue_check_run_documents(vctx *v);

/* validate_json.c: the agent's JSON text of a value (Go encoding/json:
 * compact, sorted keys, HTML characters escaped), and a JSON object given
 * as text in a string, read into a mapping in the document's arena whose
 * keys and string values point into the string (NULL when the text is not
 * a JSON object). */
/* validate_steps.c: whether s matches a grammar pattern (PCRE2, UTF); true
 * when the pattern does not compile (a grammar fault the unit tests catch). */
bool validate_pattern_matches(const char *pattern, const char *s, size_t len);
/* pcre2_match's result for an unanchored search of s with pattern compiled
 * with PCRE2 options (both through a bounded cache of compiled patterns,
 * params_pattern.c); *compiled false (and PCRE2_ERROR_NOMATCH) when it
 * does not compile. A match is any result >= 0. */
int params_pattern_search(const char *pattern, uint32_t options, const char *s, size_t len, bool *compiled);

void validate_json_text(buf *b, const ssmc_node *n);
ssmc_node *validate_json_object(vctx *v, const ssmc_node *host);

#endif
