#!/bin/sh
# lint_memo_same.sh SSMC SOURCE_DIR WORK_DIR — the built-in rules' findings
# replayed for a script seen before in the run (lint/memo.c) must print
# exactly what linting every script afresh prints (SSMC_LINT_MEMO=off), in
# every output format and as fixes (--format diff). The documents: every
# YAML and JSON input of the golden suites, each also compiled to JSON and
# to YAML (named apart, or the walk would skip the JSON as the YAML's
# compiled twin), so most scripts occur three times at different positions and
# with different escapes.
set -eu
ssmc=$1 src=$2 work=$3
. "$(dirname "$0")/lib.sh"
rm -rf "$work"
mkdir -p "$work/docs"
tab=$(printf '\t')
golden_inputs "$src" | while IFS=$tab read -r f name; do
    ext=${f##*.}
    cp "$f" "$work/docs/$name.$ext"
    # A document with errors does not compile; its original is still checked.
    "$ssmc" compile --shellcheck=off --pyflakes=off "$f" -o "$work/docs/$name-as.json" \
        >/dev/null 2>&1 || true
    "$ssmc" compile --shellcheck=off --pyflakes=off --format yaml "$f" \
        -o "$work/docs/$name-re.yaml" >/dev/null 2>&1 || true
done
twins=$(ls "$work/docs" | grep -c -- '-as\.json$' || true)
[ "$twins" -gt 50 ] || { echo "lint_memo_same: only $twins compiled twins" >&2; exit 1; }
fail=0
# ShellCheck (when installed) in the text runs: a script kept for it keeps
# its own text, one that is not hands it to the memo.
for fmt in text json sarif github diff; do
    sc=off
    [ $fmt = text ] && sc=auto
    for memo in on off; do
        rc=0
        SSMC_LINT_MEMO=$memo "$ssmc" check --shellcheck=$sc --pyflakes=off --show-info \
            --format=$fmt "$work/docs" >"$work/out.$fmt.$memo" 2>"$work/err.$fmt.$memo" || rc=$?
        echo "[exit $rc]" >>"$work/out.$fmt.$memo"
    done
    if ! cmp -s "$work/out.$fmt.on" "$work/out.$fmt.off" ||
       ! cmp -s "$work/err.$fmt.on" "$work/err.$fmt.off"; then
        echo "lint_memo_same: --format=$fmt differs with the memo:" >&2
        diff "$work/out.$fmt.off" "$work/out.$fmt.on" >&2 || true
        diff "$work/err.$fmt.off" "$work/err.$fmt.on" >&2 || true
        fail=1
    fi
done
# The comparison proves something only if the twins have lint findings
# (and fixes) of their own.
n=$(grep -c -- '-as\.json:[0-9]*:[0-9]*: .*\[SSM5' "$work/out.text.on" || true)
[ "$n" -gt 20 ] || { echo "lint_memo_same: only $n lint findings on the twins" >&2; fail=1; }
grep -q '^+++ .*-as\.json' "$work/out.diff.on" || { echo "lint_memo_same: no fix on a twin" >&2; fail=1; }
exit $fail
