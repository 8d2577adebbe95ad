/* inventory.h — a local description of managed nodes (id, platform, tags,
 * resource groups) and which of them an association's Targets select.
 * Matching follows the User Guide (State Manager targets and rate controls,
 * spec section 7.3): the targets of one association are ANDed, the Values of
 * one target ORed; InstanceIds with * selects every node. */
#ifndef SSMC_INVENTORY_H
#define SSMC_INVENTORY_H

#include "internal.h"

typedef struct inventory_tag {
    const char *key, *value;
} inventory_tag;

typedef struct inventory_instance {
    const char *id;
    const char *platform;        /* as written, or NULL */
    inventory_tag *tags;
    size_t tag_count;
    const char **groups;         /* resource group names */
    size_t group_count;
} inventory_instance;

typedef struct inventory {
    inventory_instance *items;   /* strings point into the loaded tree */
    size_t count;
} inventory;

/* Reads a list of instances (or {instances: [...]}) from a loaded tree;
 * problems are SSM7040 findings. Returns false if nothing usable was read. */
/* diags->sources must hold root's source: findings are placed at its nodes. */
bool inventory_read(inventory *inv, const ssmc_node *root, ssmc_diags *diags);
void inventory_free(inventory *inv);

/* Does the instance match the association's targeting (its Targets list, or
 * its deprecated InstanceId)? */
bool inventory_instance_matches(const inventory_instance *inst, const ssmc_node *association);

/* The ids of the instances the association targets, in inventory order, in
 * a malloc'd array (*ids, free it; the strings belong to the tree). */
size_t inventory_match(const inventory *inv, const ssmc_node *association, const char ***ids);

#endif
