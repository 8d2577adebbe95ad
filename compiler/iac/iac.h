/* iac.h — documents kept inside other files: CloudFormation and SAM
 * templates, Terraform configuration and plans (compiler/iac/). Shared by
 * the files of this folder; the entry points others call are in ssmc.h and
 * internal.h. */
#ifndef SSMC_IAC_H
#define SSMC_IAC_H

#include "internal.h"

#endif
