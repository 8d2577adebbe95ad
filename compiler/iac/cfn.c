/* cfn.c — CloudFormation and SAM templates (YAML with the short-form
 * intrinsic tags, or JSON).
 *
 * Every AWS::SSM::Document resource: its properties against the resource
 * specification, its Content (a mapping, or a JSON or YAML string) as the
 * document its DocumentType says, and what an update of the stack does to
 * it. Every AWS::SSM::Association: its properties with the association
 * checks, and its Parameters against the document its Name refers to when
 * that is a !Ref to a document of the same template.
 *
 * Values CloudFormation fills in (intrinsic functions) inside a Content are
 * replaced by placeholders and reported once; a Fn::Sub string keeps its
 * ${Name} parts as they are written (they are placeholders of known
 * position, as {{ }} are for SSM), is read back with ${!X} as ${X}, and a
 * ${X} that names nothing of the template is reported: CloudFormation
 * rejects it (or substitutes it) where the shell meant its own variable.
 *
 * Sources: AWS CloudFormation Template Reference, AWS::SSM::Document and
 * AWS::SSM::Association; the SSM API Reference, CreateDocument
 * (Name/VersionName/TargetType patterns, DocumentFormat values); the
 * CloudFormation User Guide, Fn::Sub (${!Literal}). */
#include "iac.h"

#include "validate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct cfn {
    ssmc_sources *sources;
    ssmc_host *host;
    const ssmc_config *config;
    ssmc_diags *diags;
    ssmc_node *root;
    const ssmc_node *parameters;   /* Parameters: MAP or NULL */
    const ssmc_node *resources;    /* Resources: MAP or NULL */
    /* intrinsic functions met in the current Content */
    size_t intrinsics;
    const ssmc_node *first_intrinsic;
    char first_name[32];
} cfn;

static bool is_str(const ssmc_node *n) { return n && n->type == SSMC_NODE_STRING; }

static ssmc_node *get(const ssmc_node *map, const char *key)
{
    return map && map->type == SSMC_NODE_MAP ? ssmc_map_get(map, key) : NULL;
}

/* ------------------------------------------------------------------ */
/* Intrinsic functions                                                 */
/* ------------------------------------------------------------------ */

/* The function a node is, written as in the long form ("Fn::Sub", "Ref"),
 * or NULL: a short-form tag (!Sub) or a one-key mapping {"Fn::Sub": ...}. */
static const char *intrinsic_name(const ssmc_node *n, char *out, size_t cap,
                                  const ssmc_node **arg)
{
    *arg = n;
    if (n->tag && n->tag[0] == '!' && n->tag[1] != '!' && n->tag[1]) {
        const char *t = n->tag + 1;
        if (strcmp(t, "Ref") == 0 || strcmp(t, "Condition") == 0)
            snprintf(out, cap, "%s", t);
        else
            snprintf(out, cap, "Fn::%s", t);
        return out;
    }
    if (n->type == SSMC_NODE_MAP && n->count == 1 && is_str(n->pairs[0].key)) {
        const char *k = n->pairs[0].key->str;
        if (strcmp(k, "Ref") == 0 || strncmp(k, "Fn::", 4) == 0) {
            snprintf(out, cap, "%s", k);
            *arg = n->pairs[0].value;
            return out;
        }
    }
    return NULL;
}

static bool known_name(const cfn *c, const char *name, size_t len, const ssmc_node *vars)
{
    if (len >= 5 && memcmp(name, "AWS::", 5) == 0)
        return true;
    if (memchr(name, '.', len))
        return true; /* ${Resource.Attribute} */
    const ssmc_node *maps[3] = {c->parameters, c->resources, vars};
    for (size_t m = 0; m < 3; m++) {
        const ssmc_node *map = maps[m];
        if (!map || map->type != SSMC_NODE_MAP)
            continue;
        for (size_t i = 0; i < map->count; i++) {
            const ssmc_node *k = map->pairs[i].key;
            if (is_str(k) && k->len == len && memcmp(k->str, name, len) == 0)
                return true;
        }
    }
    return false;
}

/* ${!Literal}: CloudFormation writes ${Literal}. */
static size_t sub_escape_keep(const char *s, size_t n, size_t i)
{
    return s[i] == '$' && i + 2 < n && s[i + 1] == '{' && s[i + 2] == '!' ? i : SIZE_MAX;
}

typedef struct sub_ctx {
    cfn *c;
    const ssmc_node *vars;
} sub_ctx;

static bool sub_reported(void *ctx, const iac_text *in, size_t at, size_t close, const char *name,
                         size_t len)
{
    sub_ctx *sc = ctx;
    if (!len || known_name(sc->c, name, len, sc->vars))
        return false;
    const ssmc_source *host = ssmc_sources_get(sc->c->sources, sc->c->host->file);
    ssmc_span span = span_from_offsets(host, in->map.start[at], in->map.end[close]);
    ssmc_diag *d = ssmc_diag_add(
        sc->c->diags, SSMC_RULE_SSM1102, sc->c->host->file, span,
        "'${%.*s}' is inside Fn::Sub, so CloudFormation reads it as its own variable and "
        "rejects the template ('%.*s' is no parameter, resource or Fn::Sub variable of "
        "it); for the shell's variable write '${!%.*s}'",
        (int)len, name, (int)len, name, (int)len, name);
    d->hint = xasprintf("${!%.*s}", (int)len, name);
    return true;
}

/* Reads a Fn::Sub string back as the text the document will hold:
 * ${!X} becomes ${X}; ${Name} of the template stays as a placeholder; a
 * ${X} that names nothing of the template is reported (SSM1102). */
static void sub_read_back(cfn *c, const iac_text *in, const ssmc_node *vars, iac_text *out)
{
    sub_ctx ctx = {c, vars};
    iac_interpolation how = {sub_escape_keep, " ", sub_reported, &ctx};
    iac_read_back(in, &how, out);
}

/* The string of a Fn::Sub (its argument or the first item of its list)
 * and its variable map. */
static const ssmc_node *sub_parts(const ssmc_node *arg, const ssmc_node **vars)
{
    *vars = NULL;
    if (arg->type == SSMC_NODE_SEQ && arg->count >= 1 && is_str(arg->items[0])) {
        if (arg->count >= 2 && arg->items[1]->type == SSMC_NODE_MAP)
            *vars = arg->items[1];
        return arg->items[0];
    }
    return is_str(arg) ? arg : NULL;
}

static void note_intrinsic(cfn *c, const ssmc_node *n, const char *name)
{
    if (c->intrinsics++ == 0) {
        c->first_intrinsic = n;
        snprintf(c->first_name, sizeof c->first_name, "%s", name);
    }
}

static ssmc_node *new_string(const ssmc_document *tree, const ssmc_node *like, const char *s,
                             size_t len)
{
    ssmc_node *n = arena_alloc(tree->arena, sizeof *n);
    n->type = SSMC_NODE_STRING;
    n->style = like->style == SSMC_STYLE_BLOCK || like->style == SSMC_STYLE_FLOW
                   ? SSMC_STYLE_DOUBLE_QUOTED
                   : like->style;
    n->file = like->file;
    n->span = like->span;
    n->str = arena_strndup(tree->arena, s, len);
    n->len = len;
    return n;
}

/* An association's values are checked against patterns (bucket names,
 * instance ids): there an intrinsic function is left out, not replaced. */
static void drop_intrinsics(cfn *c, ssmc_node *n, size_t depth)
{
    char name[32];
    const ssmc_node *arg;
    if (!n || depth > 256)
        return;
    size_t kept = 0;
    if (n->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < n->count; i++) {
            if (intrinsic_name(n->pairs[i].value, name, sizeof name, &arg)) {
                note_intrinsic(c, n->pairs[i].value, name);
                continue;
            }
            drop_intrinsics(c, n->pairs[i].value, depth + 1);
            n->pairs[kept++] = n->pairs[i];
        }
        n->count = kept;
    } else if (n->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < n->count; i++) {
            if (intrinsic_name(n->items[i], name, sizeof name, &arg)) {
                note_intrinsic(c, n->items[i], name);
                continue;
            }
            drop_intrinsics(c, n->items[i], depth + 1);
            n->items[kept++] = n->items[i];
        }
        n->count = kept;
    }
}

/* Replaces every intrinsic function below *slot (inclusive) by a
 * placeholder string; a Fn::Sub string by its read-back text. */
static void rewrite(cfn *c, ssmc_node **slot, size_t depth)
{
    ssmc_node *n = *slot;
    if (!n || depth > 256)
        return;
    char name[32];
    const ssmc_node *arg;
    if (intrinsic_name(n, name, sizeof name, &arg)) {
        note_intrinsic(c, n, name);
        const ssmc_node *vars, *str;
        if (strcmp(name, "Fn::Sub") == 0 && (str = sub_parts(arg, &vars)) != NULL) {
            iac_text in, out;
            iac_text_of_scalar(ssmc_sources_get(c->sources, c->host->file), str, &in);
            iac_text_init(&out);
            sub_read_back(c, &in, vars, &out);
            /* The node stays in the template: while the text equals what
             * the template holds (no ${!X}), scripts map byte for byte. */
            *slot = new_string(c->host->tree, str, out.text.data, out.text.len);
            for (size_t k = 0; k + 1 < out.ph_count; k += 2)
                iac_source_placeholder(c->sources, c->host->file, out.map.start[out.ph[k]],
                                       out.map.end[out.ph[k + 1] - 1]);
            iac_text_free(&in);
            iac_text_free(&out);
            return;
        }
        /* Any other function: a string placeholder naming it, e.g.
         * ${Ref:Timeout}, which no check takes for a real value. */
        char text[160];
        if (is_str(arg))
            snprintf(text, sizeof text, "${%s:%.100s}", name, arg->str);
        else
            snprintf(text, sizeof text, "${%s}", name);
        *slot = new_string(c->host->tree, n, text, strlen(text));
        return;
    }
    if (n->type == SSMC_NODE_MAP) {
        /* !Ref AWS::NoValue removes the key it is the value of */
        size_t kept = 0;
        for (size_t i = 0; i < n->count; i++) {
            const ssmc_node *v = n->pairs[i].value;
            if (v && intrinsic_name(v, name, sizeof name, &arg) && strcmp(name, "Ref") == 0 &&
                is_str(arg) && strcmp(arg->str, "AWS::NoValue") == 0) {
                note_intrinsic(c, v, name);
                continue;
            }
            n->pairs[kept++] = n->pairs[i];
        }
        n->count = kept;
        for (size_t i = 0; i < n->count; i++)
            rewrite(c, &n->pairs[i].value, depth + 1);
    }
    else if (n->type == SSMC_NODE_SEQ)
        for (size_t i = 0; i < n->count; i++)
            rewrite(c, &n->items[i], depth + 1);
}

static void report_intrinsics(cfn *c, const char *what)
{
    if (!c->intrinsics)
        return;
    ssmc_diag_add(c->diags, SSMC_RULE_SSM1101, c->host->file, loc_of_node(c->first_intrinsic),
                  "%s holds %zu value%s CloudFormation fills in at deploy time (the first: %s); "
                  "ssmc checks the rest %s",
                  what, c->intrinsics, c->intrinsics == 1 ? "" : "s", c->first_name,
                  strcmp(what, "Content") == 0 ? "of the document with placeholders for them"
                                               : "without them");
    c->intrinsics = 0;
}

/* ------------------------------------------------------------------ */
/* AWS::SSM::Document                                                  */
/* ------------------------------------------------------------------ */

static const char *const document_properties[] = {
    "Attachments", "Content", "DocumentFormat", "DocumentType", "Name",
    "Requires",    "Tags",    "TargetType",     "UpdateMethod", "VersionName"};
static const char *const document_formats[] = {"JSON", "YAML", "TEXT", NULL};
static const char *const document_types[] = {
    "ApplicationConfiguration", "ApplicationConfigurationSchema", "AutoApprovalPolicy",
    "Automation", "Automation.ChangeTemplate", "ChangeCalendar", "CloudFormation", "Command",
    "ConformancePackTemplate", "DeploymentStrategy", "ManualApprovalPolicy", "Package", "Policy",
    "ProblemAnalysis", "ProblemAnalysisTemplate", "QuickSetup", "Session", NULL};
static const char *const update_methods[] = {"Replace", "NewVersion", NULL};

static bool one_of(const char *s, const char *const *values)
{
    for (; *values; values++)
        if (strcmp(s, *values) == 0)
            return true;
    return false;
}

static bool is_intrinsic(const ssmc_node *n)
{
    char name[32];
    const ssmc_node *arg;
    return n && intrinsic_name(n, name, sizeof name, &arg) != NULL;
}

static bool chars_ok(const char *s, size_t len, const char *extra)
{
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i]))
            return false;
    return true;
}

static void bad_value(cfn *c, const ssmc_node *v, const char *prop, const char *why)
{
    ssmc_diag_add(c->diags, SSMC_RULE_SSM1104, c->host->file, loc_of_node(v),
                  "%s '%s' %s", prop, v->str, why);
}

static void check_enum(cfn *c, const ssmc_node *props, const char *prop,
                       const char *const *values)
{
    const ssmc_node *v = get(props, prop);
    if (!v || is_intrinsic(v) || !is_str(v) || one_of(v->str, values))
        return;
    size_t n = 0;
    while (values[n])
        n++;
    const char *guess = did_you_mean(v->str, values, n);
    buf b;
    buf_init(&b);
    for (size_t i = 0; values[i]; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", values[i]);
    if (guess)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM1104, c->host->file, loc_of_node(v),
                      "%s '%s' is not one of %s; did you mean '%s'?", prop, v->str, b.data, guess);
    else
        ssmc_diag_add(c->diags, SSMC_RULE_SSM1104, c->host->file, loc_of_node(v),
                      "%s '%s' is not one of %s", prop, v->str, b.data);
    buf_free(&b);
}

static void check_document_properties(cfn *c, const ssmc_node *props)
{
    for (size_t i = 0; i < props->count; i++) {
        const ssmc_node *k = props->pairs[i].key;
        if (!is_str(k))
            continue;
        size_t n = sizeof document_properties / sizeof *document_properties;
        bool known = false;
        for (size_t j = 0; j < n; j++)
            known = known || strcmp(k->str, document_properties[j]) == 0;
        if (known)
            continue;
        const char *guess = did_you_mean(k->str, document_properties, n);
        ssmc_diag *d = ssmc_diag_add(
            c->diags, SSMC_RULE_SSM1103, c->host->file, loc_of_node(k),
            "AWS::SSM::Document has no property '%s'%s%s%s (CloudFormation rejects the template)",
            k->str, guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
        (void)d;
    }
    check_enum(c, props, "DocumentFormat", document_formats);
    check_enum(c, props, "DocumentType", document_types);
    check_enum(c, props, "UpdateMethod", update_methods);
    const ssmc_node *v = get(props, "Name");
    if (is_str(v) && !is_intrinsic(v)) {
        if (v->len < 3 || v->len > 128 || !chars_ok(v->str, v->len, "_-."))
            bad_value(c, v, "Name", "does not match ^[a-zA-Z0-9_\\-.]{3,128}$ (CreateDocument)");
        else if (strncasecmp(v->str, "aws", 3) == 0 || strncasecmp(v->str, "amazon", 6) == 0 ||
                 strncasecmp(v->str, "amzn", 4) == 0)
            bad_value(c, v, "Name",
                      "starts with a prefix AWS reserves for its own documents (aws, amazon, amzn)");
    }
    v = get(props, "VersionName");
    if (is_str(v) && !is_intrinsic(v) &&
        (v->len < 1 || v->len > 128 || !chars_ok(v->str, v->len, "_-.")))
        bad_value(c, v, "VersionName", "does not match ^[a-zA-Z0-9_\\-.]{1,128}$ (CreateDocument)");
    v = get(props, "TargetType");
    if (is_str(v) && !is_intrinsic(v) &&
        (v->len > 200 || v->str[0] != '/' || !chars_ok(v->str, v->len, "_.-:/")))
        bad_value(c, v, "TargetType",
                  "does not match ^\\/[\\w\\.\\-\\:\\/]*$ of at most 200 characters, e.g. "
                  "/AWS::EC2::Instance (CreateDocument)");
    v = get(props, "Requires");
    if (v && !is_intrinsic(v)) {
        if (v->type != SSMC_NODE_SEQ) {
            ssmc_diag_add(c->diags, SSMC_RULE_SSM1104, c->host->file, loc_of_node(v),
                          "Requires must be a list of {Name, Version} mappings, not %s",
                          ssmc_node_type_phrase(v->type));
        } else {
            for (size_t i = 0; i < v->count; i++) {
                const ssmc_node *r = v->items[i];
                if (r->type != SSMC_NODE_MAP || !get(r, "Name"))
                    ssmc_diag_add(c->diags, SSMC_RULE_SSM1104, c->host->file, loc_of_node(r),
                                  "each Requires entry is a mapping with a Name (and an "
                                  "optional Version)");
            }
        }
    }
}

/* What an update of the stack does to the document (the resource
 * reference: a change of Name, or of Content with UpdateMethod Replace,
 * replaces the resource, and CloudFormation cannot replace a resource
 * with a custom name: "Rename X and update the stack again"). */
static void check_update_behaviour(cfn *c, const ssmc_node *props, const char *version)
{
    const ssmc_pair *name = ssmc_map_get_pair(props, "Name");
    const ssmc_node *method = get(props, "UpdateMethod");
    bool new_version = is_str(method) && strcmp(method->str, "NewVersion") == 0;
    if (name && !method)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM1107, c->host->file, loc_of_node(name->key),
                      "the document has a Name but no UpdateMethod: a change of its Content makes "
                      "CloudFormation replace it (UpdateMethod Replace, the default), which fails "
                      "for a named resource ('CloudFormation cannot update a stack when a "
                      "custom-named resource requires replacing'); set UpdateMethod: NewVersion");
    else if (name && is_str(method) && strcmp(method->str, "Replace") == 0)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM1107, c->host->file, loc_of_node(method),
                      "UpdateMethod Replace with a Name: a change of its Content makes "
                      "CloudFormation replace the document, which fails for a named resource; "
                      "set UpdateMethod: NewVersion");
    if (new_version && version && strcmp(version, "1.2") == 0)
        ssmc_diag_add(c->diags, SSMC_RULE_SSM1108, c->host->file, loc_of_node(method),
                      "UpdateMethod NewVersion on a schemaVersion 1.2 document: SSM cannot create "
                      "a new version of a 1.2 document, so an update of the stack fails; move the "
                      "document to schemaVersion 2.2 or use UpdateMethod Replace without a Name");
}

static const char *schema_version_of(const ssmc_node *root)
{
    const ssmc_node *sv = get(root, "schemaVersion");
    return sv && ssmc_node_is_scalar(sv) ? sv->str : NULL;
}

static bool checkable_type(const char *type)
{
    doc_kind kind;
    return doc_kind_parse(type, &kind) && kind != KIND_ASSOCIATION;
}

static void document_resource(cfn *c, const char *id, const ssmc_node *res)
{
    ssmc_node *props = get(res, "Properties");
    if (!props || props->type != SSMC_NODE_MAP) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM1105, c->host->file, loc_of_node(res),
                      "AWS::SSM::Document '%s' has no Properties with a Content", id);
        return;
    }
    check_document_properties(c, props);
    ssmc_pair *content = ssmc_map_get_pair(props, "Content");
    if (!content) {
        ssmc_diag_add(c->diags, SSMC_RULE_SSM1105, c->host->file, loc_of_node(res),
                      "AWS::SSM::Document '%s' has no Content (a required property)", id);
        return;
    }
    const ssmc_node *type = get(props, "DocumentType");
    const char *type_name = is_str(type) && !is_intrinsic(type) ? type->str : "Command";
    const ssmc_node *format = get(props, "DocumentFormat");
    const char *format_name = is_str(format) && !is_intrinsic(format) ? format->str : "JSON";
    ssmc_embedded *e = iac_add_item(c->host, SSMC_EMBEDDED_DOCUMENT, id, loc_of_node(res));
    e->document_type = xstrdup(type_name);
    if (!checkable_type(type_name))
        return; /* ApplicationConfiguration and the like: no SSM schema to check */

    ssmc_node *value = content->value;
    char name[32];
    const ssmc_node *arg;
    const ssmc_node *vars = NULL, *sub = NULL;
    if (intrinsic_name(value, name, sizeof name, &arg) && strcmp(name, "Fn::Sub") == 0)
        sub = sub_parts(arg, &vars);
    const ssmc_source *hsrc = ssmc_sources_get(c->sources, c->host->file);
    if (value->type == SSMC_NODE_MAP && !is_intrinsic(value)) {
        rewrite(c, &content->value, 0);
        report_intrinsics(c, "Content");
        e->document = iac_borrow(c->host->tree, content->value);
        e->borrowed = true;
    } else if ((is_str(value) && !is_intrinsic(value)) || sub) {
        iac_text text;
        const ssmc_node *str = sub ? sub : value;
        iac_text_of_scalar(hsrc, str, &text);
        if (sub) {
            iac_text back;
            iac_text_init(&back);
            sub_read_back(c, &text, vars, &back);
            iac_text_free(&text);
            text = back;
            note_intrinsic(c, value, "Fn::Sub");
            report_intrinsics(c, "Content");
        }
        size_t i = 0;
        while (i < text.text.len && isspace((unsigned char)text.text.data[i]))
            i++;
        bool json = i < text.text.len && text.text.data[i] == '{';
        if (!json && strcmp(format_name, "JSON") == 0)
            ssmc_diag_add(c->diags, SSMC_RULE_SSM1106, c->host->file, loc_of_node(value),
                          "Content is a YAML document but DocumentFormat is %s; CreateDocument "
                          "reads it as JSON and fails: add DocumentFormat: YAML",
                          format ? "JSON" : "not given (JSON by default)");
        uint32_t file = iac_text_to_source(c->sources, c->host->file, &text);
        iac_text_free(&text);
        ssmc_diags loaded = {.sources = c->sources};
        e->document = iac_load_embedded(c->sources, file, &loaded);
        for (size_t k = 0; k < loaded.count; k++) {
            GROW(c->diags->items, c->diags->cap, c->diags->count + 1);
            c->diags->items[c->diags->count++] = loaded.items[k];
        }
        free(loaded.items);
    } else {
        note_intrinsic(c, value, is_intrinsic(value) ? name : "?");
        report_intrinsics(c, "Content");
        return;
    }
    if (e->document && e->document->root)
        check_update_behaviour(c, props, schema_version_of(e->document->root));
}

/* ------------------------------------------------------------------ */
/* AWS::SSM::Association                                               */
/* ------------------------------------------------------------------ */

/* Properties of the resource that CreateAssociation does not have. */
static const char *const association_only[] = {"WaitForSuccessTimeoutSeconds", NULL};

static void association_resource(cfn *c, const char *id, const ssmc_node *res)
{
    ssmc_node *props = get(res, "Properties");
    if (!props || props->type != SSMC_NODE_MAP)
        return;
    ssmc_embedded *e = iac_add_item(c->host, SSMC_EMBEDDED_ASSOCIATION, id, loc_of_node(res));
    /* A copy of the mapping as CreateAssociation would get it: without the
     * CloudFormation-only properties, and without the properties whose
     * whole value CloudFormation fills in (nothing to check there). */
    ssmc_node *copy = arena_alloc(c->host->tree->arena, sizeof *copy);
    *copy = *props;
    copy->pairs = arena_alloc(c->host->tree->arena,
                              (props->count ? props->count : 1) * sizeof *copy->pairs);
    copy->count = 0;
    e->name_is_value = false;
    for (size_t i = 0; i < props->count; i++) {
        const ssmc_node *k = props->pairs[i].key;
        ssmc_node *v = props->pairs[i].value;
        if (is_str(k) && one_of(k->str, association_only)) {
            if (v->type == SSMC_NODE_INT && (v->val.i < 15 || v->val.i > 172800))
                ssmc_diag_add(c->diags, SSMC_RULE_SSM1104, c->host->file, loc_of_node(v),
                              "WaitForSuccessTimeoutSeconds must be from 15 to 172800, not %lld",
                              (long long)v->val.i);
            continue;
        }
        char fname[32];
        const ssmc_node *arg;
        if (intrinsic_name(v, fname, sizeof fname, &arg)) {
            note_intrinsic(c, v, fname);
            if (!is_str(k) || strcmp(k->str, "Name") != 0)
                continue;
            /* Name: !Ref D, D an AWS::SSM::Document of this template: the
             * Parameters are checked against D's Content. Any other value
             * names a document only CloudFormation knows. */
            const ssmc_node *target = strcmp(fname, "Ref") == 0 && is_str(arg)
                                          ? get(c->resources, arg->str)
                                          : NULL;
            const ssmc_node *type = get(target, "Type");
            if (is_str(type) && strcmp(type->str, "AWS::SSM::Document") == 0)
                for (size_t j = 0; j < c->host->count; j++) {
                    ssmc_embedded *d = &c->host->items[j];
                    if (d->kind == SSMC_EMBEDDED_DOCUMENT && strcmp(d->resource, arg->str) == 0 &&
                        d->document && d->document->root)
                        e->names_document = d->document->root;
                }
            e->name_is_value = true;
            v = new_string(c->host->tree, v, is_str(arg) ? arg->str : id,
                           is_str(arg) ? arg->len : strlen(id));
        }
        copy->pairs[copy->count++] = (ssmc_pair){props->pairs[i].key, v, props->pairs[i].flags};
    }
    for (size_t i = 0; i < copy->count; i++)
        drop_intrinsics(c, copy->pairs[i].value, 1);
    report_intrinsics(c, "the association");
    e->document = iac_borrow(c->host->tree, copy);
    e->borrowed = true;
}

/* ------------------------------------------------------------------ */

void cfn_extract(ssmc_sources *sources, ssmc_host *host, const ssmc_config *config,
                 ssmc_diags *diags)
{
    ssmc_diags loaded = {.sources = sources};
    host->tree = ssmc_load(sources, host->file, NULL, &loaded);
    /* The intrinsic tags that SSM1020 reports in a document are what a
     * template is written with. */
    for (size_t i = 0; i < loaded.count; i++) {
        if (loaded.items[i].rule == SSMC_RULE_SSM1020) {
            diag_free_fields(&loaded.items[i]);
            continue;
        }
        GROW(diags->items, diags->cap, diags->count + 1);
        diags->items[diags->count++] = loaded.items[i];
    }
    free(loaded.items);
    if (!host->tree->root || !host->tree->syntax_ok || host->tree->root->type != SSMC_NODE_MAP)
        return;
    cfn c = {0};
    c.sources = sources;
    c.host = host;
    c.config = config;
    c.diags = diags;
    c.root = host->tree->root;
    c.parameters = get(c.root, "Parameters");
    c.resources = get(c.root, "Resources");
    if (!c.resources || c.resources->type != SSMC_NODE_MAP)
        return;
    /* Documents first, so that associations can refer to them. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < c.resources->count; i++) {
            const ssmc_node *k = c.resources->pairs[i].key, *res = c.resources->pairs[i].value;
            const ssmc_node *type = get(res, "Type");
            if (!is_str(k) || !is_str(type))
                continue;
            if (pass == 0 && strcmp(type->str, "AWS::SSM::Document") == 0)
                document_resource(&c, k->str, res);
            else if (pass == 1 && strcmp(type->str, "AWS::SSM::Association") == 0)
                association_resource(&c, k->str, res);
        }
    }
}
