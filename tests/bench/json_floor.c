/* json_floor.c — the JSON baseline of the benchmark: jansson's
 * json_load_file of each file, the tree built and freed, nothing else.
 *
 *   json_floor FILE... */
#include <jansson.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        json_error_t err;
        json_t *root = json_load_file(argv[i], JSON_ALLOW_NUL, &err);
        if (!root) {
            fprintf(stderr, "%s:%d: %s\n", argv[i], err.line, err.text);
            rc = 1;
        }
        json_decref(root);
    }
    return rc;
}
