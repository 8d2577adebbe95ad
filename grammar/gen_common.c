/* gen_common.c — see gen_common.h. */
#include "gen_common.h"

#include <stdarg.h>
#include <stdlib.h>

const char *gen_tool = "gen";
const char *gen_where = "";

void gen_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: %s: ", gen_tool, gen_where);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

void gen_put_cstr(FILE *out, const char *s)
{
    if (!s) {
        fputs("NULL", out);
        return;
    }
    fputc('"', out);
    size_t col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, col++) {
        /* Compilers need not take a literal longer than 4095 bytes (C11
         * 5.2.4.1); adjacent literals make one string. */
        if (col >= 2000) {
            fputs("\"\n    \"", out);
            col = 0;
        }
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '?': fputs("\\?", out); break;
        default:
            if (*p < 0x20 || *p >= 0x7f)
                fprintf(out, "\\%03o", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}
