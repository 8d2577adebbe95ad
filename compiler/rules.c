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
    if (rule == SSMC_RULE_SSM9001)
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
