# Corpus digest: the whole real corpus's findings (ShellCheck off) as one
# SHA-256 and counts per rule (tests/corpus_digest.sh). Re-bless with:
#   sh tests/corpus_digest.sh build/ssmc ../shared/corpus/real tests/corpus/findings.digest --bless
add_test(NAME corpus.digest
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/corpus_digest.sh $<TARGET_FILE:ssmc>
                 ${SSMC_CORPUS_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/findings.digest)
set_tests_properties(corpus.digest PROPERTIES LABELS "corpus" SKIP_RETURN_CODE 77)
