/* fuzz_lsp.c — libFuzzer target for the language server (compiler/lsp/):
 * the input is the byte stream a client writes to `ssmc lsp`, framing and
 * all, read to its end. The server must answer every message, never stop
 * on a malformed one, and never crash or leak, whatever the stream holds:
 * bad headers, lengths, JSON, out-of-order requests, edits with ranges
 * past the text, positions inside characters.
 *
 * ShellCheck never runs (no child processes from the fuzzer), checks run at
 * once (debounce 0), and the answers go to /dev/null. */
#include "lsp.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int null_fd = -1;
    if (null_fd < 0)
        null_fd = open("/dev/null", O_WRONLY);
    FILE *in = tmpfile();
    if (!in || null_fd < 0)
        abort();
    if (size && fwrite(data, 1, size, in) != size)
        abort();
    fflush(in);
    lseek(fileno(in), 0, SEEK_SET);
    lsp_settings settings = {0};
    settings.shellcheck = "off";
    settings.debounce_ms = 0;
    settings.external_delay_ms = -1;
    settings.no_external = true;
    lsp_serve(fileno(in), null_fd, &settings);
    fclose(in);
    return 0;
}
