#!/bin/sh
# Re-blesses golden cases: rewrites each case's expected file from what the
# current build prints. Review the diff before committing.
# usage: tests/bless.sh [BUILD_DIR] [PATTERN]   (PATTERN matches suite/case)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
pattern=${2:-*}
ssmc=$(cd "$build" && pwd)/ssmc
for dir in "$here"/golden/*/*/; do
    rel=${dir#"$here"/golden/}
    rel=${rel%/}
    case "$rel" in
        $pattern) sh "$here/golden/run_case.sh" "$ssmc" "$dir" --bless && echo "blessed $rel" ;;
    esac
done
