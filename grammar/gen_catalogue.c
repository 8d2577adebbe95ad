/* gen_catalogue.c — a build-time host tool: turns grammar/catalogue.json
 * (the catalogue of AWS-managed documents, written by
 * grammar/catalogue/gen_catalogue.py) into the tables declared in
 * compiler/catalogue/catalogue.h.
 *
 *   gen_catalogue OUT.c catalogue.json
 *
 * Strict like gen_grammar: an unknown key or a wrong type stops the build. */
#include "gen_common.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *out;

static void put_cstr(const char *s)
{
    gen_put_cstr(out, s);
}

static void check_keys(json_t *obj, const char *const *allowed)
{
    if (!json_is_object(obj))
        gen_die("not an object");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (size_t i = 0; allowed[i]; i++)
            ok = ok || strcmp(key, allowed[i]) == 0;
        if (!ok)
            gen_die("unknown key '%s'", key);
    }
}

/* allowedPattern: a NUL byte in the pattern (AWS-CreateManagedLinuxInstance
 * writes [\u0000-\u007f]) becomes PCRE2's \x00, so that the C string
 * keeps the whole pattern and matches the same. */
static const char *pattern(json_t *obj)
{
    json_t *v = json_object_get(obj, "allowedPattern");
    if (!v)
        return NULL;
    if (!json_is_string(v))
        gen_die("'allowedPattern' must be a string");
    static char fixed[4096];
    const char *s = json_string_value(v);
    size_t len = json_string_length(v), n = 0;
    for (size_t i = 0; i < len; i++) {
        if (n + 5 >= sizeof fixed)
            gen_die("allowedPattern too long");
        if (s[i] == '\0') {
            memcpy(fixed + n, "\\x00", 4);
            n += 4;
        } else {
            fixed[n++] = s[i];
        }
    }
    fixed[n] = '\0';
    return fixed;
}

static const char *str(json_t *obj, const char *key, bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v && !required)
        return NULL;
    if (!json_is_string(v))
        gen_die("'%s' must be a string", key);
    return json_string_value(v);
}

/* minItems and the like: an integer or a string of digits in the documents. */
static long bound(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return -1;
    if (json_is_integer(v))
        return (long)json_integer_value(v);
    if (json_is_string(v)) {
        char *end;
        long n = strtol(json_string_value(v), &end, 10);
        if (*end == '\0' && end != json_string_value(v))
            return n;
    }
    return -1;
}

static unsigned platform_bits(json_t *list)
{
    unsigned bits = 0;
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) {
        const char *s = json_string_value(p);
        if (!s)
            gen_die("platforms: not a string");
        if (strcmp(s, "Windows") == 0)
            bits |= 1;
        else if (strcmp(s, "Linux") == 0)
            bits |= 2;
        else if (strcmp(s, "MacOS") == 0)
            bits |= 4;
        else
            gen_die("unknown platform '%s'", s);
    }
    return bits;
}

static void put_params(size_t d, json_t *params)
{
    static const char *const keys[] = {"name", "type", "default", "allowedValues", "allowedPattern",
                                       "minItems", "maxItems", "minChars", "maxChars", "required",
                                       "script", NULL};
    size_t i;
    json_t *p;
    json_array_foreach(params, i, p) {
        check_keys(p, keys);
        json_t *allowed = json_object_get(p, "allowedValues");
        if (allowed && json_array_size(allowed)) {
            fprintf(out, "static const char *const av_%zu_%zu[] = {", d, i);
            size_t j;
            json_t *a;
            json_array_foreach(allowed, j, a) {
                if (!json_is_string(a))
                    gen_die("allowedValues: not a string");
                fputs(j ? ", " : "", out);
                put_cstr(json_string_value(a));
            }
            fputs("};\n", out);
        }
    }
    fprintf(out, "static const catalogue_param params_%zu[] = {\n", d);
    json_array_foreach(params, i, p) {
        fputs("    {", out);
        put_cstr(str(p, "name", true));
        fputs(", ", out);
        put_cstr(str(p, "type", true));
        fputs(", ", out);
        json_t *dflt = json_object_get(p, "default");
        char *dj = dflt ? json_dumps(dflt, JSON_COMPACT | JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
        put_cstr(dj);
        free(dj);
        json_t *allowed = json_object_get(p, "allowedValues");
        if (allowed && json_array_size(allowed))
            fprintf(out, ", av_%zu_%zu, %zu, ", d, i, json_array_size(allowed));
        else
            fputs(", NULL, 0, ", out);
        put_cstr(pattern(p));
        fprintf(out, ", %ld, %ld, %ld, %ld, %s, ", bound(p, "minItems"), bound(p, "maxItems"),
                bound(p, "minChars"), bound(p, "maxChars"),
                json_is_true(json_object_get(p, "required")) ? "true" : "false");
        put_cstr(str(p, "script", false));
        fputs("},\n", out);
    }
    if (json_array_size(params) == 0)
        fputs("    {NULL, NULL, NULL, NULL, 0, NULL, -1, -1, -1, -1, false, NULL},\n", out);
    fputs("};\n", out);
}

int main(int argc, char **argv)
{
    gen_tool = "gen_catalogue";
    if (argc != 3) {
        fprintf(stderr, "usage: gen_catalogue OUT.c catalogue.json\n");
        return 2;
    }
    gen_where = argv[2];
    json_error_t err;
    json_t *root = json_load_file(argv[2], JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (!root)
        gen_die("line %d column %d: %s", err.line, err.column, err.text);
    static const char *const top[] = {"comment", "documents", NULL};
    check_keys(root, top);
    json_t *docs = json_object_get(root, "documents");
    if (!json_is_array(docs))
        gen_die("'documents' must be a list");
    char *tmp = malloc(strlen(argv[1]) + 5);
    sprintf(tmp, "%s.tmp", argv[1]);
    out = fopen(tmp, "w");
    if (!out)
        gen_die("cannot write %s", tmp);
    fputs("/* Generated by gen_catalogue from grammar/catalogue.json; do not edit. */\n"
          "#include \"catalogue.h\"\n\n",
          out);
    static const char *const doc_keys[] = {"name", "documentType", "schemaVersion", "platforms",
                                           "parameters", "content", NULL};
    size_t i;
    json_t *d;
    const char *prev = NULL;
    json_array_foreach(docs, i, d) {
        check_keys(d, doc_keys);
        const char *name = str(d, "name", true);
        if (prev && strcmp(prev, name) >= 0)
            gen_die("documents are not sorted by name at '%s' (catalogue_find searches them)", name);
        prev = name;
        json_t *params = json_object_get(d, "parameters");
        if (!json_is_array(params))
            gen_die("%s: 'parameters' must be a list", name);
        put_params(i, params);
    }
    fputs("\nconst catalogue_doc catalogue_docs[] = {\n", out);
    json_array_foreach(docs, i, d) {
        fputs("    {", out);
        put_cstr(str(d, "name", true));
        fputs(", ", out);
        put_cstr(str(d, "documentType", true));
        fputs(", ", out);
        put_cstr(str(d, "schemaVersion", true));
        fprintf(out, ", %uu, params_%zu, %zu, ", platform_bits(json_object_get(d, "platforms")), i,
                json_array_size(json_object_get(d, "parameters")));
        json_t *content = json_object_get(d, "content");
        char *cj = content ? json_dumps(content, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER)
                           : NULL;
        put_cstr(cj);
        free(cj);
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t catalogue_doc_count = %zu;\n", json_array_size(docs));
    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0)
        gen_die("cannot write %s", argv[1]);
    free(tmp);
    json_decref(root);
    return 0;
}
