# `ssmc doc` behaviour that golden cases (stdout only) cannot show: findings
# of a refused document go to stderr, and -o writes the same bytes as
# stdout, replacing an existing file.
set(doc_cases ${CMAKE_CURRENT_SOURCE_DIR}/golden/doc)
add_test(NAME doc_cli.errors_on_stderr
         COMMAND sh -c "cd '${doc_cases}/errors' && out=$('$<TARGET_FILE:ssmc>' doc --shellcheck=off input.yaml 2>&1 >/dev/null); rc=$?; printf '%s\\n' \"$out\"; [ $rc -eq 1 ] && printf '%s' \"$out\" | grep -q '^input.yaml:8:17: error: .*\\[SSM3030\\]'")
add_test(NAME doc_cli.output_file
         COMMAND sh -c "set -e; tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"' EXIT; cd '${doc_cases}/full'; echo stale > \"$tmp/page.md\"; '$<TARGET_FILE:ssmc>' doc --shellcheck=off web-server.yaml -o \"$tmp/page.md\"; '$<TARGET_FILE:ssmc>' doc --shellcheck=off web-server.yaml > \"$tmp/stdout.md\"; cmp \"$tmp/page.md\" \"$tmp/stdout.md\"; [ $(ls \"$tmp\" | wc -l) -eq 2 ]")
add_test(NAME doc_cli.directory_is_usage_error
         COMMAND sh -c "'$<TARGET_FILE:ssmc>' doc '${doc_cases}' 2>/dev/null; [ $? -eq 2 ]")
set_tests_properties(doc_cli.errors_on_stderr doc_cli.output_file doc_cli.directory_is_usage_error
                     PROPERTIES LABELS "doc")
