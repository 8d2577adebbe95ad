/* gen_common.h — what the build-time generators (gen_grammar,
 * gen_catalogue) share: stopping the build with the data file's name, and
 * writing a C string literal. */
#ifndef SSMC_GEN_COMMON_H
#define SSMC_GEN_COMMON_H

#include <stdio.h>

/* The tool's name and the data file being read, for gen_die's message. */
extern const char *gen_tool;
extern const char *gen_where;

/* Prints "TOOL: FILE: message" and stops the build (exit 1). */
void gen_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Writes s as a C string literal (NULL for NULL): every byte that is not
 * printable ASCII as an octal escape, '?' escaped so that no trigraph can
 * form, long texts split into adjacent literals. */
void gen_put_cstr(FILE *out, const char *s);

#endif
