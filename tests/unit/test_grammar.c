/* test_grammar.c — the generated grammar tables and their look-ups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "grammar.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static void test_kinds(void **state)
{
    (void)state;
    const grammar_kind *cmd = grammar_kind_find("Command");
    assert_non_null(cmd);
    assert_true(cmd->deep);
    assert_true(grammar_kind_has_version(cmd, "2.2"));
    assert_true(grammar_kind_has_version(cmd, "1.2"));
    assert_false(grammar_kind_has_version(cmd, "0.3"));
    assert_false(grammar_kind_has_version(cmd, "2.0.1"));
    assert_ptr_equal(grammar_kind_find("command"), cmd);
    const grammar_key *rc = grammar_kind_key(cmd, "runtimeConfig");
    assert_non_null(rc);
    assert_true(rc->required);
    assert_true(grammar_key_in_version(rc, "1.2"));
    assert_false(grammar_key_in_version(rc, "2.2"));
    assert_true(grammar_key_in_version(grammar_kind_key(cmd, "description"), "2.2"));
    assert_null(grammar_kind_key(cmd, "assumeRole"));
    char owners[128];
    assert_int_equal(grammar_key_owners("assumeRole", cmd, owners, sizeof owners), 2);
    assert_string_equal(owners, "Automation, Automation.ChangeTemplate");
    assert_int_equal(grammar_key_owners("nope", cmd, owners, sizeof owners), 0);
    assert_string_equal(owners, "");
    const grammar_kind *automation = grammar_kind_find("Automation");
    assert_non_null(automation);
    assert_true(grammar_kind_has_version(automation, "0.3"));
    assert_true(automation->deep);
}

static void test_actions(void **state)
{
    (void)state;
    const grammar_action *a = grammar_action_find("aws:executeScript");
    assert_non_null(a);
    bool exact = false;
    const grammar_input *in = grammar_action_input(a, "runtime", &exact);
    assert_non_null(in);
    assert_false(exact);
    assert_string_equal(in->name, "Runtime");
    assert_true(in->required);
    assert_non_null(grammar_action_output(a, "Payload"));
    assert_null(grammar_action_output(a, "Output"));
    /* Every action the spec lists (23 documented, 2 AWS-internal). */
    assert_int_equal(grammar_action_count, 25);
    assert_true(grammar_is_automation_action("aws:waitForAwsResourceProperty"));
    assert_false(grammar_is_automation_action("aws:waitForAwsResourceProperties"));
    const grammar_action *lambda = grammar_action_find("aws:invokeLambdaFunction");
    assert_true(lambda->reserved_is_error);
    const grammar_action *loop = grammar_action_find("aws:loop");
    assert_int_equal(loop->group_count, 1);
    assert_int_equal(loop->groups[0].min, 1);
    assert_int_equal(loop->groups[0].max, 1);
    assert_true(grammar_action_find("aws:runCommand")->strict_inputs);
    assert_true(grammar_action_find("aws:shareSQLMedia")->internal);
    assert_int_equal(grammar_branch_operator_find("NumericEquals")->operand, GRAMMAR_T_INTEGER);
    assert_null(grammar_branch_operator_find("Equals"));
    assert_int_equal(grammar_script_runtime_find("python3.8")->status, GRAMMAR_RUNTIME_RETIRED);
    assert_non_null(grammar_automation_step_field_find("onCancel"));
    assert_null(grammar_automation_step_field_find("precondition"));
}

static void test_parameters(void **state)
{
    (void)state;
    const grammar_param_type *t = grammar_param_type_find("StringList");
    assert_non_null(t);
    assert_int_equal(t->value, GRAMMAR_T_STRING_LIST);
    assert_int_equal(t->command_fit, GRAMMAR_FIT_YES);
    assert_int_equal(grammar_param_type_find("Boolean")->command_fit, GRAMMAR_FIT_WARNING);
    assert_int_equal(grammar_param_type_find("AWS::EC2::Instance::Id")->command_fit, GRAMMAR_FIT_ERROR);
    assert_null(grammar_param_type_find("string"));
    const grammar_param_prop *p = grammar_param_prop_find("interpolationType");
    assert_non_null(p);
    assert_int_equal(p->value_count, 1);
    assert_string_equal(p->values[0], "ENV_VAR");
    const char *note;
    assert_int_equal(grammar_param_prop_fit(p, "String", &note), GRAMMAR_FIT_YES);
    assert_int_equal(grammar_param_prop_fit(p, "Integer", &note), GRAMMAR_FIT_WARNING);
    assert_non_null(note);
    assert_int_equal(grammar_param_prop_fit(grammar_param_prop_find("minItems"), "StringList", NULL),
                     GRAMMAR_FIT_YES);
    assert_int_equal(grammar_param_prop_fit(grammar_param_prop_find("minItems"), "String", NULL),
                     GRAMMAR_FIT_IGNORED);
    assert_null(grammar_param_prop_find("minValue"));
    assert_true(grammar_param_prop_find("type")->required);
}

static void test_plugins(void **state)
{
    (void)state;
    /* Every plugin of the agent's list (runpluginutil.allPlugins) is there. */
    static const char *const all[] = {
        "aws:updateSsmAgent", "aws:applications", "aws:configureDaemon", "aws:configurePackage",
        "aws:psModule", "aws:runPowerShellScript", "aws:runShellScript", "aws:softwareInventory",
        "aws:cloudWatch", "aws:configureDocker", "aws:runDockerAction", "aws:domainJoin",
        "aws:updateAgent", "aws:refreshAssociation", "aws:downloadContent", "aws:runDocument"};
    assert_int_equal(grammar_plugin_count, sizeof all / sizeof all[0]);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_non_null(grammar_plugin_find(all[i]));
    for (size_t i = 1; i < grammar_plugin_count; i++) /* sorted, names table parallel */
        assert_true(strcmp(grammar_plugins[i - 1].name, grammar_plugins[i].name) < 0);
    for (size_t i = 0; i < grammar_plugin_count; i++)
        assert_string_equal(grammar_plugin_names[i], grammar_plugins[i].name);

    const grammar_plugin *sh = grammar_plugin_find("aws:runShellScript");
    assert_int_equal(sh->platforms, GRAMMAR_OS_LINUX | GRAMMAR_OS_MACOS);
    bool exact;
    const grammar_input *rc = grammar_plugin_input(sh, "runCommand", &exact);
    assert_non_null(rc);
    assert_true(exact);
    assert_true(rc->required);
    assert_int_equal(rc->type, GRAMMAR_T_STRING_LIST);
    assert_ptr_equal(grammar_plugin_input(sh, "RunCommand", &exact), rc);
    assert_false(exact);
    const grammar_input *ts = grammar_plugin_input(sh, "timeoutSeconds", &exact);
    assert_true(ts->has_range);
    assert_int_equal(ts->range_min, 5);
    assert_int_equal(ts->range_max, 172800);
    assert_null(grammar_plugin_input(sh, "command", &exact));
    assert_null(grammar_plugin_find("aws:runshellscript"));

    const grammar_plugin *dc = grammar_plugin_find("aws:downloadContent");
    assert_string_equal(dc->min_schema, "2.0");
    const grammar_input *si = grammar_plugin_input(dc, "sourceInfo", &exact);
    assert_string_equal(si->variant_by, "sourceType");
    const grammar_variant *gh = grammar_input_variant(si, "GitHub");
    assert_non_null(gh);
    assert_true(grammar_input_find(gh->keys, gh->key_count, "owner", &exact)->required);
    assert_null(grammar_input_variant(si, "github"));

    const grammar_plugin *docker = grammar_plugin_find("aws:runDockerAction");
    assert_int_equal(docker->requirement_count, 4);
    assert_true(docker->requirements[3].any_of);
    assert_string_equal(grammar_plugin_input(docker, "memory", &exact)->pattern, "^[0-9]*[bkmg]?$");
    assert_string_equal(grammar_plugin_input(grammar_plugin_find("aws:configurePackage"),
                                             "additionalArguments", &exact)->key_prefix, "SSM_");
    assert_int_equal(grammar_plugin_find("aws:psModule")->platforms, GRAMMAR_OS_WINDOWS);
    assert_int_equal(grammar_plugin_find("aws:configureDaemon")->platforms, 0);
    assert_true(grammar_plugin_find("aws:softwareInventory")->association_only);
}

static void test_steps(void **state)
{
    (void)state;
    bool exact;
    const grammar_input *of = grammar_shared_input("onFailure", &exact);
    assert_non_null(of);
    assert_int_equal(of->value_count, 2);
    assert_non_null(grammar_shared_input("finallyStep", &exact));
    assert_true(grammar_step_field_find("action")->required);
    assert_string_equal(grammar_step_field_find("precondition")->min_schema, "2.2");
    assert_int_equal(grammar_step_field_find("maxAttempts")->use, GRAMMAR_FIELD_IGNORED);
    assert_int_equal(grammar_step_field_find("description")->use, GRAMMAR_FIELD_COMMAND);
    assert_null(grammar_step_field_find("Action"));
    assert_true(grammar_runtime_field_find("properties")->required);
    assert_true(grammar_is_automation_action("aws:executeAwsApi"));
    assert_true(grammar_is_automation_action("aws:createImage"));
    assert_false(grammar_is_automation_action("aws:runShellScript"));
    assert_int_equal(grammar_precondition_operator_count, 1);
    assert_int_equal(grammar_platform_bit("Windows"), GRAMMAR_OS_WINDOWS);
    assert_int_equal(grammar_platform_bit("MacOS"), GRAMMAR_OS_MACOS);
    assert_int_equal(grammar_platform_bit("Linux "), 0);
    assert_string_equal(grammar_vtype_name(GRAMMAR_T_STRING_LIST), "StringList");
}

static void check_patterns(const grammar_input *inputs, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const grammar_input *in = &inputs[i];
        if (in->pattern) {
            int err;
            PCRE2_SIZE off;
            pcre2_code *re = pcre2_compile((PCRE2_SPTR)in->pattern, PCRE2_ZERO_TERMINATED,
                                           PCRE2_UTF, &err, &off, NULL);
            if (!re)
                fail_msg("pattern of %s does not compile: %s", in->name, in->pattern);
            pcre2_code_free(re);
        }
        /* Every required input is documented (agent-only ones are optional). */
        if (in->required)
            assert_false(in->agent_only);
        for (size_t v = 0; v < in->variant_count; v++)
            check_patterns(in->variants[v].keys, in->variants[v].key_count);
    }
}

/* Every pattern of the data compiles, and every plugin is well-formed. */
static void test_plugin_data(void **state)
{
    (void)state;
    for (size_t i = 0; i < grammar_plugin_count; i++) {
        const grammar_plugin *p = &grammar_plugins[i];
        assert_true(strncmp(p->name, "aws:", 4) == 0);
        assert_non_null(p->source);
        assert_false(grammar_is_automation_action(p->name));
        check_patterns(p->inputs, p->input_count);
        for (size_t r = 0; r < p->requirement_count; r++) {
            bool exact;
            assert_non_null(grammar_plugin_input(p, p->requirements[r].when, &exact));
            for (size_t k = 0; k < p->requirements[r].input_count; k++)
                assert_non_null(grammar_plugin_input(p, p->requirements[r].inputs[k], &exact));
        }
    }
    check_patterns(grammar_shared_inputs, grammar_shared_input_count);
}

static void test_version_compare(void **state)
{
    (void)state;
    assert_true(grammar_version_compare("2.0", "2.2") < 0);
    assert_true(grammar_version_compare("2.2", "2.2") == 0);
    assert_true(grammar_version_compare("2.2", "2.0.3") > 0);
    assert_true(grammar_version_compare("2", "2.2") < 0);
    assert_true(grammar_version_compare("10.0", "9.9") > 0);
    assert_true(grammar_version_compare("1.2", "2.0") < 0);
    assert_true(grammar_version_compare("3.0.502.0", "3.0.196.0") > 0);
}

/* auto_api.c bisects the boto3 operations, both for a service's range and
 * for an operation within it: the table must be in byte order. */
static void test_boto3_operations_sorted(void **state)
{
    (void)state;
    assert_true(grammar_boto3_operation_count > 1000);
    for (size_t i = 1; i < grammar_boto3_operation_count; i++)
        assert_true(strcmp(grammar_boto3_operations[i - 1], grammar_boto3_operations[i]) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),         cmocka_unit_test(test_parameters),
        cmocka_unit_test(test_actions),
        cmocka_unit_test(test_boto3_operations_sorted),
        cmocka_unit_test(test_plugins),       cmocka_unit_test(test_steps),
        cmocka_unit_test(test_version_compare), cmocka_unit_test(test_plugin_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
