# Golden suite hygiene (tests/golden_hygiene.sh): every -ok near-miss case
# stays clean (no error or warning, exit 0), and every case named after a
# rule shows that rule's id.
add_test(NAME golden_hygiene.near_miss_clean
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/golden_hygiene.sh near-miss
                 $<TARGET_FILE:ssmc> ${CMAKE_CURRENT_SOURCE_DIR}/golden)
add_test(NAME golden_hygiene.trigger_shows_rule
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/golden_hygiene.sh trigger
                 $<TARGET_FILE:ssmc> ${CMAKE_CURRENT_SOURCE_DIR}/golden)
set_tests_properties(golden_hygiene.near_miss_clean golden_hygiene.trigger_shows_rule
                     PROPERTIES LABELS "golden")
