/* inventory.c — target matching of associations against a local inventory.
 * See inventory.h. */
#include "inventory.h"

#include <stdlib.h>
#include <string.h>

static const ssmc_node *get_any(const ssmc_node *map, const char *const *keys)
{
    for (; *keys; keys++) {
        const ssmc_node *v = ssmc_map_get(map, *keys);
        if (v)
            return v;
    }
    return NULL;
}

static bool scalar_text(const ssmc_node *n) { return n && ssmc_node_is_scalar(n) && n->str; }

static void bad(ssmc_diags *diags, const ssmc_node *n, const char *msg)
{
    ssmc_diag_add(diags, SSMC_RULE_SSM7040, n->file, loc_of_node(n), "%s", msg);
}

static void read_tags(inventory_instance *inst, const ssmc_node *tags, ssmc_diags *diags)
{
    if (tags->type == SSMC_NODE_MAP) {
        inst->tags = xcalloc(tags->count ? tags->count : 1, sizeof *inst->tags);
        for (size_t i = 0; i < tags->count; i++)
            if (scalar_text(tags->pairs[i].key) && scalar_text(tags->pairs[i].value))
                inst->tags[inst->tag_count++] = (inventory_tag){tags->pairs[i].key->str, tags->pairs[i].value->str};
        return;
    }
    if (tags->type == SSMC_NODE_SEQ) {
        inst->tags = xcalloc(tags->count ? tags->count : 1, sizeof *inst->tags);
        for (size_t i = 0; i < tags->count; i++) {
            const ssmc_node *t = tags->items[i];
            const ssmc_node *k = t->type == SSMC_NODE_MAP ? ssmc_map_get(t, "Key") : NULL;
            const ssmc_node *v = t->type == SSMC_NODE_MAP ? ssmc_map_get(t, "Value") : NULL;
            if (scalar_text(k) && (!v || scalar_text(v)))
                inst->tags[inst->tag_count++] = (inventory_tag){k->str, v ? v->str : ""};
            else
                bad(diags, t, "a tag in a list is {Key: ..., Value: ...}");
        }
        return;
    }
    bad(diags, tags, "tags are a mapping (key: value) or a list of {Key, Value}");
}

bool inventory_read(inventory *inv, const ssmc_node *root, ssmc_diags *diags)
{
    static const char *const id_keys[] = {"id", "InstanceId", "instanceId", "Id", NULL};
    static const char *const platform_keys[] = {"platform", "PlatformType", "Platform", "platformType", NULL};
    static const char *const tag_keys[] = {"tags", "Tags", NULL};
    static const char *const group_keys[] = {"resourceGroups", "ResourceGroups", "resource_groups", NULL};
    static const char *const list_keys[] = {"instances", "Instances", "InstanceInformationList", NULL};
    memset(inv, 0, sizeof *inv);
    const ssmc_node *list = root;
    if (root && root->type == SSMC_NODE_MAP)
        list = get_any(root, list_keys);
    if (!list || list->type != SSMC_NODE_SEQ) {
        bad(diags, list ? list : root, "an inventory is a list of instances, or a mapping with an 'instances' list");
        return false;
    }
    inv->items = xcalloc(list->count ? list->count : 1, sizeof *inv->items);
    for (size_t i = 0; i < list->count; i++) {
        const ssmc_node *n = list->items[i];
        const ssmc_node *id = n->type == SSMC_NODE_MAP ? get_any(n, id_keys) : NULL;
        if (!scalar_text(id)) {
            bad(diags, n, "an instance needs an 'id' (i-... or mi-...)");
            continue;
        }
        inventory_instance *inst = &inv->items[inv->count++];
        inst->id = id->str;
        const ssmc_node *p = get_any(n, platform_keys);
        inst->platform = scalar_text(p) ? p->str : NULL;
        const ssmc_node *tags = get_any(n, tag_keys);
        if (tags)
            read_tags(inst, tags, diags);
        const ssmc_node *groups = get_any(n, group_keys);
        if (groups && groups->type == SSMC_NODE_SEQ) {
            inst->groups = xcalloc(groups->count ? groups->count : 1, sizeof *inst->groups);
            for (size_t j = 0; j < groups->count; j++)
                if (scalar_text(groups->items[j]))
                    inst->groups[inst->group_count++] = groups->items[j]->str;
        } else if (groups) {
            bad(diags, groups, "resourceGroups is a list of resource group names");
        }
    }
    return inv->count > 0;
}

void inventory_free(inventory *inv)
{
    for (size_t i = 0; i < inv->count; i++) {
        free(inv->items[i].tags);
        free(inv->items[i].groups);
    }
    free(inv->items);
    memset(inv, 0, sizeof *inv);
}

static bool any_value(const ssmc_node *values, bool (*pred)(const inventory_instance *, const char *),
                      const inventory_instance *inst)
{
    for (size_t i = 0; i < values->count; i++)
        if (scalar_text(values->items[i]) && pred(inst, values->items[i]->str))
            return true;
    return false;
}

static bool id_is(const inventory_instance *inst, const char *v) { return strcmp(v, "*") == 0 || strcmp(inst->id, v) == 0; }

static bool has_tag_key(const inventory_instance *inst, const char *key)
{
    for (size_t i = 0; i < inst->tag_count; i++)
        if (strcmp(inst->tags[i].key, key) == 0)
            return true;
    return false;
}

static bool in_group(const inventory_instance *inst, const char *group)
{
    for (size_t i = 0; i < inst->group_count; i++)
        if (strcmp(inst->groups[i], group) == 0)
            return true;
    return false;
}

static bool of_type(const inventory_instance *inst, const char *type)
{
    if (strcmp(type, "AWS::EC2::Instance") == 0)
        return strncmp(inst->id, "i-", 2) == 0;
    if (strcmp(type, "AWS::SSM::ManagedInstance") == 0)
        return strncmp(inst->id, "mi-", 3) == 0;
    return false;
}

static bool target_matches(const inventory_instance *inst, const ssmc_node *target)
{
    const ssmc_node *key = target->type == SSMC_NODE_MAP ? ssmc_map_get(target, "Key") : NULL;
    const ssmc_node *values = target->type == SSMC_NODE_MAP ? ssmc_map_get(target, "Values") : NULL;
    if (!scalar_text(key) || !values || values->type != SSMC_NODE_SEQ)
        return false;
    const char *k = key->str;
    if (str_eq_nocase(k, "InstanceIds"))
        return any_value(values, id_is, inst);
    if (strcmp(k, "tag-key") == 0)
        return any_value(values, has_tag_key, inst);
    if (strcmp(k, "resource-groups:Name") == 0)
        return any_value(values, in_group, inst);
    if (strcmp(k, "resource-groups:ResourceTypeFilters") == 0)
        return any_value(values, of_type, inst);
    if (strncmp(k, "tag:", 4) == 0) {
        for (size_t i = 0; i < inst->tag_count; i++) {
            if (strcmp(inst->tags[i].key, k + 4) != 0)
                continue;
            for (size_t j = 0; j < values->count; j++)
                if (scalar_text(values->items[j]) && strcmp(values->items[j]->str, inst->tags[i].value) == 0)
                    return true;
        }
        return false;
    }
    return false;    /* an unknown key selects nothing */
}

bool inventory_instance_matches(const inventory_instance *inst, const ssmc_node *association)
{
    if (!association || association->type != SSMC_NODE_MAP)
        return false;
    const ssmc_node *iid = ssmc_map_get(association, "InstanceId");
    if (scalar_text(iid))
        return strcmp(iid->str, inst->id) == 0;
    const ssmc_node *targets = ssmc_map_get(association, "Targets");
    if (!targets || targets->type != SSMC_NODE_SEQ || targets->count == 0)
        return false;
    for (size_t i = 0; i < targets->count; i++)
        if (!target_matches(inst, targets->items[i]))
            return false;
    return true;
}

size_t inventory_match(const inventory *inv, const ssmc_node *association, const char ***ids)
{
    *ids = xcalloc(inv->count ? inv->count : 1, sizeof **ids);
    size_t n = 0;
    for (size_t i = 0; i < inv->count; i++)
        if (inventory_instance_matches(&inv->items[i], association))
            (*ids)[n++] = inv->items[i].id;
    return n;
}
