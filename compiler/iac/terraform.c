/* terraform.c — Terraform configuration (.tf) and plans. */
#include "iac.h"

void terraform_extract(ssmc_sources *sources, ssmc_host *host, const ssmc_config *config,
                       ssmc_diags *diags)
{
    (void)sources, (void)host, (void)config, (void)diags;
}

void tfplan_extract(ssmc_sources *sources, ssmc_host *host, const ssmc_config *config,
                    ssmc_diags *diags)
{
    (void)sources, (void)host, (void)config, (void)diags;
}
