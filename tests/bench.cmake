# The benchmark's helper programs (not tests): see tests/bench/bench.sh.
add_executable(gen_docs ${CMAKE_CURRENT_SOURCE_DIR}/bench/gen_docs.c)
add_executable(yaml_floor ${CMAKE_CURRENT_SOURCE_DIR}/bench/yaml_floor.c)
target_link_libraries(yaml_floor PRIVATE PkgConfig::YAML)
add_executable(json_floor ${CMAKE_CURRENT_SOURCE_DIR}/bench/json_floor.c)
target_link_libraries(json_floor PRIVATE PkgConfig::JANSSON)
add_executable(runstat ${CMAKE_CURRENT_SOURCE_DIR}/bench/runstat.c)
foreach(t gen_docs yaml_floor json_floor runstat)
  target_compile_options(${t} PRIVATE ${SSMC_WARNINGS})
  set_target_properties(${t} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
endforeach()

# -j N prints exactly what -j1 prints (cmd_check.c's determinism promise).
add_test(NAME cli.jobs-same-output
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/bench/jobs_same.sh $<TARGET_FILE:ssmc>
                 ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/jobs-same)

# Findings replayed for a script seen before in the run print exactly what
# linting it afresh prints (lint/memo.c).
add_test(NAME lint.memo-same-output
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/bench/lint_memo_same.sh $<TARGET_FILE:ssmc>
                 ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/lint-memo-same)
set_tests_properties(lint.memo-same-output PROPERTIES LABELS "lint")
