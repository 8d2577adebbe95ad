/* config_file.h — the .ssmc.yaml configuration file (config_file.c). */
#ifndef SSMC_CONFIG_FILE_H
#define SSMC_CONFIG_FILE_H

#include "ssmc.h"

/* What the file sets beyond ssmc_config's severities. Strings are malloc'd;
 * release with config_file_extra_free. */
typedef struct config_file_extra {
    char **exclude;              /* exclude: globs */
    size_t exclude_count;
    char **include;              /* include: globs (none: every file a walk finds) */
    size_t include_count;
    char *shellcheck_path;       /* shellcheck.path, or NULL */
    ssmc_loc shellcheck_path_span; /* where it is written */
    char *shellcheck_options;    /* shellcheck.options (list joined by spaces), or NULL */
    bool cache_off;              /* cache: false */
    bool show_info;              /* show-info: true, as --show-info */
} config_file_extra;

/* Applies a loaded configuration document: rules: severities into config,
 * the rest into extra. Problems (unknown keys, unknown rules, wrong kinds)
 * become SSM9002 findings in diags. */
void config_file_apply(const ssmc_document *document, ssmc_config *config,
                       config_file_extra *extra, ssmc_diags *diags);
void config_file_extra_free(config_file_extra *extra);

/* The .ssmc.yaml (or .ssmc.yml) nearest to dir, upward, malloc'd, or NULL.
 * With dir NULL the search starts at the working directory and the name is
 * relative to it (".ssmc.yaml", "../.ssmc.yaml") so that findings in it
 * read like findings in the inputs; else it is dir's path joined. The
 * search stops at the repository root (the directory holding .git): a
 * checkout never picks up a configuration from the directories around it
 * (issue 18). */
char *config_file_find(const char *dir);

/* Why a configuration file someone else could have written is not used at
 * all (owned by neither this user nor root, or writable by group or
 * others), or NULL when it may be used or is not a regular file. */
const char *config_file_untrusted(int fd);

#endif
