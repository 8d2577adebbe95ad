/* iac.h — documents kept inside other files: CloudFormation and SAM
 * templates, Terraform configuration and plans (compiler/iac/). Shared by
 * the files of this folder; the entry points others call are in ssmc.h
 * (ssmc_host_extract, ssmc_diags_to_host) and internal.h (iac_check_host). */
#ifndef SSMC_IAC_H
#define SSMC_IAC_H

#include "internal.h"
#include "lint.h"

/* Text decoded out of a host, with the host bytes of each of its bytes. */
typedef struct iac_text {
    buf text;
    script_map map;
    size_t *ph;            /* placeholder ranges of text, as pairs */
    size_t ph_count, ph_cap;
} iac_text;

void iac_text_init(iac_text *t);
void iac_text_free(iac_text *t);
/* Appends n bytes that all came from host bytes [from, to). */
void iac_text_add(iac_text *t, const char *bytes, size_t n, size_t from, size_t to);
/* Appends bytes [a, b) of another text with their positions. */
void iac_text_copy(iac_text *t, const iac_text *from, size_t a, size_t b);
/* The decoded text of a scalar of host with its map; false (and every
 * byte mapped to the whole scalar) when the scalar could not be re-decoded. */
bool iac_text_of_scalar(const ssmc_source *host, const ssmc_node *node, iac_text *t);
/* Marks text bytes [a, b) as a value the deployment fills in. */
void iac_text_placeholder(iac_text *t, size_t a, size_t b);
/* Marks host bytes [a, b) of a source as a value the deployment fills in. */
void iac_source_placeholder(ssmc_sources *sources, uint32_t file, size_t a, size_t b);
/* Adds t as an embedded source of host (same display name); takes t's map. */
uint32_t iac_text_to_source(ssmc_sources *sources, uint32_t host, iac_text *t);

/* How a host format writes interpolations `${name}` in a string that
 * becomes a document: CloudFormation's Fn::Sub and Terraform templates
 * differ only in their escape for a literal "${", the characters allowed
 * around the name, and which names are wrong. */
typedef struct iac_interpolation {
    /* For an escape at s[i] that stands for a literal "${": the offset of
     * the two bytes to keep (the escape is three bytes long); SIZE_MAX
     * when s[i] starts no escape. */
    size_t (*escape_keep)(const char *s, size_t n, size_t i);
    const char *trim;      /* bytes ignored around the name */
    /* Reports `${name}` at text bytes [at, close] when it is wrong; true
     * when reported (the text is kept as written, not as a placeholder). */
    bool (*reported)(void *ctx, const iac_text *in, size_t at, size_t close, const char *name,
                     size_t len);
    void *ctx;
} iac_interpolation;

/* Copies in to out, resolving escapes and marking each accepted
 * interpolation as a placeholder the deployment fills in. */
void iac_read_back(const iac_text *in, const iac_interpolation *how, iac_text *out);

/* Host readers: fill host->items (and host->tree). */
void cfn_extract(ssmc_sources *sources, ssmc_host *host, const ssmc_config *config,
                 ssmc_diags *diags);
void terraform_extract(ssmc_sources *sources, ssmc_host *host, const ssmc_config *config,
                       ssmc_diags *diags);
void tfplan_extract(ssmc_sources *sources, ssmc_host *host, const ssmc_config *config,
                    ssmc_diags *diags);

/* terraform.c: the template read-back of Terraform (heredocs, quoted
 * strings, templatefile() files) and the CreateAssociation mapping of an
 * aws_ssm_association's attributes. */
void tf_template_read_back(const ssmc_sources *sources, ssmc_diags *diags, uint32_t host_file,
                           const iac_text *in, const ssmc_node *vars, bool templatefile,
                           iac_text *out);
ssmc_node *tf_association_api(ssmc_arena *arena, const ssmc_node *attrs);

/* Adds an item to host->items and returns it (zeroed but for kind). */
ssmc_embedded *iac_add_item(ssmc_host *host, ssmc_embedded_kind kind, const char *resource,
                            ssmc_loc span);
/* A document view of a subtree of the host's tree (borrowed: not freed alone). */
ssmc_document *iac_borrow(const ssmc_document *host_tree, ssmc_node *root);
/* Loads an embedded source as a document (format from its first byte). */
ssmc_document *iac_load_embedded(const ssmc_sources *sources, uint32_t file, ssmc_diags *diags);

#endif
