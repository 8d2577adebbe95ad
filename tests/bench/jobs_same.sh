#!/bin/sh
# jobs_same.sh SSMC SOURCE_DIR WORK_DIR — `ssmc check -j N` must print
# exactly what -j1 prints (stdout, stderr and exit status), in every output
# format, on a directory of mixed documents: every YAML and JSON input of the
# golden suites (valid, invalid, unreadable-syntax, lint findings), so the
# workers' slices hold findings of every stage.
set -eu
ssmc=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work/docs"
for f in "$src"/tests/golden/*/*/input.yaml "$src"/tests/golden/*/*/input.json; do
    case_dir=$(dirname "$f")
    name=$(basename "$(dirname "$case_dir")")-$(basename "$case_dir")-$(basename "$f")
    cp "$f" "$work/docs/$name"
done
count=$(ls "$work/docs" | wc -l)
[ "$count" -gt 100 ] || { echo "jobs_same: only $count documents collected" >&2; exit 1; }
fail=0
# ShellCheck (when installed) in the text runs, where workers count most;
# the other formats run without it to keep the test quick.
for fmt in text json sarif github; do
    sc=off
    js="1 4"
    [ $fmt = text ] && sc=auto js="1 2 4 7"
    for j in $js; do
        rc=0
        "$ssmc" check --shellcheck=$sc --format=$fmt -j $j "$work/docs" >"$work/out.$fmt.$j" 2>"$work/err.$fmt.$j" || rc=$?
        echo "[exit $rc]" >>"$work/out.$fmt.$j"
    done
    for j in $js; do
        [ $j = 1 ] && continue
        if ! cmp -s "$work/out.$fmt.1" "$work/out.$fmt.$j" || ! cmp -s "$work/err.$fmt.1" "$work/err.$fmt.$j"; then
            echo "jobs_same: --format=$fmt -j$j differs from -j1:" >&2
            diff "$work/out.$fmt.1" "$work/out.$fmt.$j" >&2 || true
            diff "$work/err.$fmt.1" "$work/err.$fmt.$j" >&2 || true
            fail=1
        fi
    done
done
# The report must hold findings, or the comparison proved nothing.
[ "$(wc -l <"$work/out.text.1")" -gt 100 ] || { echo "jobs_same: too few findings" >&2; fail=1; }
# A bad count is a usage error (exit 2), not a silent -j1.
for bad in 0 -3 x 1000; do
    rc=0
    "$ssmc" check -j "$bad" "$work/docs" >/dev/null 2>&1 || rc=$?
    [ $rc -eq 2 ] || { echo "jobs_same: -j $bad gave exit $rc, want 2" >&2; fail=1; }
done
exit $fail
