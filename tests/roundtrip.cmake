# Corpus round trip: compile, compile again, same bytes; plans on every
# platform without a crash (tests/roundtrip.sh). Skipped without the corpus.
add_test(NAME roundtrip.corpus
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/roundtrip.sh $<TARGET_FILE:ssmc> ${SSMC_CORPUS_DIR})
set_tests_properties(roundtrip.corpus PROPERTIES LABELS "corpus" SKIP_RETURN_CODE 77)
