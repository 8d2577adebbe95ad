# `ssmc run` with real processes where a golden case is not enough: an
# environment (SSMC_RUN_TIMEOUT_SCALE shortens the agent's 5 s minimum
# timeout), Ctrl-C, and a reboot followed by --resume. The golden cases are
# in tests/golden/run/, the status model and limits in tests/unit/test_run.c.
add_test(NAME run.processes
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run/run_tests.sh $<TARGET_FILE:ssmc>
                 ${CMAKE_CURRENT_SOURCE_DIR}/run)
set_tests_properties(run.processes PROPERTIES LABELS "run" TIMEOUT 120)
