# libFuzzer targets (-DSSMC_FUZZ=ON, clang only). The library is compiled
# with coverage instrumentation by the top-level CMakeLists.txt; here each
# target fuzz_<name> (tests/fuzz/fuzz_<name>.c) and its seed corpus
# build/fuzz-corpus/<name>, made from the golden cases and, when present,
# the real-document corpus next to the repository (../shared/corpus/real).
# build/fuzz-corpus-ci/<name> is the smaller start of the bounded CI run
# (.ci/run): every golden seed and a sample of the real documents
# (SSMC_FUZZ_CI_EVERY). The README has the command for a long run.
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "SSMC_FUZZ needs clang (-DCMAKE_C_COMPILER=clang)")
endif()
set(SSMC_FUZZ_TARGETS load check json schedule compile plan scriptmap lsp host)
if(SSMC_CORPUS_DIR)
  set(default_seed_corpus ${SSMC_CORPUS_DIR})
else()
  set(default_seed_corpus ${CMAKE_SOURCE_DIR}/../shared/corpus/real)
endif()
set(SSMC_FUZZ_CI_EVERY 14 CACHE STRING
    "The CI seed corpus takes every Nth real document (and every golden one)")
set(SSMC_FUZZ_SEED_CORPUS ${default_seed_corpus} CACHE PATH
    "Real documents to seed the fuzzers with (skipped when absent)")
set(seed_corpus "")
if(IS_DIRECTORY ${SSMC_FUZZ_SEED_CORPUS})
  set(seed_corpus ${SSMC_FUZZ_SEED_CORPUS})
endif()
foreach(t ${SSMC_FUZZ_TARGETS})
  add_executable(fuzz_${t} ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_${t}.c)
  target_include_directories(fuzz_${t} PRIVATE ${CMAKE_SOURCE_DIR}/compiler ${CMAKE_SOURCE_DIR}/lint
                             ${CMAKE_SOURCE_DIR}/tests/fuzz)
  target_compile_options(fuzz_${t} PRIVATE ${SSMC_WARNINGS} -fsanitize=fuzzer,address,undefined)
  target_compile_definitions(fuzz_${t} PRIVATE _POSIX_C_SOURCE=200809L)
  target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(fuzz_${t} PRIVATE libssmc)
  set_target_properties(fuzz_${t} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  add_custom_target(fuzz-corpus-${t} ALL
    COMMAND sh ${CMAKE_SOURCE_DIR}/tests/fuzz/make_corpus.sh ${t} ${CMAKE_SOURCE_DIR}/tests/golden
            ${CMAKE_BINARY_DIR}/fuzz-corpus/${t} ${seed_corpus}
    COMMAND sh ${CMAKE_SOURCE_DIR}/tests/fuzz/make_corpus.sh ${t} ${CMAKE_SOURCE_DIR}/tests/golden
            ${CMAKE_BINARY_DIR}/fuzz-corpus-ci/${t} ${seed_corpus} ${SSMC_FUZZ_CI_EVERY}
    COMMENT "Seed corpora for fuzz_${t}")
endforeach()
# The language server is compiled into the command line, not the library:
# fuzz_lsp takes its files (compiler/lsp/) in (fuzz_lsp_replay likewise, in
# tests/regress.cmake).
file(GLOB SSMC_LSP_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/compiler/lsp/*.c)
target_sources(fuzz_lsp PRIVATE ${SSMC_LSP_FUZZ_SOURCES})
target_include_directories(fuzz_lsp PRIVATE ${CMAKE_SOURCE_DIR}/compiler/lsp)
