# ssmc check --fix and --format diff, one case per fixable rule
# (tests/fix/RULE-what/), plus the five-findings end-to-end case.
file(GLOB SSMC_FIX_CASES LIST_DIRECTORIES true CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fix/*)
foreach(case ${SSMC_FIX_CASES})
  if(IS_DIRECTORY ${case})
    get_filename_component(name ${case} NAME)
    add_test(NAME fix.${name}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fix_case.sh $<TARGET_FILE:ssmc> ${case})
    set_tests_properties(fix.${name} PROPERTIES LABELS "golden")
  endif()
endforeach()
add_test(NAME fix.cli COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fix_cli.sh $<TARGET_FILE:ssmc>)
set_tests_properties(fix.cli PROPERTIES LABELS "golden")
