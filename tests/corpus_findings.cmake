# Corpus expectation test: per-file finding counts over the Command documents
# of the shared real-document corpus (see tests/corpus_findings.sh). Skipped
# when the corpus is absent. Re-bless with:
#   sh tests/corpus_findings.sh build/ssmc ../shared/corpus/real tests/corpus/command-findings.tsv --bless
add_test(NAME corpus.command-findings
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/corpus_findings.sh $<TARGET_FILE:ssmc>
                 ${SSMC_CORPUS_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/command-findings.tsv)
set_tests_properties(corpus.command-findings PROPERTIES LABELS "corpus" SKIP_RETURN_CODE 77)

# The same over the Automation runbooks (tests/corpus/automation-findings.tsv):
#   sh tests/corpus_findings.sh build/ssmc /work/shared/corpus/real tests/corpus/automation-findings.tsv --bless --kind automation
add_test(NAME corpus.automation-findings
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/corpus_findings.sh $<TARGET_FILE:ssmc>
                 ${SSMC_CORPUS_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/automation-findings.tsv
                 --kind automation)
set_tests_properties(corpus.automation-findings PROPERTIES LABELS "corpus" SKIP_RETURN_CODE 77)
