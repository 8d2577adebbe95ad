/* gen_grammar.c — a build-time host tool: reads the grammar data files
 * (JSON, format in grammar/README.md) and writes the C tables declared in
 * compiler/grammar.h.
 *
 *   gen_grammar OUT.c OUT.h FILE.json...
 *
 * The data is checked strictly: an unknown key, a wrong type, an unknown
 * type or fit name, a duplicate plugin or input, a requirement naming an
 * input the plugin does not have — each stops the build with FILE: message.
 * A typo in the data must never become a silently missing rule. */
#include "gen_common.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *out;
static unsigned serial;

/* --- reading ------------------------------------------------------------ */

static void check_keys(json_t *obj, const char *what, const char *const *allowed)
{
    if (!json_is_object(obj))
        gen_die("%s must be an object", what);
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        bool ok = false;
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(key, allowed[i]) == 0)
                ok = true;
        if (!ok)
            gen_die("%s: unknown key '%s'", what, key);
    }
}

static const char *get_str(json_t *obj, const char *key, bool required, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            gen_die("%s: missing '%s'", what, key);
        return NULL;
    }
    if (!json_is_string(v))
        gen_die("%s: '%s' must be a string", what, key);
    return json_string_value(v);
}

static bool get_bool(json_t *obj, const char *key, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return false;
    if (!json_is_boolean(v))
        gen_die("%s: '%s' must be true or false", what, key);
    return json_is_true(v);
}

static json_t *get_array(json_t *obj, const char *key, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (v && !json_is_array(v))
        gen_die("%s: '%s' must be a list", what, key);
    return v;
}

static const char *const vtype_names[] = {
    "Any", "String", "StringList", "StringOrList", "StringMap", "Map", "List",
    "MapList", "Boolean", "BoolString", "Integer", "Number", "MapOrList", NULL};
static const char *const vtype_enums[] = {
    "GRAMMAR_T_ANY", "GRAMMAR_T_STRING", "GRAMMAR_T_STRING_LIST", "GRAMMAR_T_STRING_OR_LIST",
    "GRAMMAR_T_STRING_MAP", "GRAMMAR_T_MAP", "GRAMMAR_T_LIST", "GRAMMAR_T_MAP_LIST",
    "GRAMMAR_T_BOOLEAN", "GRAMMAR_T_BOOL_STRING", "GRAMMAR_T_INTEGER", "GRAMMAR_T_NUMBER",
    "GRAMMAR_T_MAP_OR_LIST"};

static const char *vtype_of(json_t *obj, const char *key, const char *what)
{
    const char *name = get_str(obj, key, false, what);
    if (!name)
        return "GRAMMAR_T_ANY";
    for (size_t i = 0; vtype_names[i]; i++)
        if (strcmp(name, vtype_names[i]) == 0)
            return vtype_enums[i];
    gen_die("%s: unknown type '%s'", what, name);
    return NULL;
}

static const char *fit_of(const char *name, const char *what)
{
    static const char *const names[] = {"yes", "info", "ignored", "warning", "error", NULL};
    static const char *const enums[] = {"GRAMMAR_FIT_YES", "GRAMMAR_FIT_INFO",
                                        "GRAMMAR_FIT_IGNORED", "GRAMMAR_FIT_WARNING",
                                        "GRAMMAR_FIT_ERROR"};
    for (size_t i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return enums[i];
    gen_die("%s: unknown fit '%s' (yes, info, ignored, warning, error)", what, name);
    return NULL;
}

static unsigned platform_bit(const char *name, const char *what)
{
    if (strcmp(name, "linux") == 0)
        return 1;
    if (strcmp(name, "windows") == 0)
        return 2;
    if (strcmp(name, "macos") == 0)
        return 4;
    gen_die("%s: unknown platform '%s' (linux, windows, macos)", what, name);
    return 0;
}

/* --- writing ------------------------------------------------------------ */

static void put_cstr(const char *s)
{
    gen_put_cstr(out, s);
}

/* Writes a static array of strings from a JSON list; returns its name (or
 * NULL for an absent/empty list) in name_out. */
static size_t put_str_array(json_t *list, const char *what, char *name_out, size_t name_size)
{
    if (!list || json_array_size(list) == 0) {
        snprintf(name_out, name_size, "NULL");
        return 0;
    }
    if (!json_is_array(list))
        gen_die("%s must be a list of strings", what);
    snprintf(name_out, name_size, "g_strs_%u", serial++);
    fprintf(out, "static const char *const %s[] = {", name_out);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (!json_is_string(v))
            gen_die("%s: item %zu must be a string", what, i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_array_get(list, j)), json_string_value(v)) == 0)
                gen_die("%s: duplicate '%s'", what, json_string_value(v));
        if (i)
            fputs(", ", out);
        put_cstr(json_string_value(v));
    }
    fputs("};\n", out);
    return json_array_size(list);
}

static bool in_list(json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return true;
    return false;
}

/* --- kinds -------------------------------------------------------------- */

static json_t *kinds, *param_types, *param_props, *step_fields, *runtime_fields,
    *shared_inputs, *precondition_operators, *plugins, *actions, *automation_step_fields,
    *branch_operators, *branch_keys, *system_variables, *script_runtimes, *boto3_services,
    *boto3_operations;

static void put_kinds(void)
{
    static const char *const kind_keys[] = {"name", "schemaVersions", "agentSchemaVersions",
                                            "keys", "deep", "source", "doc", NULL};
    static const char *const key_keys[] = {"name", "required", "type", "schemaVersions", "doc",
                                           NULL};
    size_t n = json_array_size(kinds);
    char (*vers)[32] = calloc(n + 1, sizeof *vers), (*avers)[32] = calloc(n + 1, sizeof *avers),
         (*keys)[32] = calloc(n + 1, sizeof *keys);
    size_t *vc = calloc(n + 1, sizeof *vc), *avc = calloc(n + 1, sizeof *avc),
           *kc = calloc(n + 1, sizeof *kc);
    if (!vers || !avers || !keys || !vc || !avc || !kc)
        gen_die("out of memory");
    size_t i;
    json_t *k;
    json_array_foreach(kinds, i, k) {
        check_keys(k, "kind", kind_keys);
        const char *name = get_str(k, "name", true, "kind");
        vc[i] = put_str_array(get_array(k, "schemaVersions", name), name, vers[i], sizeof vers[i]);
        avc[i] = put_str_array(get_array(k, "agentSchemaVersions", name), name, avers[i],
                               sizeof avers[i]);
        json_t *klist = get_array(k, "keys", name);
        size_t count = json_array_size(klist);
        char (*kv)[32] = calloc(count + 1, sizeof *kv);
        size_t *kvc = calloc(count + 1, sizeof *kvc);
        if (!kv || !kvc)
            gen_die("out of memory");
        size_t j;
        json_t *key;
        json_array_foreach(klist, j, key) {
            check_keys(key, name, key_keys);
            const char *kname = get_str(key, "name", true, name);
            for (size_t m = 0; m < j; m++)
                if (strcmp(kname, json_string_value(json_object_get(json_array_get(klist, m),
                                                                    "name"))) == 0)
                    gen_die("%s: duplicate key '%s'", name, kname);
            kvc[j] = put_str_array(get_array(key, "schemaVersions", kname), kname, kv[j],
                                   sizeof kv[j]);
        }
        if (count) {
            snprintf(keys[i], sizeof keys[i], "g_keys_%u", serial++);
            fprintf(out, "static const grammar_key %s[] = {\n", keys[i]);
            json_array_foreach(klist, j, key) {
                fputs("    {", out);
                put_cstr(get_str(key, "name", true, name));
                fprintf(out, ", %s, %s, %s, %zu, ", get_bool(key, "required", name) ? "true" : "false",
                        vtype_of(key, "type", name), kv[j], kvc[j]);
                put_cstr(get_str(key, "doc", false, name));
                fputs("},\n", out);
            }
            fputs("};\n", out);
        } else {
            snprintf(keys[i], sizeof keys[i], "NULL");
        }
        kc[i] = count;
        free(kv);
        free(kvc);
    }
    fputs("const grammar_kind grammar_kinds[] = {\n", out);
    json_array_foreach(kinds, i, k) {
        fputs("    {", out);
        put_cstr(get_str(k, "name", true, "kind"));
        fprintf(out, ", %s, %zu, %s, %zu, %s, %zu, %s, ", vers[i], vc[i], avers[i], avc[i],
                keys[i], kc[i], get_bool(k, "deep", "kind") ? "true" : "false");
        put_cstr(get_str(k, "source", false, "kind"));
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t grammar_kind_count = %zu;\n\n", n);
    free(vers);
    free(avers);
    free(keys);
    free(vc);
    free(avc);
    free(kc);
}

/* --- parameters --------------------------------------------------------- */

static void put_params(void)
{
    static const char *const type_keys[] = {"name", "value", "command", "commandNote", "kinds",
                                            "pattern", "doc", NULL};
    static const char *const prop_keys[] = {"name", "required", "type", "values", "fits",
                                            "minSchema", "minAgent", "doc", NULL};
    size_t n = json_array_size(param_types), i;
    json_t *t;
    char (*kn)[32] = calloc(n + 1, sizeof *kn);
    size_t *kc = calloc(n + 1, sizeof *kc);
    if (!kn || !kc)
        gen_die("out of memory");
    json_array_foreach(param_types, i, t) {
        check_keys(t, "parameter type", type_keys);
        const char *name = get_str(t, "name", true, "parameter type");
        kc[i] = put_str_array(get_array(t, "kinds", name), name, kn[i], sizeof kn[i]);
    }
    fputs("const grammar_param_type grammar_param_types[] = {\n", out);
    json_array_foreach(param_types, i, t) {
        const char *name = get_str(t, "name", true, "parameter type");
        fputs("    {", out);
        put_cstr(name);
        const char *fit = get_str(t, "command", false, name);
        fprintf(out, ", %s, %s, ", vtype_of(t, "value", name), fit ? fit_of(fit, name) : "GRAMMAR_FIT_YES");
        put_cstr(get_str(t, "commandNote", false, name));
        fprintf(out, ", %s, %zu, ", kn[i], kc[i]);
        put_cstr(get_str(t, "pattern", false, name));
        fputs(", ", out);
        put_cstr(get_str(t, "doc", false, name));
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t grammar_param_type_count = %zu;\n\n", n);
    free(kn);
    free(kc);

    n = json_array_size(param_props);
    char (*vn)[32] = calloc(n + 1, sizeof *vn), (*fn)[32] = calloc(n + 1, sizeof *fn);
    size_t *vc = calloc(n + 1, sizeof *vc), *fc = calloc(n + 1, sizeof *fc);
    if (!vn || !fn || !vc || !fc)
        gen_die("out of memory");
    json_t *p;
    json_array_foreach(param_props, i, p) {
        check_keys(p, "parameter property", prop_keys);
        const char *name = get_str(p, "name", true, "parameter property");
        vc[i] = put_str_array(get_array(p, "values", name), name, vn[i], sizeof vn[i]);
        json_t *fits = json_object_get(p, "fits");
        if (fits && !json_is_object(fits))
            gen_die("%s: 'fits' must be an object type -> fit or [fit, note]", name);
        if (!fits || json_object_size(fits) == 0) {
            snprintf(fn[i], sizeof fn[i], "NULL");
            continue;
        }
        snprintf(fn[i], sizeof fn[i], "g_fits_%u", serial++);
        fprintf(out, "static const grammar_prop_fit %s[] = {\n", fn[i]);
        const char *type;
        json_t *f;
        json_object_foreach(fits, type, f) {
            bool known = strcmp(type, "*") == 0;
            size_t j;
            json_t *pt;
            json_array_foreach(param_types, j, pt)
                if (strcmp(type, json_string_value(json_object_get(pt, "name"))) == 0)
                    known = true;
            if (!known)
                gen_die("%s: fits: unknown parameter type '%s'", name, type);
            const char *fit, *note = NULL;
            if (json_is_string(f)) {
                fit = json_string_value(f);
            } else if (json_is_array(f) && json_array_size(f) == 2 &&
                       json_is_string(json_array_get(f, 0)) && json_is_string(json_array_get(f, 1))) {
                fit = json_string_value(json_array_get(f, 0));
                note = json_string_value(json_array_get(f, 1));
            } else {
                gen_die("%s: fits.%s must be a fit or [fit, note]", name, type);
                return;
            }
            fputs("    {", out);
            put_cstr(type);
            fprintf(out, ", %s, ", fit_of(fit, name));
            put_cstr(note);
            fputs("},\n", out);
        }
        fputs("};\n", out);
        fc[i] = json_object_size(fits);
    }
    fputs("const grammar_param_prop grammar_param_props[] = {\n", out);
    json_array_foreach(param_props, i, p) {
        const char *name = get_str(p, "name", true, "parameter property");
        fputs("    {", out);
        put_cstr(name);
        fprintf(out, ", %s, %s, %s, %zu, %s, %zu, ", get_bool(p, "required", name) ? "true" : "false",
                vtype_of(p, "type", name), vn[i], vc[i], fn[i], fc[i]);
        put_cstr(get_str(p, "minSchema", false, name));
        fputs(", ", out);
        put_cstr(get_str(p, "minAgent", false, name));
        fputs(", ", out);
        put_cstr(get_str(p, "doc", false, name));
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t grammar_param_prop_count = %zu;\n\n", n);
    free(vn);
    free(fn);
    free(vc);
    free(fc);
}

/* --- inputs (recursive through variants) -------------------------------- */

/* Writes the array of inputs `list` and returns its name in name_out. */
static void put_inputs(json_t *list, const char *owner, char *name_out, size_t name_size);

static void put_input_parts(json_t *in, const char *owner, char *values, size_t vsize,
                            size_t *value_count, char *variants, size_t varsize,
                            size_t *variant_count)
{
    static const char *const input_keys[] = {
        "name", "type", "required", "agentOnly", "mustBeEmpty", "values", "pattern",
        "forbiddenChars", "range", "keyPrefix", "maxLength", "variantBy", "variants",
        "minAgent", "doc", "valueType", NULL};
    check_keys(in, owner, input_keys);
    const char *name = get_str(in, "name", true, owner);
    *value_count = put_str_array(get_array(in, "values", name), name, values, vsize);
    json_t *vars = json_object_get(in, "variants");
    *variant_count = 0;
    snprintf(variants, varsize, "NULL");
    if (!vars)
        return;
    if (!json_is_object(vars) || json_object_size(vars) == 0)
        gen_die("%s.%s: 'variants' must be a non-empty object value -> [keys]", owner, name);
    if (!get_str(in, "variantBy", false, name))
        gen_die("%s.%s: 'variants' needs 'variantBy'", owner, name);
    size_t count = json_object_size(vars), i = 0;
    char (*names)[32] = calloc(count, sizeof *names);
    if (!names)
        gen_die("out of memory");
    const char *when;
    json_t *keys;
    json_object_foreach(vars, when, keys) {
        if (!json_is_array(keys))
            gen_die("%s.%s.variants.%s must be a list of inputs", owner, name, when);
        put_inputs(keys, name, names[i], sizeof names[i]);
        i++;
    }
    snprintf(variants, varsize, "g_variants_%u", serial++);
    fprintf(out, "static const grammar_variant %s[] = {\n", variants);
    i = 0;
    json_object_foreach(vars, when, keys) {
        fputs("    {", out);
        put_cstr(when);
        fprintf(out, ", %s, %zu},\n", names[i], json_array_size(keys));
        i++;
    }
    fputs("};\n", out);
    *variant_count = count;
    free(names);
}

static void put_input(json_t *in, const char *owner, const char *values, size_t value_count,
                      const char *variants, size_t variant_count)
{
    const char *name = get_str(in, "name", true, owner);
    fputs("    {", out);
    put_cstr(name);
    fprintf(out, ", %s, %s, %s, %s, %s, %zu, ", vtype_of(in, "type", name),
            get_bool(in, "required", name) ? "true" : "false",
            get_bool(in, "agentOnly", name) ? "true" : "false",
            get_bool(in, "mustBeEmpty", name) ? "true" : "false", values, value_count);
    put_cstr(get_str(in, "pattern", false, name));
    fputs(", ", out);
    put_cstr(get_str(in, "forbiddenChars", false, name));
    json_t *range = json_object_get(in, "range");
    if (range) {
        if (!json_is_array(range) || json_array_size(range) != 2 ||
            !json_is_integer(json_array_get(range, 0)) || !json_is_integer(json_array_get(range, 1)))
            gen_die("%s.%s: 'range' must be [min, max]", owner, name);
        fprintf(out, ", true, %lldLL, %lldLL, ", (long long)json_integer_value(json_array_get(range, 0)),
                (long long)json_integer_value(json_array_get(range, 1)));
    } else {
        fputs(", false, 0, 0, ", out);
    }
    put_cstr(get_str(in, "keyPrefix", false, name));
    json_t *ml = json_object_get(in, "maxLength");
    if (ml && !json_is_integer(ml))
        gen_die("%s.%s: 'maxLength' must be an integer", owner, name);
    fprintf(out, ", %lluu, ", ml ? (unsigned long long)json_integer_value(ml) : 0ull);
    put_cstr(get_str(in, "variantBy", false, name));
    fprintf(out, ", %s, %zu, ", variants, variant_count);
    put_cstr(get_str(in, "minAgent", false, name));
    fputs(", ", out);
    put_cstr(get_str(in, "doc", false, name));
    fprintf(out, ", %s},\n", vtype_of(in, "valueType", name));
}

static void put_inputs_named(json_t *list, const char *owner, const char *array_name,
                             bool is_static)
{
    size_t n = json_array_size(list), i;
    json_t *in;
    char (*vn)[32] = calloc(n + 1, sizeof *vn), (*van)[32] = calloc(n + 1, sizeof *van);
    size_t *vc = calloc(n + 1, sizeof *vc), *vac = calloc(n + 1, sizeof *vac);
    if (!vn || !van || !vc || !vac)
        gen_die("out of memory");
    json_array_foreach(list, i, in) {
        put_input_parts(in, owner, vn[i], sizeof vn[i], &vc[i], van[i], sizeof van[i], &vac[i]);
        const char *name = get_str(in, "name", true, owner);
        for (size_t j = 0; j < i; j++)
            if (strcmp(name, json_string_value(json_object_get(json_array_get(list, j), "name"))) == 0)
                gen_die("%s: duplicate input '%s'", owner, name);
    }
    fprintf(out, "%sconst grammar_input %s[] = {\n", is_static ? "static " : "", array_name);
    json_array_foreach(list, i, in)
        put_input(in, owner, vn[i], vc[i], van[i], vac[i]);
    if (n == 0)
        fputs("    {NULL}\n", out); /* C has no empty arrays */
    fputs("};\n", out);
    free(vn);
    free(van);
    free(vc);
    free(vac);
}

static void put_inputs(json_t *list, const char *owner, char *name_out, size_t name_size)
{
    snprintf(name_out, name_size, "g_inputs_%u", serial++);
    put_inputs_named(list, owner, name_out, true);
}

/* --- steps and plugins -------------------------------------------------- */

static void put_fields(json_t *list, const char *array_name, const char *count_name)
{
    static const char *const field_keys[] = {"name", "required", "type", "use", "minSchema",
                                             "doc", "values", NULL};
    size_t i, n = json_array_size(list);
    json_t *f;
    /* The value lists first: C wants them declared before the table. */
    char (*values)[32] = calloc(n ? n : 1, sizeof *values);
    size_t *value_counts = calloc(n ? n : 1, sizeof *value_counts);
    if (!values || !value_counts)
        gen_die("out of memory");
    json_array_foreach(list, i, f) {
        check_keys(f, array_name, field_keys);
        const char *name = get_str(f, "name", true, array_name);
        value_counts[i] = put_str_array(get_array(f, "values", name), name, values[i],
                                        sizeof values[i]);
    }
    fprintf(out, "const grammar_step_field %s[] = {\n", array_name);
    json_array_foreach(list, i, f) {
        const char *name = get_str(f, "name", true, array_name);
        const char *use = get_str(f, "use", false, name);
        if (use && strcmp(use, "command") != 0 && strcmp(use, "ignored") != 0)
            gen_die("%s: 'use' must be command or ignored", name);
        fputs("    {", out);
        put_cstr(name);
        fprintf(out, ", %s, %s, %s, ", get_bool(f, "required", name) ? "true" : "false",
                vtype_of(f, "type", name),
                use && strcmp(use, "ignored") == 0 ? "GRAMMAR_FIELD_IGNORED" : "GRAMMAR_FIELD_COMMAND");
        put_cstr(get_str(f, "minSchema", false, name));
        fputs(", ", out);
        put_cstr(get_str(f, "doc", false, name));
        fprintf(out, ", %s, %zu},\n", values[i], value_counts[i]);
    }
    fprintf(out, "};\nconst size_t %s = %zu;\n\n", count_name, n);
    free(values);
    free(value_counts);
}

static void put_names(json_t *list, const char *array_name, const char *count_name)
{
    fprintf(out, "const char *const %s[] = {", array_name);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (!json_is_string(v))
            gen_die("%s: item %zu must be a string", array_name, i);
        fputs(i ? ", " : "", out);
        put_cstr(json_string_value(v));
    }
    fprintf(out, "};\nconst size_t %s = %zu;\n\n", count_name, json_array_size(list));
}

static void check_requirement_inputs(json_t *plugin, json_t *names, const char *pname)
{
    json_t *inputs = json_object_get(plugin, "inputs");
    size_t i;
    json_t *v;
    json_array_foreach(names, i, v) {
        bool found = false;
        size_t j;
        json_t *in;
        json_array_foreach(inputs, j, in)
            if (json_is_string(v) &&
                strcmp(json_string_value(v), json_string_value(json_object_get(in, "name"))) == 0)
                found = true;
        if (!found)
            gen_die("%s: requirement names unknown input '%s'", pname,
                json_is_string(v) ? json_string_value(v) : "?");
    }
}

static void put_plugins(void)
{
    static const char *const plugin_keys[] = {
        "name", "summary", "minSchema", "platforms", "inputs", "requires", "associationOnly",
        "deprecated", "openInputs", "note", "source", "doc", NULL};
    static const char *const req_keys[] = {"when", "equals", "allOf", "anyOf", NULL};
    size_t n = json_array_size(plugins), i;
    json_t *p;
    char (*in_names)[32] = calloc(n + 1, sizeof *in_names),
         (*req_names)[32] = calloc(n + 1, sizeof *req_names);
    unsigned *platforms = calloc(n + 1, sizeof *platforms);
    if (!in_names || !req_names || !platforms)
        gen_die("out of memory");
    json_array_foreach(plugins, i, p) {
        check_keys(p, "plugin", plugin_keys);
        const char *name = get_str(p, "name", true, "plugin");
        for (size_t j = 0; j < i; j++)
            if (strcmp(name, json_string_value(json_object_get(json_array_get(plugins, j), "name"))) == 0)
                gen_die("duplicate plugin '%s'", name);
        json_t *plats = get_array(p, "platforms", name);
        if (!plats)
            gen_die("%s: missing 'platforms' (use [] for none)", name);
        size_t j;
        json_t *v;
        json_array_foreach(plats, j, v) {
            if (!json_is_string(v))
                gen_die("%s: platforms must be strings", name);
            platforms[i] |= platform_bit(json_string_value(v), name);
        }
        json_t *inputs = get_array(p, "inputs", name);
        if (!inputs)
            gen_die("%s: missing 'inputs'", name);
        put_inputs(inputs, name, in_names[i], sizeof in_names[i]);
        json_t *reqs = get_array(p, "requires", name);
        if (!reqs || json_array_size(reqs) == 0) {
            snprintf(req_names[i], sizeof req_names[i], "NULL");
            continue;
        }
        size_t rn = json_array_size(reqs);
        char (*eq)[32] = calloc(rn, sizeof *eq), (*ins)[32] = calloc(rn, sizeof *ins);
        size_t *eqc = calloc(rn, sizeof *eqc), *insc = calloc(rn, sizeof *insc);
        if (!eq || !ins || !eqc || !insc)
            gen_die("out of memory");
        json_t *r;
        json_array_foreach(reqs, j, r) {
            check_keys(r, name, req_keys);
            const char *when = get_str(r, "when", true, name);
            json_t *wl = json_array();
            json_array_append_new(wl, json_string(when));
            check_requirement_inputs(p, wl, name);
            json_decref(wl);
            json_t *all = get_array(r, "allOf", name), *any = get_array(r, "anyOf", name);
            if (!!all == !!any)
                gen_die("%s: a requirement needs exactly one of allOf, anyOf", name);
            check_requirement_inputs(p, all ? all : any, name);
            eqc[j] = put_str_array(get_array(r, "equals", name), name, eq[j], sizeof eq[j]);
            if (!eqc[j])
                gen_die("%s: a requirement needs 'equals'", name);
            insc[j] = put_str_array(all ? all : any, name, ins[j], sizeof ins[j]);
        }
        snprintf(req_names[i], sizeof req_names[i], "g_reqs_%u", serial++);
        fprintf(out, "static const grammar_requirement %s[] = {\n", req_names[i]);
        json_array_foreach(reqs, j, r) {
            fputs("    {", out);
            put_cstr(get_str(r, "when", true, name));
            fprintf(out, ", %s, %zu, %s, %zu, %s},\n", eq[j], eqc[j], ins[j], insc[j],
                    json_object_get(r, "anyOf") ? "true" : "false");
        }
        fputs("};\n", out);
        free(eq);
        free(ins);
        free(eqc);
        free(insc);
    }
    fputs("const grammar_plugin grammar_plugins[] = {\n", out);
    json_array_foreach(plugins, i, p) {
        const char *name = get_str(p, "name", true, "plugin");
        fputs("    {", out);
        put_cstr(name);
        fputs(", ", out);
        put_cstr(get_str(p, "summary", false, name));
        fputs(", ", out);
        put_cstr(get_str(p, "minSchema", false, name));
        json_t *reqs = json_object_get(p, "requires");
        fprintf(out, ", %uu, %s, %zu, %s, %zu, %s, %s, %s, ", platforms[i], in_names[i],
                json_array_size(json_object_get(p, "inputs")), req_names[i],
                reqs ? json_array_size(reqs) : 0,
                get_bool(p, "associationOnly", name) ? "true" : "false",
                get_bool(p, "deprecated", name) ? "true" : "false",
                get_bool(p, "openInputs", name) ? "true" : "false");
        put_cstr(get_str(p, "note", false, name));
        fputs(", ", out);
        put_cstr(get_str(p, "source", false, name));
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t grammar_plugin_count = %zu;\n\n", n);
    fputs("const char *const grammar_plugin_names[] = {", out);
    json_array_foreach(plugins, i, p) {
        fputs(i ? ", " : "", out);
        put_cstr(json_string_value(json_object_get(p, "name")));
    }
    fputs("};\n\n", out);
    free(in_names);
    free(req_names);
    free(platforms);
}


/* --- Automation actions (grammar/automation/) ---------------------------- */

static void put_outputs(json_t *list, const char *owner, char *name_out, size_t name_size)
{
    static const char *const output_keys[] = {"name", "type", "doc", NULL};
    if (!list || json_array_size(list) == 0) {
        snprintf(name_out, name_size, "NULL");
        return;
    }
    snprintf(name_out, name_size, "g_outputs_%u", serial++);
    fprintf(out, "static const grammar_output %s[] = {\n", name_out);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        check_keys(o, owner, output_keys);
        const char *name = get_str(o, "name", true, owner);
        for (size_t j = 0; j < i; j++)
            if (strcmp(name, json_string_value(json_object_get(json_array_get(list, j), "name"))) == 0)
                gen_die("%s: duplicate output '%s'", owner, name);
        fputs("    {", out);
        put_cstr(name);
        fprintf(out, ", %s},\n", vtype_of(o, "type", name));
    }
    fputs("};\n", out);
}

static void put_groups(json_t *action, const char *owner, char *name_out, size_t name_size)
{
    static const char *const group_keys[] = {"inputs", "min", "max", NULL};
    json_t *groups = get_array(action, "groups", owner);
    if (!groups || json_array_size(groups) == 0) {
        snprintf(name_out, name_size, "NULL");
        return;
    }
    size_t n = json_array_size(groups), i;
    char (*names)[32] = calloc(n, sizeof *names);
    if (!names)
        gen_die("out of memory");
    json_t *g;
    json_array_foreach(groups, i, g) {
        check_keys(g, owner, group_keys);
        json_t *ins = get_array(g, "inputs", owner);
        if (!ins || json_array_size(ins) < 2)
            gen_die("%s: a group needs at least two inputs", owner);
        check_requirement_inputs(action, ins, owner);
        put_str_array(ins, owner, names[i], sizeof names[i]);
        json_t *mn = json_object_get(g, "min"), *mx = json_object_get(g, "max");
        if (!json_is_integer(mn) || !json_is_integer(mx) || json_integer_value(mn) < 0 ||
            json_integer_value(mx) < json_integer_value(mn))
            gen_die("%s: a group needs integer min <= max", owner);
    }
    snprintf(name_out, name_size, "g_groups_%u", serial++);
    fprintf(out, "static const grammar_input_group %s[] = {\n", name_out);
    json_array_foreach(groups, i, g)
        fprintf(out, "    {%s, %zu, %lldu, %lldu},\n", names[i],
                json_array_size(json_object_get(g, "inputs")),
                (long long)json_integer_value(json_object_get(g, "min")),
                (long long)json_integer_value(json_object_get(g, "max")));
    fputs("};\n", out);
    free(names);
}

static void put_actions(void)
{
    static const char *const action_keys[] = {
        "name", "summary", "source", "inputs", "outputs", "groups", "openInputs",
        "strictInputs", "internal", "reservedOutputs", "reservedIsError", NULL};
    size_t n = json_array_size(actions), i;
    json_t *a;
    char (*in_names)[32] = calloc(n + 1, sizeof *in_names),
         (*out_names)[32] = calloc(n + 1, sizeof *out_names),
         (*grp_names)[32] = calloc(n + 1, sizeof *grp_names),
         (*res_names)[32] = calloc(n + 1, sizeof *res_names);
    size_t *res_counts = calloc(n + 1, sizeof *res_counts);
    if (!in_names || !out_names || !grp_names || !res_names || !res_counts)
        gen_die("out of memory");
    json_array_foreach(actions, i, a) {
        check_keys(a, "action", action_keys);
        const char *name = get_str(a, "name", true, "action");
        if (strncmp(name, "aws:", 4) != 0)
            gen_die("action '%s' must start with aws:", name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(name, json_string_value(json_object_get(json_array_get(actions, j), "name"))) == 0)
                gen_die("duplicate action '%s'", name);
        json_t *inputs = get_array(a, "inputs", name);
        if (!inputs)
            gen_die("%s: missing 'inputs'", name);
        json_t *outputs = get_array(a, "outputs", name);
        if (!outputs)
            gen_die("%s: missing 'outputs' (use [] for none)", name);
        put_inputs(inputs, name, in_names[i], sizeof in_names[i]);
        put_outputs(outputs, name, out_names[i], sizeof out_names[i]);
        put_groups(a, name, grp_names[i], sizeof grp_names[i]);
        res_counts[i] = put_str_array(get_array(a, "reservedOutputs", name), name, res_names[i],
                                      sizeof res_names[i]);
    }
    fputs("const grammar_action grammar_actions[] = {\n", out);
    json_array_foreach(actions, i, a) {
        const char *name = get_str(a, "name", true, "action");
        json_t *groups = json_object_get(a, "groups");
        fputs("    {", out);
        put_cstr(name);
        fputs(", ", out);
        put_cstr(get_str(a, "summary", false, name));
        fprintf(out, ", %s, %zu, %s, %zu, %s, %zu, %s, %s, %zu, %s, %s, %s, ", in_names[i],
                json_array_size(json_object_get(a, "inputs")), out_names[i],
                json_array_size(json_object_get(a, "outputs")), grp_names[i],
                groups ? json_array_size(groups) : 0, res_names[i],
                get_bool(a, "reservedIsError", name) ? "true" : "false", res_counts[i],
                get_bool(a, "openInputs", name) ? "true" : "false",
                get_bool(a, "strictInputs", name) ? "true" : "false",
                get_bool(a, "internal", name) ? "true" : "false");
        put_cstr(get_str(a, "source", false, name));
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t grammar_action_count = %zu;\n\n", n);
    fputs("const char *const grammar_automation_actions[] = {", out);
    json_array_foreach(actions, i, a) {
        fputs(i ? ", " : "", out);
        put_cstr(json_string_value(json_object_get(a, "name")));
    }
    fprintf(out, "};\nconst size_t grammar_automation_action_count = %zu;\n\n", n);
    free(in_names);
    free(out_names);
    free(grp_names);
    free(res_names);
    free(res_counts);
}

static void put_branch_operators(void)
{
    static const char *const op_keys[] = {"name", "type", "doc", NULL};
    fputs("const grammar_branch_operator grammar_branch_operators[] = {\n", out);
    size_t i;
    json_t *o;
    json_array_foreach(branch_operators, i, o) {
        check_keys(o, "branchOperators", op_keys);
        const char *name = get_str(o, "name", true, "branchOperators");
        fputs("    {", out);
        put_cstr(name);
        fprintf(out, ", %s, ", vtype_of(o, "type", name));
        put_cstr(get_str(o, "doc", false, name));
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t grammar_branch_operator_count = %zu;\n\n",
            json_array_size(branch_operators));
}

/* A list of {name, doc} as a grammar_term table. */
static void put_terms(json_t *list, const char *what, const char *array_name,
                      const char *count_name)
{
    static const char *const term_keys[] = {"name", "doc", NULL};
    fprintf(out, "const grammar_term %s[] = {\n", array_name);
    size_t i;
    json_t *t;
    json_array_foreach(list, i, t) {
        check_keys(t, what, term_keys);
        const char *name = get_str(t, "name", true, what);
        fputs("    {", out);
        put_cstr(name);
        fputs(", ", out);
        put_cstr(get_str(t, "doc", true, name));
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t %s = %zu;\n\n", count_name, json_array_size(list));
}

static void put_script_runtimes(void)
{
    static const char *const rt_keys[] = {"name", "language", "status", NULL};
    fputs("const grammar_script_runtime grammar_script_runtimes[] = {\n", out);
    size_t i;
    json_t *r;
    json_array_foreach(script_runtimes, i, r) {
        check_keys(r, "scriptRuntimes", rt_keys);
        const char *name = get_str(r, "name", true, "scriptRuntimes");
        const char *lang = get_str(r, "language", true, name);
        const char *status = get_str(r, "status", true, name);
        if (strcmp(lang, "python") != 0 && strcmp(lang, "powershell") != 0)
            gen_die("%s: language must be python or powershell", name);
        const char *st = strcmp(status, "current") == 0       ? "GRAMMAR_RUNTIME_CURRENT"
                         : strcmp(status, "unconfirmed") == 0 ? "GRAMMAR_RUNTIME_UNCONFIRMED"
                         : strcmp(status, "retired") == 0     ? "GRAMMAR_RUNTIME_RETIRED"
                                                              : NULL;
        if (!st)
            gen_die("%s: status must be current, unconfirmed or retired", name);
        fputs("    {", out);
        put_cstr(name);
        fprintf(out, ", %s, %s},\n", strcmp(lang, "python") == 0 ? "true" : "false", st);
    }
    fprintf(out, "};\nconst size_t grammar_script_runtime_count = %zu;\n\n",
            json_array_size(script_runtimes));
}

/* --- main --------------------------------------------------------------- */

static void sort_by_name(json_t *list)
{
    size_t n = json_array_size(list);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            json_t *a = json_array_get(list, j - 1), *b = json_array_get(list, j);
            const char *an = json_string_value(json_object_get(a, "name"));
            const char *bn = json_string_value(json_object_get(b, "name"));
            if (!an || !bn || strcmp(an, bn) <= 0)
                break;
            json_incref(a);
            json_array_set(list, j - 1, b);
            json_array_set_new(list, j, a);
        }
}

static void take(json_t **slot, json_t *doc, const char *key)
{
    json_t *v = json_object_get(doc, key);
    if (!v)
        return;
    if (*slot)
        gen_die("'%s' is defined in more than one file", key);
    if (!json_is_array(v))
        gen_die("'%s' must be a list", key);
    *slot = json_incref(v);
}

int main(int argc, char **argv)
{
    gen_tool = "gen_grammar";
    if (argc < 4) {
        fprintf(stderr, "usage: gen_grammar OUT.c OUT.h FILE.json...\n");
        return 2;
    }
    static const char *const top_keys[] = {
        "kinds", "parameterTypes", "parameterProperties", "stepFields", "runtimeFields",
        "sharedInputs", "preconditionOperators", "plugin", "action", "automationStepFields",
        "branchOperators", "branchKeys", "systemVariables", "scriptRuntimes", "boto3Services",
        "boto3Operations", "comment", NULL};
    plugins = json_array();
    actions = json_array();
    json_t *docs = json_array();
    for (int i = 3; i < argc; i++) {
        gen_where = argv[i];
        json_error_t err;
        json_t *doc = json_load_file(argv[i], JSON_REJECT_DUPLICATES, &err);
        if (!doc)
            gen_die("line %d column %d: %s", err.line, err.column, err.text);
        check_keys(doc, "top level", top_keys);
        take(&kinds, doc, "kinds");
        take(&param_types, doc, "parameterTypes");
        take(&param_props, doc, "parameterProperties");
        take(&step_fields, doc, "stepFields");
        take(&runtime_fields, doc, "runtimeFields");
        take(&shared_inputs, doc, "sharedInputs");
        take(&automation_step_fields, doc, "automationStepFields");
        take(&branch_operators, doc, "branchOperators");
        take(&branch_keys, doc, "branchKeys");
        take(&system_variables, doc, "systemVariables");
        take(&script_runtimes, doc, "scriptRuntimes");
        take(&boto3_services, doc, "boto3Services");
        take(&boto3_operations, doc, "boto3Operations");
        json_t *action = json_object_get(doc, "action");
        if (action)
            json_array_append(actions, action);
        take(&precondition_operators, doc, "preconditionOperators");
        json_t *plugin = json_object_get(doc, "plugin");
        if (plugin)
            json_array_append(plugins, plugin);
        json_array_append_new(docs, doc);
    }
    gen_where = "(all files)";
    if (!kinds || !param_types || !param_props || !step_fields || !runtime_fields ||
        !shared_inputs || !precondition_operators || !automation_step_fields ||
        !branch_operators || !branch_keys || !system_variables || !script_runtimes ||
        !boto3_services || !boto3_operations)
        gen_die("a section is missing (kinds, parameterTypes, parameterProperties, stepFields, "
            "runtimeFields, sharedInputs, preconditionOperators, automationStepFields, "
            "branchOperators, branchKeys, systemVariables, scriptRuntimes, boto3Services, "
            "boto3Operations)");
    if (json_array_size(actions) == 0)
        gen_die("no action files");
    if (json_array_size(plugins) == 0)
        gen_die("no plugin files");
    /* Plugins and actions sorted by name: stable output whatever the order
     * of files. */
    sort_by_name(plugins);
    sort_by_name(actions);
    size_t n = json_array_size(plugins);
    (void)in_list;

    out = fopen(argv[1], "w");
    if (!out)
        gen_die("cannot write %s", argv[1]);
    fputs("/* Generated by grammar/gen_grammar.c from the grammar/ data files. Do not edit. */\n"
          "#include \"grammar.h\"\n#include \"grammar_data.h\"\n\n",
          out);
    put_kinds();
    put_params();
    put_fields(step_fields, "grammar_step_fields", "grammar_step_field_count");
    put_fields(runtime_fields, "grammar_runtime_fields", "grammar_runtime_field_count");
    put_inputs_named(shared_inputs, "sharedInputs", "grammar_shared_inputs", false);
    fprintf(out, "const size_t grammar_shared_input_count = %zu;\n\n", json_array_size(shared_inputs));
    put_fields(automation_step_fields, "grammar_automation_step_fields",
               "grammar_automation_step_field_count");
    put_actions();
    put_branch_operators();
    put_terms(branch_keys, "branchKeys", "grammar_branch_keys", "grammar_branch_key_count");
    put_terms(system_variables, "systemVariables", "grammar_system_variables",
              "grammar_system_variable_count");
    put_script_runtimes();
    put_names(boto3_services, "grammar_boto3_services", "grammar_boto3_service_count");
    put_names(boto3_operations, "grammar_boto3_operations", "grammar_boto3_operation_count");
    put_names(precondition_operators, "grammar_precondition_operators",
              "grammar_precondition_operator_count");
    put_plugins();
    if (fclose(out) != 0)
        gen_die("cannot write %s", argv[1]);

    out = fopen(argv[2], "w");
    if (!out)
        gen_die("cannot write %s", argv[2]);
    fprintf(out,
            "/* Generated by grammar/gen_grammar.c. Do not edit. */\n"
            "#ifndef SSMC_GRAMMAR_DATA_H\n#define SSMC_GRAMMAR_DATA_H\n"
            "#define GRAMMAR_KIND_COUNT %zu\n#define GRAMMAR_PLUGIN_COUNT %zu\n"
            "#define GRAMMAR_PARAM_TYPE_COUNT %zu\n#define GRAMMAR_PARAM_PROP_COUNT %zu\n"
            "#endif\n",
            json_array_size(kinds), n, json_array_size(param_types), json_array_size(param_props));
    if (fclose(out) != 0)
        gen_die("cannot write %s", argv[2]);
    json_decref(docs);
    json_decref(plugins);
    json_decref(actions);
    return 0;
}
