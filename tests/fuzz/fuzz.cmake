# libFuzzer targets (-DSSMC_FUZZ=ON, clang only). The library is compiled
# with coverage instrumentation by the top-level CMakeLists.txt; here the
# target and its seed corpus (build/fuzz-corpus, from the golden cases).
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "SSMC_FUZZ needs clang (-DCMAKE_C_COMPILER=clang)")
endif()
add_executable(fuzz_load ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_load.c)
target_compile_options(fuzz_load PRIVATE ${SSMC_WARNINGS} -fsanitize=fuzzer,address,undefined)
target_link_options(fuzz_load PRIVATE -fsanitize=fuzzer,address,undefined)
target_link_libraries(fuzz_load PRIVATE libssmc)
set_target_properties(fuzz_load PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
add_custom_target(fuzz-corpus ALL
  COMMAND sh ${CMAKE_SOURCE_DIR}/tests/fuzz/make_corpus.sh ${CMAKE_SOURCE_DIR}/tests/golden
          ${CMAKE_BINARY_DIR}/fuzz-corpus
  COMMENT "Seed corpus for fuzz_load from the golden cases")
