/* doc_lookup.h — finding the file of a document named by another one: the
 * SSMDocument path of an aws:runDocument step (plan.c) and the Name of an
 * association (association.c) are looked up the same way, in the same
 * directories. */
#ifndef SSMC_DOC_LOOKUP_H
#define SSMC_DOC_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>

/* The file of the document NAME, NAME:VERSION or arn:...:document/NAME in
 * the first of dirs that holds NAME.yaml, NAME.yml or NAME.json; a
 * malloc'd path, or NULL. */
char *doc_lookup_find(const char *name, const char *const *dirs, size_t count);
/* Is NAME (after an ARN prefix, before a :VERSION) a path rather than a
 * document name: a '/' or '\\' in it, or "." or ".."? Such a name is never
 * looked up. */
bool doc_lookup_name_is_path(const char *name);

/* The search path: dirs as given (--doc-path), then the repository's
 * stdlib-docs and the installed documents (share/ssmc/documents, and the
 * older share/ssmc/stdlib-docs) when they exist. A malloc'd array whose
 * strings belong to the caller's dirs or are static; *out_count entries. */
const char **doc_lookup_search_path(const char *const *dirs, size_t count, size_t *out_count);

bool doc_lookup_file_exists(const char *path);

/* The bytes of a file (at most 64 MiB, NUL-terminated, malloc'd, as
 * ssmc_sources_add takes them), or NULL when it cannot be read. */
char *doc_lookup_read(const char *path, size_t *len);

#endif
