/* test_association.c — document-name resolution rule and inventory target
 * matching (AND across targets, OR across values). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "association.h"
#include "catalogue/catalogue.h"
#include "inventory.h"

#include <stdlib.h>
#include <string.h>

static void test_name_matches_file(void **state)
{
    (void)state;
    assert_true(association_name_matches_file("ConfigureWebServer", "docs/configure-web-server.yaml"));
    assert_true(association_name_matches_file("ConfigureWebServer", "ConfigureWebServer.json"));
    assert_true(association_name_matches_file("configure_web_server", "a/b/Configure-Web-Server.YML"));
    assert_false(association_name_matches_file("ConfigureWebServer", "configure-web.yaml"));
    assert_false(association_name_matches_file("ConfigureWebServer", "configure-web-server.yaml.bak"));
}

/* The catalogue of AWS-managed documents: by name, by the ARN of an
 * AWS-managed document (no account), never a shared document's ARN. */
/* The run's file a name refers to: file names are compared letter by
 * letter (separators and case ignored), so one that differs early, a
 * prefix of the name, the name with more after it, or the file itself is
 * not it; and a match must be a document. */
static void test_locate_in_run(void **state)
{
    (void)state;
    static const char *const names[] = {
        "docs/Configure-Web-Server.yaml",   /* self */
        "docs/configure-web.yaml",          /* a prefix */
        "docs/configure-web-servers.yaml",  /* longer */
        "docs/xonfigure-web-server.yaml",   /* first letter */
        "docs/configure_web_server.json",   /* not a document */
        "other/-configure.web-server.YML",  /* it */
    };
    ssmc_sources sources = {0};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *text = i == 4 ? "{\"a\": 1}" : "schemaVersion: '2.2'\n";
        ssmc_sources_add(&sources, names[i], xstrdup(text), strlen(text));
    }
    uint32_t file;
    char *path;
    assert_true(association_locate_document(&sources, 0, "ConfigureWebServer", NULL, &file, &path));
    assert_int_equal(file, 5);
    assert_null(path);
    association_locate_document(&sources, 5, "ConfigureWebServerX", NULL, &file, &path);
    assert_int_equal(file, UINT32_MAX);
    free(path);
    assert_true(association_locate_document(&sources, 5, "configure web server", NULL, &file, &path));
    assert_int_equal(file, 0);
    ssmc_sources_free(&sources);
}

/* A catalogue document is loaded once and handed out shared: each holder
 * sees the same tree, and freeing one leaves it to the others. */
static void test_catalogue_doc_shared(void **state)
{
    (void)state;
    association_doc a, b;
    assert_true(association_load_document(NULL, UINT32_MAX, "AWS-RunShellScript", NULL, true, &a));
    assert_true(association_load_document(NULL, UINT32_MAX, "AWS-RunShellScript", NULL, true, &b));
    assert_ptr_equal(a.doc, b.doc);
    assert_ptr_equal(a.cat, catalogue_find("AWS-RunShellScript"));
    association_doc_free(&a);
    assert_non_null(ssmc_map_get(ssmc_map_get(b.doc->root, "parameters"), "commands"));
    association_doc_free(&b);
    assert_true(association_load_document(NULL, UINT32_MAX, "AWS-ConfigureAWSPackage", NULL, true, &a));
    assert_non_null(ssmc_map_get(ssmc_map_get(a.doc->root, "parameters"), "action"));
    association_doc_free(&a);
}

static void test_catalogue(void **state)
{
    (void)state;
    const catalogue_doc *d = catalogue_find("AWS-RunShellScript");
    assert_non_null(d);
    assert_string_equal(d->type, "Command");
    assert_string_equal(d->schema_version, "1.2");
    assert_int_equal(d->platforms, CATALOGUE_LINUX | CATALOGUE_MACOS);
    const catalogue_param *p = catalogue_param_find(d, "commands");
    assert_non_null(p);
    assert_string_equal(p->type, "StringList");
    assert_true(p->required);
    assert_string_equal(p->script, "shell");
    assert_int_equal(p->min_items, 1);
    p = catalogue_param_find(d, "executionTimeout");
    assert_non_null(p);
    assert_false(p->required);
    assert_string_equal(p->default_json, "\"3600\"");
    assert_null(p->script);
    assert_ptr_equal(catalogue_find("arn:aws:ssm:us-east-1::document/AWS-RunShellScript"), d);
    assert_null(catalogue_find("arn:aws:ssm:us-east-1:123456789012:document/AWS-RunShellScript"));
    assert_null(catalogue_find("aws-runshellscript"));
    assert_null(catalogue_find("ConfigureWebServer"));
    d = catalogue_find("AWS-ConfigureAWSPackage");
    assert_non_null(d);
    p = catalogue_param_find(d, "action");
    assert_non_null(p);
    assert_int_equal(p->allowed_count, 2);
    assert_string_equal(p->allowed[0], "Install");
    /* Entries are sorted (catalogue_find searches them). */
    for (size_t i = 1; i < catalogue_count(); i++)
        assert_true(strcmp(catalogue_at(i - 1)->name, catalogue_at(i)->name) < 0);
    /* A document rebuilt from the tables reads back as JSON. */
    char *json = catalogue_document_json(catalogue_find("AWS-ConfigureAWSPackage"));
    assert_non_null(strstr(json, "\"action\":{\"type\":\"String\",\"allowedValues\":[\"Install\",\"Uninstall\"]"));
    free(json);
}

typedef struct loaded {
    ssmc_sources sources;
    ssmc_diags diags;
    ssmc_document *assoc, *inv;
} loaded;

static void load(loaded *l, const char *assoc, const char *inv)
{
    memset(l, 0, sizeof *l);
    uint32_t a = ssmc_sources_add(&l->sources, "a.yaml", xstrdup(assoc), strlen(assoc));
    uint32_t i = ssmc_sources_add(&l->sources, "inv.yaml", xstrdup(inv), strlen(inv));
    l->assoc = ssmc_load(&l->sources, a, NULL, &l->diags);
    l->inv = ssmc_load(&l->sources, i, NULL, &l->diags);
    assert_non_null(l->assoc->root);
    assert_non_null(l->inv->root);
}

static void unload(loaded *l)
{
    ssmc_document_free(l->assoc);
    ssmc_document_free(l->inv);
    ssmc_diags_free(&l->diags);
    ssmc_sources_free(&l->sources);
}

static const char *const inventory_text =
    "- {id: i-0000000000000000a, platform: Linux, tags: {Role: web, Env: prod}, resourceGroups: [Web]}\n"
    "- {id: i-0000000000000000b, platform: Linux, tags: {Role: db, Env: prod}}\n"
    "- {id: mi-0000000000000000c, platform: Windows, tags: [{Key: Role, Value: web}, {Key: Patch, Value: x}]}\n";

/* The ids an association targets, joined with spaces. */
static char *match(const char *assoc)
{
    loaded l;
    load(&l, assoc, inventory_text);
    inventory inv;
    ssmc_diags d = {0};
    assert_true(inventory_read(&inv, l.inv->root, &d));
    assert_int_equal(d.count, 0);
    const char **ids;
    size_t n = inventory_match(&inv, l.assoc->root, &ids);
    buf b;
    buf_init(&b);
    buf_adds(&b, "");
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? " " : "", ids[i]);
    free(ids);
    inventory_free(&inv);
    ssmc_diags_free(&d);
    unload(&l);
    return buf_steal(&b);
}

static void expect_match(const char *assoc, const char *want)
{
    char *got = match(assoc);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got '%s', want '%s'", assoc, got, want);
    free(got);
}

static void test_target_matching(void **state)
{
    (void)state;
    expect_match("Targets: [{Key: tag:Role, Values: [web]}]", "i-0000000000000000a mi-0000000000000000c");
    expect_match("Targets: [{Key: tag:Role, Values: [web, db]}]",
                 "i-0000000000000000a i-0000000000000000b mi-0000000000000000c");
    /* Targets are ANDed. */
    expect_match("Targets: [{Key: tag:Role, Values: [web]}, {Key: tag:Env, Values: [prod]}]",
                 "i-0000000000000000a");
    expect_match("Targets: [{Key: tag-key, Values: [Patch]}]", "mi-0000000000000000c");
    expect_match("Targets: [{Key: InstanceIds, Values: ['*']}]",
                 "i-0000000000000000a i-0000000000000000b mi-0000000000000000c");
    expect_match("Targets: [{Key: instanceids, Values: [i-0000000000000000b]}]", "i-0000000000000000b");
    expect_match("Targets: [{Key: resource-groups:Name, Values: [Web]}]", "i-0000000000000000a");
    expect_match("Targets: [{Key: resource-groups:ResourceTypeFilters, Values: [AWS::SSM::ManagedInstance]}]",
                 "mi-0000000000000000c");
    expect_match("InstanceId: i-0000000000000000b", "i-0000000000000000b");
    /* Near misses: tag values are case-sensitive, unknown keys select nothing. */
    expect_match("Targets: [{Key: tag:Role, Values: [Web]}]", "");
    expect_match("Targets: [{Key: tags:Role, Values: [web]}]", "");
    expect_match("Targets: []", "");
}

static void test_inventory_errors(void **state)
{
    (void)state;
    loaded l;
    load(&l, "Name: x", "instances: [{platform: Linux}, {id: i-0000000000000000a, tags: 5}]\n");
    inventory inv;
    ssmc_diags d = {.sources = &l.sources};
    assert_true(inventory_read(&inv, l.inv->root, &d));
    assert_int_equal(inv.count, 1);
    assert_int_equal(d.count, 2);
    assert_string_equal(ssmc_rule_get(d.items[0].rule)->id, "SSM7040");
    /* At the first instance, "{platform: Linux}" (line 1, columns 13-30). */
    assert_int_equal(d.items[0].span.start.line, 1);
    assert_int_equal(d.items[0].span.start.col, 13);
    assert_int_equal(d.items[0].span.end.col, 30);
    inventory_free(&inv);
    ssmc_diags_free(&d);
    unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_matches_file),
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_locate_in_run),
        cmocka_unit_test(test_catalogue_doc_shared),
        cmocka_unit_test(test_target_matching),
        cmocka_unit_test(test_inventory_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
