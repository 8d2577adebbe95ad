# The pre-commit hooks (.pre-commit-hooks.yaml) against a scratch repository
# with the real pre-commit; skipped (exit 77) when pre-commit is absent.
add_test(NAME precommit.hooks
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/precommit_test.sh $<TARGET_FILE:ssmc> ${CMAKE_SOURCE_DIR})
set_tests_properties(precommit.hooks PROPERTIES LABELS "precommit" SKIP_RETURN_CODE 77
                     TIMEOUT 300)
