/* rules.c — the registry built from the .def files in compiler/rules. */
#include "internal.h"

#include <string.h>

static const ssmc_rule_info registry[] = {
#define SSMC_RULE(id, name, severity, summary, doc) {#id, name, SSMC_SEV_##severity, summary, doc},
#include "rules/all.def"
#undef SSMC_RULE
};

size_t ssmc_rule_count(void) { return sizeof registry / sizeof registry[0]; }

const ssmc_rule_info *ssmc_rule_get(ssmc_rule rule)
{
    return (size_t)rule < ssmc_rule_count() ? &registry[rule] : NULL;
}

bool ssmc_rule_lookup(const char *id_or_name, ssmc_rule *out)
{
    for (size_t i = 0; i < ssmc_rule_count(); i++) {
        if (str_eq_nocase(registry[i].id, id_or_name) || strcmp(registry[i].name, id_or_name) == 0) {
            *out = (ssmc_rule)i;
            return true;
        }
    }
    return false;
}

const char *ssmc_severity_name(ssmc_severity severity)
{
    switch (severity) {
    case SSMC_SEV_ERROR: return "error";
    case SSMC_SEV_WARNING: return "warning";
    case SSMC_SEV_INFO: return "info";
    default: return "off";
    }
}

bool ssmc_rule_always_on(ssmc_rule rule)
{
    if (rule == SSMC_RULE_SSM9001 || rule == SSMC_RULE_SSM1151 || rule == SSMC_RULE_SSM9170)
        return true;
    return rule >= SSMC_RULE_SSM1001 && rule <= SSMC_RULE_SSM1030 &&
           registry[rule].severity == SSMC_SEV_ERROR;
}

void ssmc_config_init(ssmc_config *config)
{
    memset(config, 0, sizeof *config);
    for (size_t i = 0; i < ssmc_rule_count(); i++)
        config->severity[i] = registry[i].severity;
    config->shellcheck = "auto";
}

bool ssmc_external_rule_id(const char *id, char *canon)
{
    size_t n = strlen(id);
    if (n < 3 || n >= 16 || (id[0] != 'S' && id[0] != 's') || (id[1] != 'C' && id[1] != 'c'))
        return false;
    for (size_t i = 2; i < n; i++)
        if (id[i] < '0' || id[i] > '9')
            return false;
    if (canon) {
        canon[0] = 'S';
        canon[1] = 'C';
        memcpy(canon + 2, id + 2, n - 1);
    }
    return true;
}

bool ssmc_config_set_external(ssmc_config *config, const char *id, ssmc_severity severity,
                              bool reset)
{
    char canon[16];
    if (!ssmc_external_rule_id(id, canon))
        return false;
    for (size_t i = 0; i < config->external_count; i++) {
        if (strcmp(config->external[i].id, canon) != 0)
            continue;
        if (reset)
            config->external[i] = config->external[--config->external_count];
        else
            config->external[i].severity = severity;
        return true;
    }
    if (reset)
        return true;
    if (config->external_count == SSMC_MAX_EXTERNAL_SETTINGS)
        return false;
    ssmc_external_setting *e = &config->external[config->external_count++];
    memcpy(e->id, canon, sizeof canon);
    e->severity = severity;
    return true;
}
