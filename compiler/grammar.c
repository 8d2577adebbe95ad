/* grammar.c — look-ups over the generated grammar tables (grammar.h). The
 * tables are small (tens of entries), so linear search is the right tool. */
#include "grammar.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const grammar_platform_names[] = {"linux", "windows", "macos"};
const unsigned grammar_platform_bits[] = {GRAMMAR_OS_LINUX, GRAMMAR_OS_WINDOWS, GRAMMAR_OS_MACOS};
const size_t grammar_platform_count = 3;

/* The look-ups below run for every key and value of every document: the
 * first letter tells most table entries apart without a call to strcmp. */
static inline bool same_name(const char *a, const char *b)
{
    return a[0] == b[0] && strcmp(a, b) == 0;
}

const grammar_kind *grammar_kind_find(const char *name)
{
    for (size_t i = 0; i < grammar_kind_count; i++)
        if (same_name(grammar_kinds[i].name, name))
            return &grammar_kinds[i];
    for (size_t i = 0; i < grammar_kind_count; i++)
        if (str_eq_nocase(grammar_kinds[i].name, name))
            return &grammar_kinds[i];
    return NULL;
}

const grammar_key *grammar_kind_key(const grammar_kind *kind, const char *name)
{
    for (size_t i = 0; kind && i < kind->key_count; i++)
        if (same_name(kind->keys[i].name, name))
            return &kind->keys[i];
    return NULL;
}

static bool in_strs(const char *const *strs, size_t count, const char *s)
{
    for (size_t i = 0; i < count; i++)
        if (same_name(strs[i], s))
            return true;
    return false;
}

bool grammar_kind_has_version(const grammar_kind *kind, const char *version)
{
    return kind && version && in_strs(kind->versions, kind->version_count, version);
}

bool grammar_key_in_version(const grammar_key *key, const char *version)
{
    if (key->version_count == 0)
        return true;
    return version && in_strs(key->versions, key->version_count, version);
}

size_t grammar_key_owners(const char *name, const grammar_kind *except, char *out, size_t out_size)
{
    size_t found = 0, used = 0;
    if (out_size)
        out[0] = '\0';
    for (size_t i = 0; i < grammar_kind_count; i++) {
        const grammar_kind *kind = &grammar_kinds[i];
        if (kind == except || !grammar_kind_key(kind, name))
            continue;
        if (out_size > used) {
            int n = snprintf(out + used, out_size - used, "%s%s", found ? ", " : "", kind->name);
            if (n > 0)
                used += (size_t)n < out_size - used ? (size_t)n : out_size - used - 1;
        }
        found++;
    }
    return found;
}

const grammar_param_type *grammar_param_type_find(const char *name)
{
    for (size_t i = 0; i < grammar_param_type_count; i++)
        if (same_name(grammar_param_types[i].name, name))
            return &grammar_param_types[i];
    return NULL;
}

const grammar_param_prop *grammar_param_prop_find(const char *name)
{
    for (size_t i = 0; i < grammar_param_prop_count; i++)
        if (same_name(grammar_param_props[i].name, name))
            return &grammar_param_props[i];
    return NULL;
}

grammar_fit grammar_param_prop_fit(const grammar_param_prop *prop, const char *type_name,
                                   const char **note)
{
    const grammar_prop_fit *rest = NULL;
    if (note)
        *note = NULL;
    for (size_t i = 0; i < prop->fit_count; i++) {
        if (strcmp(prop->fits[i].type, "*") == 0)
            rest = &prop->fits[i];
        else if (type_name && strcmp(prop->fits[i].type, type_name) == 0) {
            if (note)
                *note = prop->fits[i].note;
            return prop->fits[i].fit;
        }
    }
    if (rest) {
        if (note)
            *note = rest->note;
        return rest->fit;
    }
    return GRAMMAR_FIT_YES;
}

const grammar_plugin *grammar_plugin_find(const char *name)
{
    for (size_t i = 0; i < grammar_plugin_count; i++)
        if (same_name(grammar_plugins[i].name, name))
            return &grammar_plugins[i];
    return NULL;
}

const grammar_input *grammar_input_find(const grammar_input *inputs, size_t count,
                                        const char *name, bool *exact)
{
    for (size_t i = 0; i < count; i++)
        if (same_name(inputs[i].name, name)) {
            if (exact)
                *exact = true;
            return &inputs[i];
        }
    for (size_t i = 0; i < count; i++)
        if (str_eq_nocase(inputs[i].name, name)) {
            if (exact)
                *exact = false;
            return &inputs[i];
        }
    return NULL;
}

const grammar_input *grammar_plugin_input(const grammar_plugin *plugin, const char *name,
                                          bool *exact)
{
    return grammar_input_find(plugin->inputs, plugin->input_count, name, exact);
}

const grammar_input *grammar_shared_input(const char *name, bool *exact)
{
    return grammar_input_find(grammar_shared_inputs, grammar_shared_input_count, name, exact);
}

const grammar_variant *grammar_input_variant(const grammar_input *input, const char *when)
{
    for (size_t i = 0; i < input->variant_count; i++)
        if (same_name(input->variants[i].when, when))
            return &input->variants[i];
    return NULL;
}

static const grammar_step_field *field_find(const grammar_step_field *fields, size_t count,
                                            const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (same_name(fields[i].name, name))
            return &fields[i];
    return NULL;
}

const grammar_step_field *grammar_step_field_find(const char *name)
{
    return field_find(grammar_step_fields, grammar_step_field_count, name);
}

const grammar_step_field *grammar_runtime_field_find(const char *name)
{
    return field_find(grammar_runtime_fields, grammar_runtime_field_count, name);
}

bool grammar_is_automation_action(const char *name)
{
    return in_strs(grammar_automation_actions, grammar_automation_action_count, name);
}

unsigned grammar_platform_bit(const char *name)
{
    for (size_t i = 0; i < grammar_platform_count; i++)
        if (str_eq_nocase(grammar_platform_names[i], name))
            return grammar_platform_bits[i];
    return 0;
}

const char *grammar_vtype_name(grammar_vtype type)
{
    static const char *const names[GRAMMAR_T_COUNT] = {
        [GRAMMAR_T_ANY] = "any value",
        [GRAMMAR_T_STRING] = "String",
        [GRAMMAR_T_STRING_LIST] = "StringList",
        [GRAMMAR_T_STRING_OR_LIST] = "String or StringList",
        [GRAMMAR_T_STRING_MAP] = "StringMap",
        [GRAMMAR_T_MAP] = "mapping",
        [GRAMMAR_T_LIST] = "list",
        [GRAMMAR_T_MAP_LIST] = "MapList",
        [GRAMMAR_T_BOOLEAN] = "Boolean",
        [GRAMMAR_T_BOOL_STRING] = "\"true\" or \"false\"",
        [GRAMMAR_T_INTEGER] = "Integer",
        [GRAMMAR_T_NUMBER] = "number",
        [GRAMMAR_T_MAP_OR_LIST] = "mapping or list of mappings",
    };
    return (size_t)type < GRAMMAR_T_COUNT ? names[type] : "?";
}

int grammar_version_compare(const char *a, const char *b)
{
    while (*a || *b) {
        char *ea, *eb;
        unsigned long na = strtoul(a, &ea, 10), nb = strtoul(b, &eb, 10);
        if (na != nb)
            return na < nb ? -1 : 1;
        a = *ea == '.' ? ea + 1 : ea;
        b = *eb == '.' ? eb + 1 : eb;
        if (ea == a && eb == b && !*ea && !*eb)
            break;
        if ((*ea && *ea != '.') || (*eb && *eb != '.'))
            return strcmp(ea, eb) < 0 ? -1 : strcmp(ea, eb) > 0;
    }
    return 0;
}

const grammar_action *grammar_action_find(const char *name)
{
    for (size_t i = 0; name && i < grammar_action_count; i++)
        if (same_name(grammar_actions[i].name, name))
            return &grammar_actions[i];
    return NULL;
}

const grammar_input *grammar_action_input(const grammar_action *action, const char *name,
                                          bool *exact)
{
    return action ? grammar_input_find(action->inputs, action->input_count, name, exact) : NULL;
}

const grammar_output *grammar_action_output(const grammar_action *action, const char *name)
{
    for (size_t i = 0; action && i < action->output_count; i++)
        if (same_name(action->outputs[i].name, name))
            return &action->outputs[i];
    return NULL;
}

const grammar_step_field *grammar_automation_step_field_find(const char *name)
{
    for (size_t i = 0; i < grammar_automation_step_field_count; i++)
        if (same_name(grammar_automation_step_fields[i].name, name))
            return &grammar_automation_step_fields[i];
    return NULL;
}

const grammar_branch_operator *grammar_branch_operator_find(const char *name)
{
    for (size_t i = 0; i < grammar_branch_operator_count; i++)
        if (same_name(grammar_branch_operators[i].name, name))
            return &grammar_branch_operators[i];
    return NULL;
}

const grammar_script_runtime *grammar_script_runtime_find(const char *name)
{
    for (size_t i = 0; i < grammar_script_runtime_count; i++)
        if (same_name(grammar_script_runtimes[i].name, name))
            return &grammar_script_runtimes[i];
    return NULL;
}

const grammar_term *grammar_branch_key_find(const char *name)
{
    for (size_t i = 0; i < grammar_branch_key_count; i++)
        if (same_name(grammar_branch_keys[i].name, name))
            return &grammar_branch_keys[i];
    return NULL;
}

const grammar_term *grammar_system_variable_find(const char *name, size_t len)
{
    for (size_t i = 0; i < grammar_system_variable_count; i++)
        if (strlen(grammar_system_variables[i].name) == len &&
            memcmp(grammar_system_variables[i].name, name, len) == 0)
            return &grammar_system_variables[i];
    return NULL;
}
