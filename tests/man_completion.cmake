# The man page (rendered by groff with every warning on; skipped without
# groff), the bash completion (driven through COMP_WORDS/COMP_CWORD), and
# what `cmake --install` puts where.
add_test(NAME man.page
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/man_test.sh $<TARGET_FILE:ssmc>
                 ${CMAKE_SOURCE_DIR}/compiler/cli/ssmc.1)
set_tests_properties(man.page PROPERTIES LABELS "help" SKIP_RETURN_CODE 77)

find_program(SSMC_BASH bash)
if(SSMC_BASH)
  add_test(NAME completion.bash
           COMMAND ${SSMC_BASH} --norc --noprofile ${CMAKE_CURRENT_SOURCE_DIR}/completion_test.sh
                   $<TARGET_FILE:ssmc> ${CMAKE_SOURCE_DIR}/compiler/cli/ssmc.bash-completion)
  set_tests_properties(completion.bash PROPERTIES LABELS "help")
endif()

# Install into a scratch prefix and look for every promised file.
set(expect_installed
    bin/ssmc
    include/ssmc.h
    ${CMAKE_INSTALL_MANDIR}/man1/ssmc.1
    ${CMAKE_INSTALL_DATADIR}/bash-completion/completions/ssmc
    ${CMAKE_INSTALL_DOCDIR}/reference/install-web-server-antivirus.md
    ${CMAKE_INSTALL_DATADIR}/ssmc/documents/install-web-server-antivirus.json)
string(REPLACE ";" " " expect_installed "${expect_installed}")
add_test(NAME install.files
         COMMAND sh -c "set -e; p=$(mktemp -d); trap 'rm -rf \"$p\"' EXIT; '${CMAKE_COMMAND}' --install '${CMAKE_BINARY_DIR}' --prefix \"$p\" >/dev/null; for f in ${expect_installed}; do test -f \"$p/$f\" || { echo \"not installed: $f\"; exit 1; }; done; n=$(ls \"$p/${CMAKE_INSTALL_DOCDIR}/reference\" | wc -l); test \"$n\" -ge 12")
set_tests_properties(install.files PROPERTIES LABELS "help")

# The README's Usage block and option descriptions against every --help.
add_test(NAME help.readme-usage
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/readme_usage.sh $<TARGET_FILE:ssmc>
                 ${CMAKE_SOURCE_DIR}/README.md)
set_tests_properties(help.readme-usage PROPERTIES LABELS "help")
