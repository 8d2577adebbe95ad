# ShellCheck integration tests (lint/shellcheck.c).
#
# - golden.lint.*: the built-in rules; a stand-in ShellCheck that finds
#   nothing comes first on PATH, so these outputs do not depend on whether
#   or which ShellCheck is installed.
# - golden.shellcheck.*: real ShellCheck findings at exact positions; they
#   need ShellCheck (CI installs it) and are disabled when it is absent.
# - shellcheck.process-count: many documents, few ShellCheck processes.
find_program(SSMC_SHELLCHECK shellcheck)

file(GLOB SSMC_LINT_CASES LIST_DIRECTORIES true CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/golden/lint/*)
foreach(dir ${SSMC_LINT_CASES})
  if(IS_DIRECTORY ${dir})
    get_filename_component(case ${dir} NAME)
    set_tests_properties(golden.lint.${case} PROPERTIES
      ENVIRONMENT "PATH=${CMAKE_CURRENT_SOURCE_DIR}/shellcheck/fake:$ENV{PATH}")
  endif()
endforeach()

file(GLOB SSMC_SHELLCHECK_CASES LIST_DIRECTORIES true CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/golden/shellcheck/*)
foreach(dir ${SSMC_SHELLCHECK_CASES})
  if(IS_DIRECTORY ${dir})
    get_filename_component(case ${dir} NAME)
    if(NOT SSMC_SHELLCHECK)
      set_tests_properties(golden.shellcheck.${case} PROPERTIES DISABLED TRUE)
    endif()
  endif()
endforeach()

add_test(NAME shellcheck.process-count
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/shellcheck/count.sh $<TARGET_FILE:ssmc>)
set_tests_properties(shellcheck.process-count PROPERTIES LABELS "shellcheck")

add_test(NAME shellcheck.cache
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/shellcheck/cache.sh $<TARGET_FILE:ssmc>)
set_tests_properties(shellcheck.cache PROPERTIES LABELS "shellcheck")
