# Compile output stability: byte-identical second compile, recompiling the
# output, and --format yaml compiling back to the same JSON, over every
# stdlib-docs document and golden compile input (tests/compile_stable.sh).
add_test(NAME compile.stable
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/compile_stable.sh $<TARGET_FILE:ssmc> ${CMAKE_SOURCE_DIR})
