/* migrate.c — `ssmc compile --to-schema 2.2`: a schema 1.2 runtimeConfig
 * document becomes a schema 2.2 mainSteps document. One step per
 * properties item (agent docparser.parsePluginStateForV10Schema runs each
 * item of a plugin's properties list in turn); the item's `id` becomes the
 * step name, the plugin name its action; parameters are kept as they are.
 * Info findings (SSM6003) say where the meaning changes. */
#include "emit.h"
#include "plan.h"

#include <string.h>

static ssmc_node *str_node(ssmc_arena *a, const char *s)
{
    return node_new_string(a, s, strlen(s));
}

static void map_put(ssmc_arena *a, ssmc_node *map, size_t cap, const char *key, ssmc_node *value)
{
    (void)cap;
    map->pairs[map->count].key = str_node(a, key);
    map->pairs[map->count].value = value;
    map->count++;
}

/* The properties item without its "id" (it is the step name now). */
static ssmc_node *inputs_of(ssmc_arena *a, const ssmc_node *item)
{
    if (item->type != SSMC_NODE_MAP)
        return (ssmc_node *)item;
    ssmc_node *m = node_new(a, SSMC_NODE_MAP);
    m->pairs = arena_alloc(a, (item->count ? item->count : 1) * sizeof *m->pairs);
    for (size_t i = 0; i < item->count; i++) {
        const ssmc_node *k = item->pairs[i].key;
        if (k->len == 2 && memcmp(k->str, "id", 2) == 0)
            continue;
        m->pairs[m->count++] = item->pairs[i];
    }
    return m;
}

ssmc_node *migrate_to_22(ssmc_document *doc, ssmc_diags *diags)
{
    ssmc_arena *a = doc->arena;
    const ssmc_node *root = doc->root;
    const ssmc_node *sv = ssmc_map_get(root, "schemaVersion");
    const ssmc_node *rc = ssmc_map_get(root, "runtimeConfig");
    if (!sv || !ssmc_node_is_scalar(sv) || strcmp(sv->str, "1.2") != 0 || !rc ||
        rc->type != SSMC_NODE_MAP) {
        ssmc_diag_add(diags, SSMC_RULE_SSM6004, doc->file, sv ? sv->span : loc_of_node(root),
                      "--to-schema 2.2 migrates schema 1.2 documents with a runtimeConfig "
                      "section; this document is schema %s%s",
                      sv && ssmc_node_is_scalar(sv) ? sv->str : "(none)",
                      rc ? "" : " without runtimeConfig");
        return NULL;
    }

    /* Steps, in the order the plugins are written. */
    size_t total = 0;
    for (size_t i = 0; i < rc->count; i++) {
        const ssmc_node *props = ssmc_map_get(rc->pairs[i].value, "properties");
        total += props && props->type == SSMC_NODE_SEQ ? props->count : 1;
    }
    ssmc_node *steps = node_new(a, SSMC_NODE_SEQ);
    steps->items = arena_alloc(a, (total ? total : 1) * sizeof *steps->items);
    buf order;
    buf_init(&order);
    for (size_t i = 0; i < rc->count; i++) {
        const ssmc_node *plugin_key = rc->pairs[i].key;
        const ssmc_node *plugin = rc->pairs[i].value;
        const ssmc_node *props = ssmc_map_get(plugin, "properties");
        const ssmc_node *settings = ssmc_map_get(plugin, "settings");
        if (settings)
            ssmc_diag_add(diags, SSMC_RULE_SSM6003, doc->file, settings->span,
                          "the 1.2 'settings' of %s have no place in a 2.2 step and are dropped",
                          plugin_key->str);
        const ssmc_node *one[1] = {props};
        const ssmc_node *const *items = one;
        size_t n = props ? 1 : 0;
        if (props && props->type == SSMC_NODE_SEQ)
            items = (const ssmc_node *const *)props->items, n = props->count;
        for (size_t k = 0; k < n; k++) {
            const ssmc_node *id = ssmc_map_get(items[k], "id");
            char *name;
            if (id && id->type == SSMC_NODE_STRING && id->len) {
                /* A 1.2 id such as "0.aws:runShellScript" is no valid step
                 * name (SSM4007: letters, digits, _ . - and at most 128):
                 * every other character becomes '_'. */
                size_t len = id->len < 128 ? id->len : 128;
                name = xstrndup(id->str, len);
                for (size_t c = 0; c < len; c++)
                    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
                                name[c]) || name[c] == '\0')
                        name[c] = '_';
            } else {
                /* "aws:runShellScript" -> "runShellScript", numbered when
                 * the plugin has several items without ids. */
                const char *base = strncmp(plugin_key->str, "aws:", 4) == 0 ? plugin_key->str + 4
                                                                             : plugin_key->str;
                name = n > 1 ? xasprintf("%s%zu", base, k + 1) : xstrdup(base);
            }
            ssmc_node *step = node_new(a, SSMC_NODE_MAP);
            step->pairs = arena_alloc(a, 3 * sizeof *step->pairs);
            map_put(a, step, 3, "action", str_node(a, plugin_key->str));
            map_put(a, step, 3, "name", str_node(a, name));
            map_put(a, step, 3, "inputs", inputs_of(a, items[k]));
            steps->items[steps->count++] = step;
            buf_printf(&order, "%s%s", order.len ? ", " : "", name);
            free(name);
        }
    }

    size_t cap = root->count + 1;
    ssmc_node *out = node_new(a, SSMC_NODE_MAP);
    out->pairs = arena_alloc(a, cap * sizeof *out->pairs);
    for (size_t i = 0; i < root->count; i++) {
        const ssmc_node *k = root->pairs[i].key;
        if (strcmp(k->str, "schemaVersion") == 0)
            map_put(a, out, cap, "schemaVersion", str_node(a, "2.2"));
        else if (strcmp(k->str, "runtimeConfig") == 0)
            map_put(a, out, cap, "mainSteps", steps);
        else
            out->pairs[out->count++] = root->pairs[i];
    }

    if (rc->count > 1)
        ssmc_diag_add(diags, SSMC_RULE_SSM6003, doc->file, rc->span,
                      "schema 1.2 runs its %zu plugins in no defined order; the 2.2 steps run "
                      "one after another in the order written (%s): check that this order is "
                      "right", (size_t)rc->count, order.data ? order.data : "");
    ssmc_diag_add(diags, SSMC_RULE_SSM6003, doc->file, rc->span,
                  "in schema 2.2 a step whose plugin the platform does not support is skipped "
                  "instead of failed, and steps may have a precondition (for example "
                  "StringEquals: [platformType, Linux]) and onFailure/onSuccess/finallyStep");
    buf_free(&order);
    return out;
}
