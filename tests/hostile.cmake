# The hostile-input suite (tests/hostile/hostile.c): each case generates its
# input in the build tree, runs ssmc on it and asserts the exit code, the
# finding and a peak-memory bound. One CTest test per case, label "hostile".
# The memory bound is skipped in sanitizer builds (shadow memory).
add_executable(hostile ${CMAKE_CURRENT_SOURCE_DIR}/hostile/hostile.c)
target_compile_options(hostile PRIVATE ${SSMC_WARNINGS})
set_target_properties(hostile PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
set(SSMC_HOSTILE_CASES alias-bomb merge-bomb deep-yaml-flow deep-yaml-flow-map deep-yaml-block
    deep-yaml-block-map deep-json big-scalar long-lines long-line-findings million-steps million-params
    invalid-utf8 boms nul-bytes symlink-loop unreadable shrinking-fifo shrinking-file
    check-output compile-output compile-out-dir plan-output dev-zero endless-stream
    many-big-inputs analysis-bound)
set(hostile_env "")
if(CMAKE_BUILD_TYPE MATCHES "^(Asan|Ubsan)$" OR SSMC_FUZZ)
  set(hostile_env "SSMC_HOSTILE_NO_RSS=1")
endif()
foreach(c ${SSMC_HOSTILE_CASES})
  add_test(NAME hostile.${c}
           COMMAND hostile $<TARGET_FILE:ssmc> ${CMAKE_BINARY_DIR}/hostile-work ${c})
  set_tests_properties(hostile.${c} PROPERTIES LABELS "hostile" TIMEOUT 900
                       ENVIRONMENT "${hostile_env}")
endforeach()

# The hostile repository (issue 18): a pull request's documents, file names
# and .ssmc.yaml, checked as CI checks them; asserts exit codes, findings,
# that no program from the repository ran and that no file changed.
add_test(NAME hostile.repository
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/hostile/repo_test.sh $<TARGET_FILE:ssmc>
                 ${CMAKE_BINARY_DIR}/hostile-repo)
set_tests_properties(hostile.repository PROPERTIES LABELS "hostile" TIMEOUT 300)
