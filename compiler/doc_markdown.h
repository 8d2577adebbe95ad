/* doc_markdown.h — a Markdown reference page for a loaded SSM document
 * (`ssmc doc`): title, description, a parameter table with types, defaults
 * and constraints, and the steps with their plugins, the platforms they run
 * on (the grammar tables' platform support narrowed by a platformType
 * precondition), preconditions, timeouts, inputs and scripts.
 *
 * The page is a pure function of the tree and the findings passed in: same
 * input, same bytes. It never prints; the CLI decides where it goes. */
#ifndef SSMC_DOC_MARKDOWN_H
#define SSMC_DOC_MARKDOWN_H

#include "internal.h"

/* Appends the page for `document` to out. title is the page heading (the
 * file name without its extension). findings, when not NULL, are the run's
 * findings: the warnings that belong to the document's file are listed in a
 * note at the top of the page (errors never reach a page: the caller
 * refuses those documents). Documents whose root is not a mapping get a
 * page with the title only. */
void doc_markdown_render(const ssmc_sources *sources, const ssmc_document *document,
                         const char *title, const ssmc_diags *findings, buf *out);

#endif
