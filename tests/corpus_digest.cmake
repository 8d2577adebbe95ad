# Corpus digest: the whole real corpus's findings (ShellCheck off) as one
# SHA-256 and counts per rule (tests/corpus_digest.sh). Re-bless with:
#   sh tests/corpus_digest.sh build/ssmc ../shared/corpus/real tests/corpus/findings.digest --bless
add_test(NAME corpus.digest
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/corpus_digest.sh $<TARGET_FILE:ssmc>
                 ${SSMC_CORPUS_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/findings.digest)
set_tests_properties(corpus.digest PROPERTIES LABELS "corpus" SKIP_RETURN_CODE 77)

# The catalogue of AWS-managed documents regenerates from the corpus byte
# for byte (tests/catalogue_regen.sh).
add_test(NAME corpus.catalogue_regen
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/catalogue_regen.sh ${CMAKE_SOURCE_DIR} ${SSMC_CORPUS_DIR})
set_tests_properties(corpus.catalogue_regen PROPERTIES LABELS "corpus" SKIP_RETURN_CODE 77)
