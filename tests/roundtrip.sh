#!/bin/sh
# Round trip over the real Command documents of the corpus (MANIFEST.tsv
# kind=command): every document that checks without errors must compile,
# and its compiled output must compile again to the same bytes; `ssmc plan`
# must finish on every platform (and --platform all) without a crash (exit 0 or 1, never a
# signal or an internal fault). ShellCheck is off: it is not what this
# tests, and 2,000 ShellCheck runs would dominate the time. Skips (exit 77)
# when the corpus is absent.
# usage: roundtrip.sh SSMC CORPUS_DIR
set -u
ssmc=$1
corpus=$2
manifest=$corpus/MANIFEST.tsv
if [ ! -f "$manifest" ]; then
    # In CI a missing corpus is a broken setup, not a reason to pass.
    [ "${CI:-}" = true ] && { echo "no corpus at $corpus (CI=true: failing)"; exit 1; }
    echo "no corpus at $corpus; skipped"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ext=json
checked=0 compiled=0 planned=0 failed=0 json=0 yaml=0
while IFS='	' read -r file repo path commit license kind schema format note; do
    [ "$kind" = command ] || continue
    src=$corpus/$file
    [ -f "$src" ] || continue
    checked=$((checked + 1))
    "$ssmc" check --shellcheck=off "$src" >/dev/null 2>&1
    rc=$?
    [ $rc -ge 2 ] && { echo "check exit $rc: $file"; failed=$((failed + 1)); continue; }
    [ $rc -eq 1 ] && continue
    if ! "$ssmc" compile --shellcheck=off "$src" -o "$tmp/once.$ext" >/dev/null 2>&1; then
        echo "compile failed although check passed: $file"
        failed=$((failed + 1))
        continue
    fi
    if ! "$ssmc" compile --shellcheck=off "$tmp/once.$ext" -o "$tmp/twice.$ext" >/dev/null 2>&1 ||
       ! cmp -s "$tmp/once.$ext" "$tmp/twice.$ext"; then
        echo "compiling the output again changed it: $file"
        diff "$tmp/once.$ext" "$tmp/twice.$ext" | head -5
        failed=$((failed + 1))
        continue
    fi
    compiled=$((compiled + 1))
    case $format in json) json=$((json + 1)) ;; *) yaml=$((yaml + 1)) ;; esac
    for platform in linux windows macos all; do
        "$ssmc" plan --shellcheck=off "$src" --platform "$platform" >/dev/null 2>&1
        rc=$?
        if [ $rc -gt 1 ]; then
            echo "plan exit $rc on $platform: $file"
            failed=$((failed + 1))
        fi
    done
    planned=$((planned + 1))
done < "$manifest"
echo "$checked command documents, $compiled compiled twice to the same bytes ($json JSON, $yaml YAML), $planned planned on every platform, $failed failures"
# JSON Command documents are part of the sweep: a run that compiled none of
# them would mean they were skipped.
[ $failed -eq 0 ] && [ $json -gt 0 ] && [ $yaml -gt 0 ]
