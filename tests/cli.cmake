# The command line beyond the golden cases (tests/golden/cli/): output
# streams, terminal behaviour, and SARIF validated against the official
# schema (vendored as tests/cli/sarif-schema-2.1.0.json).
add_test(NAME cli.streams
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/streams.sh $<TARGET_FILE:ssmc>
                 ${CMAKE_CURRENT_SOURCE_DIR}/golden/cli)
set_tests_properties(cli.streams PROPERTIES LABELS "cli")

find_program(SSMC_PYTHON3 python3)
if(SSMC_PYTHON3)
  # Vendored (OASIS SARIF 2.1.0 schema, oasis-tcs/sarif-spec e0583813,
  # sarif-2.1/schema/sarif-schema-2.1.0.json) so the test never needs ../shared.
  set(SSMC_SARIF_SCHEMA ${CMAKE_CURRENT_SOURCE_DIR}/cli/sarif-schema-2.1.0.json)
  add_test(NAME cli.sarif-schema
           COMMAND ${SSMC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/validate_sarif.py
                   $<TARGET_FILE:ssmc> ${SSMC_SARIF_SCHEMA}
                   ${CMAKE_CURRENT_SOURCE_DIR}/golden/cli/text-output
                   ${CMAKE_CURRENT_SOURCE_DIR}/golden/cli/snippet
                   ${CMAKE_CURRENT_SOURCE_DIR}/golden/cli/github-format
                   ${CMAKE_CURRENT_SOURCE_DIR}/golden/cli/missing-file
                   ${CMAKE_CURRENT_SOURCE_DIR}/golden/cli/warning-passes
                   ${CMAKE_CURRENT_SOURCE_DIR}/golden/syntax/yaml-duplicate-key)
  set_tests_properties(cli.sarif-schema PROPERTIES LABELS "cli" SKIP_RETURN_CODE 77)
else()
  message(STATUS "python3 not found: the SARIF schema test is skipped")
endif()

if(SSMC_PYTHON3)
  add_test(NAME cli.problem-matcher
           COMMAND ${SSMC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/problem_matcher.py
                   ${CMAKE_SOURCE_DIR}/.github/ssmc-problem-matcher.json $<TARGET_FILE:ssmc>
                   ${CMAKE_CURRENT_SOURCE_DIR}/golden/cli/text-output)
  set_tests_properties(cli.problem-matcher PROPERTIES LABELS "cli")
endif()
