# Corpus expectation test: per-file finding counts over the Command documents
# of the shared real-document corpus (see tests/corpus_findings.sh). Skipped
# when the corpus is absent. Re-bless with:
#   sh tests/corpus_findings.sh build/ssmc ../shared/corpus/real tests/corpus/command-findings.tsv --bless
add_test(NAME corpus.command-findings
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/corpus_findings.sh $<TARGET_FILE:ssmc>
                 ${SSMC_CORPUS_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/command-findings.tsv)
set_tests_properties(corpus.command-findings PROPERTIES LABELS "corpus" SKIP_RETURN_CODE 77)
