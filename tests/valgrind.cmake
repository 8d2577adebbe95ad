# valgrind memcheck over the golden suite: every golden case again, with
# ssmc run under memcheck (tests/valgrind/ssmc-valgrind.sh.in). A memory
# error or a definite/indirect leak changes the exit status to 99 and puts
# valgrind's report in the output, so the case fails and shows why.
# The tests belong to the CTest configuration "valgrind" only, so that the
# README's plain `ctest` does not take minutes longer; .ci/run runs them:
#   ctest --test-dir build -C valgrind -L valgrind -j2
# Only when valgrind is found, and not in sanitizer or fuzzing builds.
find_program(SSMC_VALGRIND valgrind)
if(SSMC_VALGRIND AND NOT CMAKE_BUILD_TYPE MATCHES "^(Asan|Ubsan)$" AND NOT SSMC_FUZZ)
  set(SSMC_BINARY $<TARGET_FILE:ssmc>)
  file(READ ${CMAKE_CURRENT_SOURCE_DIR}/valgrind/ssmc-valgrind.sh.in vg_script)
  string(REPLACE "@SSMC_VALGRIND@" "${SSMC_VALGRIND}" vg_script "${vg_script}")
  string(REPLACE "@SSMC_BINARY@" "$<TARGET_FILE:ssmc>" vg_script "${vg_script}")
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/tests/ssmc-valgrind CONTENT "${vg_script}"
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                        WORLD_READ WORLD_EXECUTE)
  file(GLOB vg_cases LIST_DIRECTORIES true CONFIGURE_DEPENDS
       ${CMAKE_CURRENT_SOURCE_DIR}/golden/*/*)
  foreach(dir ${vg_cases})
    if(IS_DIRECTORY ${dir})
      file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR}/golden ${dir})
      string(REPLACE "/" "." name ${rel})
      add_test(NAME valgrind.${name} CONFIGURATIONS valgrind
               COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/golden/run_case.sh
                       ${CMAKE_BINARY_DIR}/tests/ssmc-valgrind ${dir})
      set_tests_properties(valgrind.${name} PROPERTIES LABELS "valgrind" TIMEOUT 300)
    endif()
  endforeach()
else()
  message(STATUS "valgrind not found (or a sanitizer build): no valgrind tests")
endif()
