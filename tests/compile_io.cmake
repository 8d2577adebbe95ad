# ssmc compile's file handling (tests/compile_io.sh).
add_test(NAME compile.io COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/compile_io.sh $<TARGET_FILE:ssmc>)
set_tests_properties(compile.io PROPERTIES LABELS "golden")
