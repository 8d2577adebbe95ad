/* load.c — from bytes to a tree: encoding checks, format choice, limits,
 * then the YAML or JSON front end. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

ssmc_limits ssmc_limits_default(void)
{
    ssmc_limits l;
    /* Real documents nest about a dozen levels; 256 leaves room for
     * generated ones while keeping recursion in later stages shallow. */
    l.max_depth = 256;
    l.max_nodes = 20u * 1000 * 1000;
    /* What all aliases together may add: far above any real document, far
     * below what a "billion laughs" file asks for. */
    l.max_alias_weight = 1000u * 1000;
    l.max_scalar_bytes = (size_t)256 << 20;
    /* 2048 times the service's 64 KB: room for Terraform plans and for
     * stress tests, and what one input may hold in memory at once. */
    l.max_file_bytes = (size_t)128 << 20;
    return l;
}

void ssmc_load_options_init(ssmc_load_options *options)
{
    memset(options, 0, sizeof *options);
    options->limits = ssmc_limits_default();
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && str_eq_nocase(s + a - b, suffix);
}

ssmc_format ssmc_format_guess(const char *name, const char *data, size_t len)
{
    if (name && ends_with(name, ".json"))
        return SSMC_FORMAT_JSON;
    if (name && (ends_with(name, ".yaml") || ends_with(name, ".yml")))
        return SSMC_FORMAT_YAML;
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    /* A flow mapping at the top is legal YAML, but in practice a file that
     * opens with '{' or '[' is JSON, and the strict reader explains errors
     * in JSON's terms. */
    if (i < len && (data[i] == '{' || data[i] == '['))
        return SSMC_FORMAT_JSON;
    return SSMC_FORMAT_YAML;
}

/* UTF-16 and UTF-32 are recognised by their byte-order marks, or without
 * one by the NUL bytes that ASCII text has in those encodings. */
static const char *wide_encoding(const unsigned char *d, size_t len)
{
    if (len >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0xFE && d[3] == 0xFF)
        return "UTF-32 (big-endian)";
    if (len >= 4 && d[0] == 0xFF && d[1] == 0xFE && d[2] == 0 && d[3] == 0)
        return "UTF-32 (little-endian)";
    if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF)
        return "UTF-16 (big-endian)";
    if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE)
        return "UTF-16 (little-endian)";
    if (len >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] != 0)
        return "UTF-32 (big-endian)";
    if (len >= 4 && d[0] != 0 && d[1] == 0 && d[2] == 0 && d[3] == 0)
        return "UTF-32 (little-endian)";
    if (len >= 2 && d[0] == 0 && d[1] != 0)
        return "UTF-16 (big-endian)";
    if (len >= 2 && d[0] != 0 && d[1] == 0)
        return "UTF-16 (little-endian)";
    return NULL;
}

static ssmc_span point_span(const ssmc_source *src, size_t offset, size_t len)
{
    return span_from_offsets(src, offset, offset + len > src->len ? src->len : offset + len);
}

/* Encoding problems stop the load: the front ends need valid UTF-8. */
static bool check_bytes(loader *ld)
{
    const ssmc_source *src = ld->source;
    const unsigned char *d = (const unsigned char *)src->data;
    const char *wide = wide_encoding(d, src->len);
    if (wide) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1016, ld->file, point_span(src, 0, 0),
                      "the file is encoded as %s; SSM documents must be UTF-8 (re-save the file "
                      "as UTF-8)", wide);
        return false;
    }
    const char *nul = memchr(src->data, '\0', src->len);
    if (nul) {
        size_t off = (size_t)(nul - src->data);
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1017, ld->file, point_span(src, off, 1),
                      "NUL byte at byte offset %zu; a document is text and may not contain NUL "
                      "(is this a binary file?)", off);
        return false;
    }
    size_t bad = src->ascii ? src->len : utf8_first_invalid(src->data, src->len); /* known when read */
    if (bad < src->len) {
        ssmc_diag_add(ld->diags, SSMC_RULE_SSM1015, ld->file, point_span(src, bad, 1),
                      "invalid UTF-8 byte 0x%02X at byte offset %zu; re-save the file as UTF-8",
                      d[bad], bad);
        return false;
    }
    return true;
}

ssmc_document *ssmc_load(const ssmc_sources *sources, uint32_t file,
                         const ssmc_load_options *options, ssmc_diags *diags)
{
    ssmc_load_options defaults;
    if (!options) {
        ssmc_load_options_init(&defaults);
        options = &defaults;
    }
    if (!diags->sources)
        diags->sources = sources;
    ssmc_document *doc = xcalloc(1, sizeof *doc);
    doc->file = file;
    doc->arena = arena_new();
    const ssmc_source *src = ssmc_sources_get(sources, file);
    if (!src)
        return doc;
    /* Another input of the run that is not in memory (an association's
     * document): read it again. */
    if (src->released && !ssmc_source_reload(sources->items[file])) {
        ssmc_diag_add(diags, SSMC_RULE_SSM1029, file, FILE_START_SPAN,
                      "cannot read '%s': %s", src->name, strerror(errno));
        return doc;
    }
    doc->format = options->format != SSMC_FORMAT_UNKNOWN
                      ? options->format
                      : ssmc_format_guess(src->name, src->data, src->len);

    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.source = src;
    ld.file = file;
    ld.doc = doc;
    ld.diags = diags;
    ld.limits = options->limits;
    ld.data_file = options->data_file;

    /* The loaders only append: look at this load's findings alone (counting
     * every finding of the run would make checking N documents quadratic). */
    size_t first_new = diags->count;
    /* Positions hold 32-bit byte offsets: a larger limit acts as that. */
    if (ld.limits.max_file_bytes > SSMC_MAX_SOURCE_BYTES)
        ld.limits.max_file_bytes = SSMC_MAX_SOURCE_BYTES;
    if (src->len > ld.limits.max_file_bytes) {
        ssmc_diag_add(diags, SSMC_RULE_SSM1025, file, point_span(src, 0, 0),
                      "the file is %zu bytes, over the limit of %zu bytes (an SSM document may "
                      "not exceed 64 KB)", src->len, ld.limits.max_file_bytes);
    } else if (check_bytes(&ld)) {
        if (doc->format == SSMC_FORMAT_JSON)
            load_json(&ld);
        else
            load_yaml(&ld);
    }
    bool errors = false, unrepaired = false;
    for (size_t i = first_new; i < diags->count && !unrepaired; i++) {
        if (diags->items[i].severity < SSMC_SEV_ERROR)
            continue;
        errors = true;
        unrepaired = diags->items[i].rule != SSMC_RULE_SSM1012;
    }
    doc->syntax_ok = !errors && doc->root != NULL;
    doc->recovered = errors && !unrepaired && doc->root != NULL;
    doc->aliased = ld.alias_weight > 0;
    return doc;
}

void ssmc_document_free(ssmc_document *document)
{
    if (!document)
        return;
    arena_free(document->arena);
    free(document);
}
