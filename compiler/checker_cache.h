/* checker_cache.h — external checkers' results kept between runs
 * (checker_cache.c). */
#ifndef SSMC_CHECKER_CACHE_H
#define SSMC_CHECKER_CACHE_H

#include "internal.h"

typedef struct checker_cache checker_cache;

/* The cache of one checker ("shellcheck", "pyflakes") run as `prog` with
 * `options`; NULL when there is no cache directory or the checker's
 * version cannot be learnt (then every script is checked afresh). May
 * start `prog --version` once per installed binary (stdio is flushed
 * first; one running longer than timeout_ms is killed). */
checker_cache *checker_cache_open(const char *checker, const char *prog, const char *options,
                                  int timeout_ms);
/* The key of one input: the checker's identity, version and options (from
 * open), the dialect and the exact bytes the checker reads. */
void checker_cache_key(const checker_cache *cache, const char *dialect, const char *data,
                       size_t len, char key[65]);
/* Appends the stored payload to out; false on a miss (or a damaged entry). */
bool checker_cache_get(checker_cache *cache, const char key[65], buf *out);
void checker_cache_put(checker_cache *cache, const char key[65], const char *payload, size_t len);
/* Evicts least recently used entries past the size bound, frees. NULL ok. */
void checker_cache_close(checker_cache *cache);

/* The distinct inputs of one run: a script that recurs (a document kept
 * as JSON and as YAML, a template and the file cut from it) is checked and
 * hashed for its cache key once. The texts are the caller's, and must
 * outlive the set. */
typedef struct checker_inputs {
    hash_index index;
    const char **dialects;
    const char **texts;
    size_t *lens;
    size_t count, cap;
} checker_inputs;
void checker_inputs_init(checker_inputs *in);
/* The number of the first input equal to (dialect, text); a new one is
 * added, and its number is count - 1. */
size_t checker_inputs_add(checker_inputs *in, const char *dialect, const char *text, size_t len);
void checker_inputs_free(checker_inputs *in);

/* $XDG_CACHE_HOME/ssmc, else $HOME/.cache/ssmc, else NULL (malloc'd). */
char *checker_cache_root(void);
/* Removes every cache entry; the count removed, or -1 with *error set. */
int checker_cache_clear(char **error);

#endif
