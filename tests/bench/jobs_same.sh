#!/bin/sh
# jobs_same.sh SSMC SOURCE_DIR WORK_DIR — `ssmc check -j N` must print
# exactly what -j1 prints (stdout, stderr and exit status), in every output
# format, on a directory of mixed documents: every YAML and JSON input of the
# golden suites (valid, invalid, unreadable-syntax, lint findings), so the
# workers' slices hold findings of every stage.
set -eu
ssmc=$1 src=$2 work=$3
. "$(dirname "$0")/lib.sh"
rm -rf "$work"
mkdir -p "$work/docs"
tab=$(printf '\t')
golden_inputs "$src" | while IFS=$tab read -r f name; do
    cp "$f" "$work/docs/$name-$(basename "$f")"
done
# Walked files that are no SSM document: the workers classify and skip them
# (listed with -v in the order -j1 lists them).
printf '{"name": "a-package", "version": "1.0.0"}\n' >"$work/docs/package.json"
printf 'key: value\n' >"$work/docs/zz-settings.yaml"
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
# The workers read the inputs, the parent does not: snippets, the skipped
# list and --format diff (the fixes) read the files again in the parent.
for extra in "--snippet -v" "--format diff"; do
    for j in 1 3; do
        rc=0
        # shellcheck disable=SC2086 # two words on purpose
        "$ssmc" check --shellcheck=off $extra -j $j "$work/docs" >"$work/out.x.$j" 2>"$work/err.x.$j" || rc=$?
        echo "[exit $rc]" >>"$work/out.x.$j"
    done
    if ! cmp -s "$work/out.x.1" "$work/out.x.3" || ! cmp -s "$work/err.x.1" "$work/err.x.3"; then
        echo "jobs_same: $extra -j3 differs from -j1:" >&2
        diff "$work/out.x.1" "$work/out.x.3" >&2 || true
        diff "$work/err.x.1" "$work/err.x.3" >&2 || true
        fail=1
    fi
    case $extra in
    --snippet*)
        grep -q '^    [0-9]* | ' "$work/out.x.3" || { echo "jobs_same: no snippet" >&2; fail=1; }
        grep -q 'skipped .*package.json' "$work/err.x.3" || { echo "jobs_same: no skipped list" >&2; fail=1; } ;;
    *) grep -q '^+++ ' "$work/out.x.3" || { echo "jobs_same: no diff" >&2; fail=1; } ;;
    esac
done
# An input a worker cannot read is exit 3, as with -j1 (the worker tells
# the parent, which reads nothing itself).
for j in 1 3; do
    rc=0
    "$ssmc" check --shellcheck=off -j $j "$work/docs" "$work/no-such-file.yaml" >/dev/null 2>&1 || rc=$?
    [ $rc -eq 3 ] || { echo "jobs_same: an unreadable input with -j$j gave exit $rc, want 3" >&2; fail=1; }
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
