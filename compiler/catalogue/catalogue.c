/* catalogue.c — look-ups in the generated catalogue of AWS-managed
 * documents (catalogue.h). */
#include "catalogue.h"

#include "internal.h"

#include <stdlib.h>
#include <string.h>

static int by_name(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const catalogue_doc *)elem)->name);
}

const catalogue_doc *catalogue_find(const char *name)
{
    if (!name)
        return NULL;
    /* arn:aws:ssm:us-east-1::document/AWS-RunShellScript: an AWS-managed
     * document's ARN has no account id. */
    if (strncmp(name, "arn:", 4) == 0) {
        const char *doc = strstr(name, "::document/");
        if (!doc)
            return NULL;
        name = doc + strlen("::document/");
    }
    return bsearch(name, catalogue_docs, catalogue_doc_count, sizeof catalogue_docs[0], by_name);
}

size_t catalogue_count(void)
{
    return catalogue_doc_count;
}

const catalogue_doc *catalogue_at(size_t i)
{
    return i < catalogue_doc_count ? &catalogue_docs[i] : NULL;
}

const catalogue_param *catalogue_param_find(const catalogue_doc *doc, const char *name)
{
    for (size_t i = 0; doc && i < doc->param_count; i++)
        if (strcmp(doc->params[i].name, name) == 0)
            return &doc->params[i];
    return NULL;
}

static void json_str(buf *b, const char *s)
{
    buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            buf_printf(b, "\\u%04x", *p);
        else
            buf_addc(b, (char)*p);
    }
    buf_addc(b, '"');
}

static void json_bound(buf *b, const char *key, long v)
{
    if (v >= 0)
        buf_printf(b, ",\"%s\":%ld", key, v);
}

char *catalogue_document_json(const catalogue_doc *doc)
{
    if (doc->content)
        return xstrdup(doc->content);
    buf b;
    buf_init(&b);
    buf_add(&b, "{\"schemaVersion\":", 17);
    json_str(&b, doc->schema_version);
    buf_add(&b, ",\"parameters\":{", 15);
    for (size_t i = 0; i < doc->param_count; i++) {
        const catalogue_param *p = &doc->params[i];
        if (i)
            buf_addc(&b, ',');
        json_str(&b, p->name);
        buf_add(&b, ":{\"type\":", 9);
        json_str(&b, p->type);
        if (p->default_json)
            buf_printf(&b, ",\"default\":%s", p->default_json);
        if (p->allowed) {
            buf_add(&b, ",\"allowedValues\":[", 18);
            for (size_t j = 0; j < p->allowed_count; j++) {
                if (j)
                    buf_addc(&b, ',');
                json_str(&b, p->allowed[j]);
            }
            buf_addc(&b, ']');
        }
        if (p->pattern) {
            buf_add(&b, ",\"allowedPattern\":", 18);
            json_str(&b, p->pattern);
        }
        json_bound(&b, "minItems", p->min_items);
        json_bound(&b, "maxItems", p->max_items);
        json_bound(&b, "minChars", p->min_chars);
        json_bound(&b, "maxChars", p->max_chars);
        buf_addc(&b, '}');
    }
    buf_add(&b, "}}", 2);
    return buf_steal(&b);
}
