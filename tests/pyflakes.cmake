# pyflakes integration tests (lint/pyflakes.c).
#
# - golden.pyflakes.*: real pyflakes findings at exact positions; they need
#   pyflakes (CI installs python3-pyflakes) and are disabled when it is
#   absent. Every other golden suite runs a stand-in that finds nothing.
# - pyflakes.process-count: many runbooks, few pyflakes processes.
# - pyflakes.cache: results kept in the checker cache, identical to fresh
#   ones; --no-cache bypasses it.
find_program(SSMC_PYFLAKES NAMES pyflakes3 pyflakes)

file(GLOB SSMC_PYFLAKES_CASES LIST_DIRECTORIES true CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/golden/pyflakes/*)
foreach(dir ${SSMC_PYFLAKES_CASES})
  if(IS_DIRECTORY ${dir})
    get_filename_component(case ${dir} NAME)
    if(NOT SSMC_PYFLAKES)
      set_tests_properties(golden.pyflakes.${case} PROPERTIES DISABLED TRUE)
    endif()
  endif()
endforeach()

add_test(NAME pyflakes.process-count
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pyflakes/count.sh $<TARGET_FILE:ssmc>)
set_tests_properties(pyflakes.process-count PROPERTIES LABELS "pyflakes")

# --pyflakes=auto without pyflakes on PATH: one info line (SSM8066), exit 0.
# (A golden case cannot empty PATH; golden.automation.pyflakes-missing-ok is
# its near miss.)
add_test(NAME pyflakes.missing
         COMMAND env PATH=/nonexistent NO_COLOR=1 $<TARGET_FILE:ssmc> check --show-info --shellcheck=off
                 ${CMAKE_CURRENT_SOURCE_DIR}/golden/automation/pyflakes-missing-ok/input.yaml)
set_tests_properties(pyflakes.missing PROPERTIES LABELS "pyflakes"
  PASS_REGULAR_EXPRESSION "input.yaml:9:15: info: pyflakes is not installed \\(neither pyflakes3 nor pyflakes on PATH\\)[^\n]*\\[SSM8066\\]")

add_test(NAME pyflakes.cache
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pyflakes/cache.sh $<TARGET_FILE:ssmc>)
set_tests_properties(pyflakes.cache PROPERTIES LABELS "pyflakes")
