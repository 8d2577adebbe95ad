# Corpus sweep: loads every real SSM document under SSMC_CORPUS_DIR, asserts
# no crash, no syntax finding on files libyaml or jansson accept, and a sound
# tree (tree_check). Skipped (exit 77) when the corpus is absent.
add_executable(corpus_load ${CMAKE_CURRENT_SOURCE_DIR}/corpus_load.c)
target_include_directories(corpus_load PRIVATE ${CMAKE_SOURCE_DIR}/compiler)
target_compile_options(corpus_load PRIVATE ${SSMC_WARNINGS})
target_compile_definitions(corpus_load PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(corpus_load PRIVATE libssmc)
add_test(NAME corpus.load COMMAND corpus_load ${SSMC_CORPUS_DIR})
set_tests_properties(corpus.load PROPERTIES LABELS "corpus" SKIP_RETURN_CODE 77)
