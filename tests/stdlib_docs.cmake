# The standard library of documents (stdlib-docs/): clean under --strict
# with ShellCheck when it is installed, and its committed reference pages
# match what `ssmc doc` renders now.

# Every document, the seed example configure-web-server.yaml included (its
# sudo lines went with `ssmc check --fix`).
set(strict_inputs)
foreach(src ${SSMC_STDLIB_YAML})
  get_filename_component(base ${src} NAME)
  list(APPEND strict_inputs ${base})
endforeach()
add_test(NAME stdlib_docs.strict
         COMMAND $<TARGET_FILE:ssmc> check --strict --shellcheck=auto --no-snippet ${strict_inputs}
         WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/stdlib-docs)
set_tests_properties(stdlib_docs.strict PROPERTIES LABELS "stdlib")

# At least the twelve jobs of issue 8 are in the library.
list(LENGTH SSMC_STDLIB_YAML stdlib_count)
add_test(NAME stdlib_docs.count
         COMMAND sh -c "test ${stdlib_count} -ge 12 || { echo 'stdlib-docs has ${stdlib_count} documents, expected at least 12'; exit 1; }")
set_tests_properties(stdlib_docs.count PROPERTIES LABELS "stdlib")

# The pages built into build/stdlib-docs/reference/ (by the default build)
# are byte-identical to the committed ones, one page per document and no
# stale page. Regenerate with:
#   cp build/stdlib-docs/reference/*.md stdlib-docs/reference/
add_test(NAME stdlib_docs.reference_pages
         COMMAND diff -r -u ${CMAKE_SOURCE_DIR}/stdlib-docs/reference
                 ${CMAKE_BINARY_DIR}/stdlib-docs/reference)
set_tests_properties(stdlib_docs.reference_pages PROPERTIES LABELS "stdlib")

# The compiled library documents are themselves clean documents.
set(json_inputs)
foreach(src ${SSMC_STDLIB_YAML})
  get_filename_component(name ${src} NAME_WE)
  list(APPEND json_inputs ${CMAKE_BINARY_DIR}/stdlib-docs/json/${name}.json)
endforeach()
add_test(NAME stdlib_docs.json_check
         COMMAND $<TARGET_FILE:ssmc> check --shellcheck=off --no-snippet ${json_inputs})
set_tests_properties(stdlib_docs.json_check PROPERTIES LABELS "stdlib")
