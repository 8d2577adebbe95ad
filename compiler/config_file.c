/* config_file.c — the .ssmc.yaml configuration file, read through the same
 * loader as documents so every problem has a position. */
#include "config_file.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const top_keys[] = {"rules", "shellcheck", "exclude", "include", "cache",
                                       "show-info"};
static const char *const shellcheck_keys[] = {"path", "options"};
static const char *const severity_words[] = {"off", "info", "warning", "error"};

static bool is_string(const ssmc_node *n) { return n && n->type == SSMC_NODE_STRING; }

static void unknown_key(ssmc_diags *diags, const ssmc_node *key, const char *where,
                        const char *const *names, size_t count)
{
    const char *guess = did_you_mean(key->str, names, count);
    if (guess)
        ssmc_diag_add(diags, SSMC_RULE_SSM9002, key->file, key->span,
                      "unknown key '%s' in %s; did you mean '%s'?", key->str, where, guess);
    else
        ssmc_diag_add(diags, SSMC_RULE_SSM9002, key->file, key->span,
                      "unknown key '%s' in %s (ignored)", key->str, where);
}

/* "off" and "no" arrive as booleans from a YAML 1.1 reading; both mean off. */
static bool severity_of(const ssmc_node *value, ssmc_severity *out)
{
    if (value->type == SSMC_NODE_BOOL && !value->val.b) {
        *out = SSMC_SEV_OFF;
        return true;
    }
    if (!is_string(value))
        return false;
    for (size_t i = 0; i < sizeof severity_words / sizeof *severity_words; i++) {
        if (str_eq_nocase(value->str, severity_words[i])) {
            *out = (ssmc_severity)i;
            return true;
        }
    }
    return false;
}

static void rule_names(const char **names)
{
    size_t n = ssmc_rule_count();
    for (size_t i = 0; i < n; i++) {
        names[i] = ssmc_rule_get((ssmc_rule)i)->id;
        names[n + i] = ssmc_rule_get((ssmc_rule)i)->name;
    }
}

static void apply_rules(const ssmc_node *rules, ssmc_config *config, ssmc_diags *diags)
{
    if (rules->type != SSMC_NODE_MAP) {
        ssmc_diag_add(diags, SSMC_RULE_SSM9002, rules->file, rules->span,
                      "'rules' must be a mapping of rule id or name to off, info, warning or "
                      "error, not %s", ssmc_node_type_phrase(rules->type));
        return;
    }
    size_t n = ssmc_rule_count();
    const char **names = xcalloc(2 * n, sizeof *names);
    rule_names(names);
    for (size_t i = 0; i < rules->count; i++) {
        const ssmc_node *key = rules->pairs[i].key, *value = rules->pairs[i].value;
        if (!is_string(key))
            continue;
        ssmc_rule rule;
        bool external = ssmc_external_rule_id(key->str, NULL);
        if (!external && !ssmc_rule_lookup(key->str, &rule)) {
            const char *guess = did_you_mean(key->str, names, 2 * n);
            if (guess)
                ssmc_diag_add(diags, SSMC_RULE_SSM9002, key->file, key->span,
                              "unknown rule '%s'; did you mean '%s'?", key->str, guess);
            else
                ssmc_diag_add(diags, SSMC_RULE_SSM9002, key->file, key->span,
                              "unknown rule '%s' (see `ssmc rules` for the list)", key->str);
            continue;
        }
        ssmc_severity sev;
        if (!value || !severity_of(value, &sev)) {
            const ssmc_node *at = value ? value : key;
            ssmc_diag_add(diags, SSMC_RULE_SSM9002, at->file, at->span,
                          "the severity of rule '%s' must be off, info, warning or error",
                          key->str);
            continue;
        }
        if (!external && ssmc_rule_always_on(rule) && sev != SSMC_SEV_ERROR) {
            ssmc_diag_add(diags, SSMC_RULE_SSM9191, value->file, value->span,
                          "rule %s (%s) cannot be set to %s: a file that could not be read is "
                          "always an error (ignored)",
                          ssmc_rule_get(rule)->id, ssmc_rule_get(rule)->name,
                          ssmc_severity_name(sev));
            continue;
        }
        if (external) {
            if (!ssmc_config_set_external(config, key->str, sev, false))
                ssmc_diag_add(diags, SSMC_RULE_SSM9002, key->file, key->span,
                              "too many ShellCheck rules configured (at most %d); '%s' ignored",
                              SSMC_MAX_EXTERNAL_SETTINGS, key->str);
        } else if ((size_t)rule < SSMC_RULE_COUNT_BUILTIN) {
            config->severity[rule] = sev;
        }
    }
    free(names);
}

/* Scalars other than strings (a number, a boolean) are taken as written. */
static char *scalar_text(const ssmc_node *n)
{
    if (!ssmc_node_is_scalar(n) || n->type == SSMC_NODE_NULL)
        return NULL;
    return xstrndup(n->str ? n->str : "", n->str ? n->len : 0);
}

static void apply_shellcheck(const ssmc_node *sc, config_file_extra *extra, ssmc_diags *diags)
{
    if (sc->type != SSMC_NODE_MAP) {
        ssmc_diag_add(diags, SSMC_RULE_SSM9002, sc->file, sc->span,
                      "'shellcheck' must be a mapping with 'path' and/or 'options', not %s",
                      ssmc_node_type_phrase(sc->type));
        return;
    }
    for (size_t i = 0; i < sc->count; i++) {
        const ssmc_node *key = sc->pairs[i].key, *value = sc->pairs[i].value;
        if (!is_string(key))
            continue;
        if (strcmp(key->str, "path") == 0) {
            char *text = value ? scalar_text(value) : NULL;
            if (!text) {
                ssmc_diag_add(diags, SSMC_RULE_SSM9002, key->file, key->span,
                              "'shellcheck.path' must be auto, off or the path of ShellCheck");
                continue;
            }
            free(extra->shellcheck_path);
            extra->shellcheck_path = text;
            extra->shellcheck_path_span = value->span;
        } else if (strcmp(key->str, "options") == 0) {
            buf b;
            buf_init(&b);
            bool ok = true;
            if (value && value->type == SSMC_NODE_SEQ) {
                for (size_t j = 0; j < value->count && ok; j++) {
                    char *t = scalar_text(value->items[j]);
                    if (!t) {
                        ok = false;
                        break;
                    }
                    if (b.len)
                        buf_addc(&b, ' ');
                    buf_adds(&b, t);
                    free(t);
                }
            } else {
                char *t = value ? scalar_text(value) : NULL;
                if (t)
                    buf_adds(&b, t);
                else
                    ok = false;
                free(t);
            }
            if (!ok) {
                buf_free(&b);
                ssmc_diag_add(diags, SSMC_RULE_SSM9002, key->file, key->span,
                              "'shellcheck.options' must be a string or a list of strings");
                continue;
            }
            free(extra->shellcheck_options);
            extra->shellcheck_options = buf_steal(&b);
        } else {
            unknown_key(diags, key, "'shellcheck'", shellcheck_keys,
                        sizeof shellcheck_keys / sizeof *shellcheck_keys);
        }
    }
}

/* exclude: and include: — lists of globs (cli_inputs.c matches them). */
static void apply_globs(const ssmc_node *ex, const char *key, char ***globs, size_t *count,
                        ssmc_diags *diags)
{
    if (ex->type != SSMC_NODE_SEQ) {
        ssmc_diag_add(diags, SSMC_RULE_SSM9002, ex->file, ex->span,
                      "'%s' must be a list of glob patterns, not %s", key,
                      ssmc_node_type_phrase(ex->type));
        return;
    }
    for (size_t i = 0; i < ex->count; i++) {
        const ssmc_node *item = ex->items[i];
        if (!is_string(item)) {
            ssmc_diag_add(diags, SSMC_RULE_SSM9002, item->file, item->span,
                          "an '%s' entry must be a glob pattern string", key);
            continue;
        }
        *globs = xrealloc(*globs, (*count + 1) * sizeof **globs);
        (*globs)[(*count)++] = xstrndup(item->str, item->len);
    }
}

void config_file_apply(const ssmc_document *document, ssmc_config *config,
                       config_file_extra *extra, ssmc_diags *diags)
{
    const ssmc_node *root = document->root;
    if (!root || !document->syntax_ok)
        return;
    if (root->type == SSMC_NODE_NULL)
        return; /* an empty file configures nothing */
    if (root->type != SSMC_NODE_MAP) {
        ssmc_diag_add(diags, SSMC_RULE_SSM9002, root->file, root->span,
                      "the configuration file must be a mapping with the keys rules, "
                      "shellcheck, exclude, include, cache and show-info");
        return;
    }
    for (size_t i = 0; i < root->count; i++) {
        const ssmc_node *key = root->pairs[i].key, *value = root->pairs[i].value;
        if (!is_string(key) || !value)
            continue;
        if (value->type == SSMC_NODE_NULL)
            continue; /* "rules:" with nothing under it */
        if (strcmp(key->str, "rules") == 0)
            apply_rules(value, config, diags);
        else if (strcmp(key->str, "shellcheck") == 0)
            apply_shellcheck(value, extra, diags);
        else if (strcmp(key->str, "exclude") == 0)
            apply_globs(value, "exclude", &extra->exclude, &extra->exclude_count, diags);
        else if (strcmp(key->str, "include") == 0)
            apply_globs(value, "include", &extra->include, &extra->include_count, diags);
        else if (strcmp(key->str, "cache") == 0 && value->type == SSMC_NODE_BOOL)
            extra->cache_off = !value->val.b;
        else if (strcmp(key->str, "cache") == 0)
            ssmc_diag_add(diags, SSMC_RULE_SSM9002, value->file, value->span,
                          "'cache' must be true or false (whether external checkers' results "
                          "are kept between runs), not %s",
                          ssmc_node_type_phrase(value->type));
        else if (strcmp(key->str, "show-info") == 0 && value->type == SSMC_NODE_BOOL)
            extra->show_info = value->val.b;
        else if (strcmp(key->str, "show-info") == 0)
            ssmc_diag_add(diags, SSMC_RULE_SSM9002, value->file, value->span,
                          "'show-info' must be true or false (whether text output shows info "
                          "findings, as --show-info), not %s",
                          ssmc_node_type_phrase(value->type));
        else
            unknown_key(diags, key, "the configuration file", top_keys,
                        sizeof top_keys / sizeof *top_keys);
    }
}

void config_file_extra_free(config_file_extra *extra)
{
    for (size_t i = 0; i < extra->exclude_count; i++)
        free(extra->exclude[i]);
    free(extra->exclude);
    for (size_t i = 0; i < extra->include_count; i++)
        free(extra->include[i]);
    free(extra->include);
    free(extra->shellcheck_path);
    free(extra->shellcheck_options);
    memset(extra, 0, sizeof *extra);
}
