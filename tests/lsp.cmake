# The language server: scripted LSP sessions (tests/lsp/*.lsp, driven by
# tests/lsp/lsp_client.py, every message compared exactly) and a real editor
# (Neovim's built-in client, tests/lsp/nvim_test.sh).
find_program(SSMC_PYTHON3 python3)
if(SSMC_PYTHON3)
  file(GLOB SSMC_LSP_TRANSCRIPTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/lsp/*.lsp)
  foreach(t ${SSMC_LSP_TRANSCRIPTS})
    get_filename_component(name ${t} NAME_WE)
    add_test(NAME lsp.${name}
             COMMAND ${SSMC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/lsp/lsp_client.py
                     $<TARGET_FILE:ssmc> ${t})
    set_tests_properties(lsp.${name} PROPERTIES LABELS "lsp")
  endforeach()
else()
  message(STATUS "python3 not found: the language server sessions are skipped")
endif()

add_test(NAME lsp.neovim
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/lsp/nvim_test.sh $<TARGET_FILE:ssmc>)
set_tests_properties(lsp.neovim PROPERTIES LABELS "lsp" SKIP_RETURN_CODE 77)
