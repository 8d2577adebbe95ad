/* association.h — State Manager association files (CreateAssociation
 * request objects in YAML or JSON): field types, patterns and ranges from the
 * SSM API model, schedule, targets, rate controls, and the Parameters checked
 * against the document the association runs. Spec section 7. */
#ifndef SSMC_ASSOCIATION_H
#define SSMC_ASSOCIATION_H

#include "schedule.h"
#include "validate.h"

typedef struct association_info {
    schedule schedule;        /* kind SCHEDULE_INVALID when absent or wrong */
    char *expression;         /* the ScheduleExpression text, or NULL (owned) */
    bool apply_only_at_cron_interval;   /* ApplyOnlyAtCronInterval: true */
} association_info;

void association_info_free(association_info *info);

/* Checks the association whose top-level mapping is root. The document named
 * by Name is looked up among the other sources of the run (see
 * association_find_document). info may be NULL. */
void association_check_tree(const ssmc_sources *sources, const ssmc_node *root,
                            const ssmc_config *config, ssmc_diags *diags, association_info *info);

/* The same for an association kept in a host file: document_root, when
 * not NULL, is the document its Name refers to (a !Ref to an
 * AWS::SSM::Document of the same template), used instead of a look-up;
 * name_is_value: otherwise the Name is a value only the host's deployment
 * knows, and no document is looked up. */
void association_check_embedded(const ssmc_sources *sources, const ssmc_node *root,
                                const ssmc_config *config, ssmc_diags *diags,
                                const ssmc_node *document_root, bool name_is_value);

/* Where the document named by an association's Name is: one of the sources
 * other than self whose file name matches (see
 * association_name_matches_file; *file set), else NAME.yaml|.yml|.json in
 * config's doc_paths and the stdlib documents (*path set, malloc'd;
 * doc_lookup.c). config may be NULL. False when neither. */
bool association_locate_document(const ssmc_sources *sources, uint32_t self, const char *name,
                                 const ssmc_config *config, uint32_t *file, char **path);

/* The named document, loaded: association_locate_document's, else the
 * catalogue's of AWS-managed documents (cat set; with
 * managed_from_catalogue a name the catalogue has goes to it at once,
 * without searching the run). From outside the run it lives in its own
 * source table (own), and findings cannot point into it. Used by
 * associations and by the aws:runCommand / aws:executeAutomation steps of
 * runbooks (compiler/automation/). */
typedef struct catalogue_doc catalogue_doc;
typedef struct association_doc {
    ssmc_document *doc;
    ssmc_sources own;
    bool in_run;
    char *path;
    const catalogue_doc *cat;
    /* doc and own belong to the cache of catalogue documents
     * (association.c), not to this: association_doc_free leaves them */
    bool shared;
    /* an input of the run that was not in memory, read for this: released
     * again by association_doc_free */
    ssmc_source *reloaded;
} association_doc;
bool association_load_document(const ssmc_sources *sources, uint32_t self, const char *name,
                               const ssmc_config *config, bool managed_from_catalogue,
                               association_doc *out);
void association_doc_free(association_doc *f);

/* The validation stage's entry point for a document of KIND_ASSOCIATION. */
void association_validate(vctx *v);

/* Does the file name `path` name the document `name`? Compares the base
 * name without its extension (.yaml, .yml, .json) to the document name,
 * ignoring case and the separators '-', '_', '.' and ' ':
 * ConfigureWebServer ~ configure-web-server.yaml ~ ConfigureWebServer.json. */
bool association_name_matches_file(const char *name, const char *path);

#endif
