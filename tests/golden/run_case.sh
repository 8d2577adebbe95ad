#!/bin/sh
# Runs one golden case and compares (or, with --bless, rewrites) its
# expectation.
#
# A case is a directory tests/golden/<suite>/<case>/ holding:
#   input.yaml | input.json | ...  the document(s) under test
#   args      (optional) the ssmc arguments, one per line; default:
#             "check" followed by every input.* file of the case
#   stdin     (optional) fed to ssmc's standard input
#   default-infos (optional, empty) run without the --show-info the
#             harness otherwise adds to check, compile, plan, run, schedule
#   expected  ssmc's standard output, then a last line "[exit N]"
#   expected-stderr (optional) ssmc's standard error (the summary line, the
#             --verbose list); when absent, standard error is not compared
# ssmc runs inside the case directory with NO_COLOR set, so file names in
# the output are relative and no colour codes appear. Outside the
# `shellcheck` suite a stand-in ShellCheck that finds nothing comes first on
# PATH, so expectations never depend on whether (or which) ShellCheck is
# installed; the `shellcheck` suite runs the real one.
#
# usage: run_case.sh SSMC CASE_DIR [--bless]
set -u
ssmc=$1
dir=$2
bless=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
cd "$dir" || exit 2
suite=$(basename "$(dirname "$(pwd)")")
if [ "$suite" != shellcheck ]; then
    PATH=$here/../shellcheck/fake:$PATH
    export PATH
fi
# Likewise a pyflakes that finds nothing, outside the `pyflakes` suite.
if [ "$suite" != pyflakes ]; then
    PATH=$here/../pyflakes/fake:$PATH
    export PATH
fi
if [ -f args ]; then
    set --
    while IFS= read -r line || [ -n "$line" ]; do
        set -- "$@" "$line"
    done < args
else
    set -- check
    for f in input.*; do
        [ -e "$f" ] && set -- "$@" "$f"
    done
fi
# Info findings are hidden from text output by default; the cases show
# them (--show-info after the subcommand) so that every rule's trigger stays
# visible, except a case holding a file named default-infos, which runs the
# command line exactly as written.
if [ ! -f default-infos ]; then
    case ${1:-} in
        check|compile|plan|run|schedule)
            sub=$1
            shift
            set -- "$sub" --show-info "$@"
            ;;
    esac
fi
actual=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$actual" "$errors"' EXIT
if [ -f stdin ]; then
    NO_COLOR=1 SSMC_GOLDEN=1 "$ssmc" "$@" < stdin > "$actual" 2>"$errors"
else
    NO_COLOR=1 SSMC_GOLDEN=1 "$ssmc" "$@" < /dev/null > "$actual" 2>"$errors"
fi
rc=$?
printf '[exit %d]\n' "$rc" >> "$actual"
if [ "$bless" = "--bless" ]; then
    cp "$actual" expected
    [ -f expected-stderr ] && cp "$errors" expected-stderr
    exit 0
fi
if [ -f expected-stderr ] && ! diff -u expected-stderr "$errors"; then
    echo "golden case $dir: standard error differs (re-bless with tests/bless.sh if intended)" >&2
    exit 1
fi
if [ ! -f expected ]; then
    echo "no expected file in $dir; run tests/bless.sh to create it" >&2
    cat "$actual" >&2
    exit 1
fi
if ! diff -u expected "$actual"; then
    echo "golden case $dir differs (re-bless with tests/bless.sh if the change is intended)" >&2
    exit 1
fi
exit 0
