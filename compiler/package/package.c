/* package.c — Distributor package manifests (schemaVersion 2.0): version,
 * the packages tree platform -> platform version -> architecture -> {file},
 * and files with their checksums.
 *
 * Sources: spec automation-session-package.md section 7 (User Guide
 * distributor-working-with-packages-create.md, distributor.md; agent
 * plugins/configurepackage/birdwatcher/types.go and envdetect constants;
 * the 17 AWS-managed packages), section 9 row 19. */
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 20   /* CreateDocument: at most 20 attachments */

/* The guide's platforms, then those the AWS-managed packages and the
 * agent's platform detector add. */
static const char *const platforms[] = {
    "windows", "debian", "ubuntu", "redhat", "centos", "amazon", "suse", "opensuse",
    "opensuseleap", "oracle", "_any", "mac_os_x", "almalinux", "rocky", "fedora",
    "bottlerocket", "alpine", "raspbian", "gentoo", "flatcar", "arch", "darwin"};
static const char *const arches[] = {"x86_64", "386", "arm64", "_any"};

typedef struct pctx {
    vctx *v;
    const ssmc_node *files;    /* MAP or NULL */
    bool *used;                /* per files entry */
} pctx;

static bool in_names(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return true;
    return false;
}

static void unknown_name(vctx *v, const ssmc_node *k, const char *what, const char *const *names,
                         size_t n)
{
    const char *guess = did_you_mean(k->str, names, n);
    ssmc_diag_add(v->diags, SSMC_RULE_SSM2203, v->file, loc_of_node(k),
                  "'%s' is not %s the agent detects%s%s%s; it is never selected", k->str, what,
                  guess ? " (did you mean '" : "", guess ? guess : "", guess ? "'?)" : "");
}

static bool not_map(vctx *v, const ssmc_node *n, const char *what)
{
    if (n->type == SSMC_NODE_MAP)
        return false;
    ssmc_diag_add(v->diags, SSMC_RULE_SSM2202, v->file, loc_of_node(n),
                  "%s must be a mapping (packages: platform -> version -> architecture -> "
                  "{file: NAME}), not %s",
                  what, ssmc_node_type_phrase(n->type));
    return true;
}

static void check_leaf(pctx *c, const ssmc_node *leaf, const char *path)
{
    vctx *v = c->v;
    if (not_map(v, leaf, path))
        return;
    const ssmc_node *file = NULL;
    for (size_t i = 0; i < leaf->count; i++) {
        const ssmc_node *k = leaf->pairs[i].key;
        if (ssmc_node_is_scalar(k) && k->str && strcmp(k->str, "file") == 0)
            file = leaf->pairs[i].value;
        else
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2202, v->file, loc_of_node(k),
                          "%s has '%s'; an architecture entry holds only file", path,
                          k->str ? k->str : "?");
    }
    if (!file) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2202, v->file, loc_of_node(leaf),
                      "%s has no file: name the file of files to install", path);
        return;
    }
    if (file->type != SSMC_NODE_STRING) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2202, v->file, loc_of_node(file),
                      "file must be the name of an entry of files, not %s",
                      ssmc_node_type_phrase(file->type));
        return;
    }
    if (!c->files)
        return;
    for (size_t i = 0; i < c->files->count; i++) {
        const ssmc_node *k = c->files->pairs[i].key;
        if (k->str && strcmp(k->str, file->str) == 0) {
            c->used[i] = true;
            return;
        }
    }
    const char *names[MAX_FILES + 1];
    size_t n = 0;
    for (size_t i = 0; i < c->files->count && n < MAX_FILES + 1; i++)
        if (c->files->pairs[i].key->str)
            names[n++] = c->files->pairs[i].key->str;
    const char *guess = did_you_mean(file->str, names, n);
    ssmc_diag_add(v->diags, SSMC_RULE_SSM2204, v->file, loc_of_node(file),
                  "'%s' is not listed under files%s%s%s; every installed file must be an "
                  "attachment listed there with its checksum",
                  file->str, guess ? " (did you mean '" : "", guess ? guess : "",
                  guess ? "'?)" : "");
}

static void check_version_key(vctx *v, const ssmc_node *k)
{
    const char *star = strchr(k->str, '*');
    if (!star || strcmp(k->str, "*") == 0)
        return;
    size_t len = k->len;
    if (len >= 2 && star == k->str + len - 1 && k->str[len - 2] == '.' && !memchr(k->str, '*', len - 1))
        return;
    ssmc_diag_add(v->diags, SSMC_RULE_SSM2208, v->file, loc_of_node(k),
                  "platform version '%s': the agent matches '*' only alone or as a final '.*' "
                  "(as in '7.*'); here it is compared literally",
                  k->str);
}

static void check_packages(pctx *c, const ssmc_node *packages)
{
    vctx *v = c->v;
    if (not_map(v, packages, "packages"))
        return;
    if (packages->count == 0)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2202, v->file, loc_of_node(packages),
                      "packages is empty: no platform has a file to install");
    char path[512];
    for (size_t i = 0; i < packages->count; i++) {
        const ssmc_node *pk = packages->pairs[i].key, *versions = packages->pairs[i].value;
        if (!pk->str)
            continue;
        if (!in_names(pk->str, platforms, sizeof platforms / sizeof platforms[0]))
            unknown_name(v, pk, "a platform", platforms, sizeof platforms / sizeof platforms[0]);
        snprintf(path, sizeof path, "packages.%s", pk->str);
        if (not_map(v, versions, path))
            continue;
        for (size_t j = 0; j < versions->count; j++) {
            const ssmc_node *vk = versions->pairs[j].key, *archs = versions->pairs[j].value;
            if (!vk->str)
                continue;
            check_version_key(v, vk);
            snprintf(path, sizeof path, "packages.%s.%s", pk->str, vk->str);
            if (not_map(v, archs, path))
                continue;
            for (size_t a = 0; a < archs->count; a++) {
                const ssmc_node *ak = archs->pairs[a].key;
                if (!ak->str)
                    continue;
                if (archs->pairs[a].value->type == SSMC_NODE_MAP &&
                    !in_names(ak->str, arches, sizeof arches / sizeof arches[0]))
                    unknown_name(v, ak, "an architecture", arches, sizeof arches / sizeof arches[0]);
                snprintf(path, sizeof path, "packages.%s.%s.%s", pk->str, vk->str, ak->str);
                check_leaf(c, archs->pairs[a].value, path);
            }
        }
    }
}

static bool hex64(const char *s, size_t len, bool *upper)
{
    if (len != 64)
        return false;
    *upper = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'F')
            *upper = true;
        else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
    }
    return true;
}

static void check_file(vctx *v, const ssmc_node *key, const ssmc_node *entry)
{
    if (entry->type != SSMC_NODE_MAP) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2207, v->file, loc_of_node(entry),
                      "files entry '%s' must be a mapping with checksums, not %s", key->str,
                      ssmc_node_type_phrase(entry->type));
        return;
    }
    static const char *const fields[] = {"checksums", "size", "downloadLocation"};
    for (size_t i = 0; i < entry->count; i++) {
        const ssmc_node *k = entry->pairs[i].key, *val = entry->pairs[i].value;
        if (!k->str)
            continue;
        if (!in_names(k->str, fields, 3)) {
            const char *guess = did_you_mean(k->str, fields, 3);
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2207, v->file, loc_of_node(k),
                          "unknown key '%s' in files entry '%s'%s%s%s (a file has checksums, size "
                          "and downloadLocation)",
                          k->str, key->str, guess ? "; did you mean '" : "", guess ? guess : "",
                          guess ? "'?" : "");
        } else if (strcmp(k->str, "size") == 0 && val->type != SSMC_NODE_INT) {
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2207, v->file, loc_of_node(val),
                          "size is the file's size in bytes, an integer, not %s",
                          ssmc_node_type_phrase(val->type));
        } else if (strcmp(k->str, "downloadLocation") == 0 && val->type != SSMC_NODE_STRING) {
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2207, v->file, loc_of_node(val),
                          "downloadLocation is a URL string, not %s", ssmc_node_type_phrase(val->type));
        }
    }
    ssmc_pair *cp = ssmc_map_get_pair(entry, "checksums");
    if (!cp) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2206, v->file, loc_of_node(key),
                      "files entry '%s' has no checksums; add checksums: {sha256: <64 hex digits>}",
                      key->str);
        return;
    }
    const ssmc_node *sums = cp->value;
    const ssmc_node *sha = sums->type == SSMC_NODE_MAP ? ssmc_map_get(sums, "sha256") : NULL;
    if (!sha) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2206, v->file, loc_of_node(sums),
                      "the checksums of '%s' have no sha256: add sha256: <64 hex digits>", key->str);
        return;
    }
    bool upper = false;
    if (sha->type != SSMC_NODE_STRING || !hex64(sha->str, sha->len, &upper))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2206, v->file, loc_of_node(sha),
                      "the sha256 of '%s' is not 64 hexadecimal digits%s", key->str,
                      sha->type == SSMC_NODE_STRING ? "" : " (write it as a string)");
    else if (upper)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2208, v->file, loc_of_node(sha),
                      "the sha256 of '%s' is upper-case hexadecimal; accepted, but sha256sum and "
                      "the console write lower case",
                      key->str);
    size_t len = key->len;
    if (len < 4 || !str_eq_nocase(key->str + len - 4, ".zip"))
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2208, v->file, loc_of_node(key),
                      "'%s' is not a .zip file; Distributor installs a .zip holding install and "
                      "uninstall scripts",
                      key->str);
}

static void check_version(vctx *v)
{
    ssmc_pair *p = ssmc_map_get_pair(v->root, "version");
    if (!p) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2201, v->file,
                      span_from_offsets(v->source, v->root->span.start,
                                        v->root->span.start),
                      "a package manifest needs version (the package version, CreateDocument's "
                      "--version-name), such as version: '1.0.0'");
        return;
    }
    const ssmc_node *n = p->value;
    if (n->type != SSMC_NODE_STRING) {
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2201, v->file, loc_of_node(n),
                      "version must be a string, not %s%s", ssmc_node_type_phrase(n->type),
                      ssmc_node_is_scalar(n) && n->type != SSMC_NODE_NULL ? "; quote it" : "");
        return;
    }
    bool ok = n->len >= 1 && n->len <= 128;
    for (size_t i = 0; ok && i < n->len; i++) {
        char ch = n->str[i];
        ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
             ch == '_' || ch == '-' || ch == '.';
    }
    if (!ok)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2201, v->file, loc_of_node(n),
                      "version '%s' is not a version name: 1 to 128 letters, digits, '_', '-' and "
                      "'.'",
                      n->str);
}

void package_validate(vctx *v)
{
    check_version(v);
    const ssmc_node *files = ssmc_map_get(v->root, "files");
    pctx c = {v, NULL, NULL};
    if (files && files->type == SSMC_NODE_MAP) {
        c.files = files;
        c.used = xcalloc(files->count ? files->count : 1, sizeof *c.used);
        if (files->count > MAX_FILES)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2207, v->file,
                          loc_of_node(files->pairs[MAX_FILES].key),
                          "files has %zu entries; a package takes at most %d attachments",
                          (size_t)files->count, MAX_FILES);
        for (size_t i = 0; i < files->count; i++)
            if (files->pairs[i].key->str)
                check_file(v, files->pairs[i].key, files->pairs[i].value);
    }
    const ssmc_node *packages = ssmc_map_get(v->root, "packages");
    if (packages)
        check_packages(&c, packages);
    ssmc_span top = span_from_offsets(v->source, v->root->span.start, v->root->span.start);
    if (!packages)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2202, v->file, top,
                      "a package manifest needs packages: platform -> version -> architecture -> "
                      "{file: NAME}");
    if (!files)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM2207, v->file, top,
                      "a package manifest needs files: each attachment with its checksums");
    for (size_t i = 0; c.files && packages && i < c.files->count; i++)
        if (!c.used[i] && c.files->pairs[i].key->str)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM2205, v->file, loc_of_node(c.files->pairs[i].key),
                          "'%s' is listed under files but no platform installs it",
                          c.files->pairs[i].key->str);
    free(c.used);
}
