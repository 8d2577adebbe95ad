# Regression cases (tests/regress/<bug>/, see its README): each runs ssmc
# and compares the exact output and exit code (label "regress"). And every
# fuzz target's checks, compiled with a plain main (tests/fuzz/replay.c)
# instead of libFuzzer, replay the regression inputs and the golden seeds in
# every build of the suite, sanitizer builds included (label "fuzz-replay").
file(GLOB SSMC_REGRESS_CASES LIST_DIRECTORIES true CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/regress/*)
foreach(dir ${SSMC_REGRESS_CASES})
  if(IS_DIRECTORY ${dir})
    get_filename_component(name ${dir} NAME)
    add_test(NAME regress.${name}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/golden/run_case.sh $<TARGET_FILE:ssmc> ${dir})
    set_tests_properties(regress.${name} PROPERTIES LABELS "regress")
  endif()
endforeach()

if(NOT SSMC_FUZZ)
  foreach(t load check json schedule compile plan scriptmap lsp host)
    add_executable(fuzz_${t}_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${t}.c
                   ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay.c)
    target_include_directories(fuzz_${t}_replay PRIVATE ${CMAKE_SOURCE_DIR}/compiler
                               ${CMAKE_SOURCE_DIR}/lint ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
    target_compile_options(fuzz_${t}_replay PRIVATE ${SSMC_WARNINGS})
    target_compile_definitions(fuzz_${t}_replay PRIVATE _POSIX_C_SOURCE=200809L)
    target_link_libraries(fuzz_${t}_replay PRIVATE libssmc)
    set_target_properties(fuzz_${t}_replay PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    file(GLOB inputs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/regress/*/fuzz_${t})
    set(seeds ${CMAKE_BINARY_DIR}/fuzz-replay/${t})
    add_test(NAME fuzz-replay.${t}
             COMMAND sh -c "sh \"$1\" ${t} \"$2\" \"$3\" >/dev/null && r=\"$4\" s=\"$3\" && shift 4 && \"$r\" \"$s\" \"$@\""
                     replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/make_corpus.sh
                     ${CMAKE_CURRENT_SOURCE_DIR}/golden ${seeds} $<TARGET_FILE:fuzz_${t}_replay>
                     ${inputs})
    set_tests_properties(fuzz-replay.${t} PROPERTIES LABELS "fuzz-replay")
  endforeach()
endif()
# The language server is compiled into the command line, not the library:
# its replay driver takes its files (compiler/lsp/) in.
if(TARGET fuzz_lsp_replay)
  file(GLOB SSMC_LSP_REPLAY_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/compiler/lsp/*.c)
  target_sources(fuzz_lsp_replay PRIVATE ${SSMC_LSP_REPLAY_SOURCES})
  target_include_directories(fuzz_lsp_replay PRIVATE ${CMAKE_SOURCE_DIR}/compiler/lsp)
endif()
