#!/bin/sh
# Round trip over the real Command documents of the corpus (MANIFEST.tsv
# kind=command): every document that checks without errors must compile,
# and its compiled output must compile again to the same bytes; `ssmc plan`
# must finish on every platform without a crash (exit 0 or 1, never a
# signal or an internal fault). Skips (exit 77) when the corpus is absent.
# usage: roundtrip.sh SSMC CORPUS_DIR
set -u
ssmc=$1
corpus=$2
manifest=$corpus/MANIFEST.tsv
[ -f "$manifest" ] || { echo "no corpus at $corpus; skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Compiled output is JSON; until the JSON reader exists, it is read back
# through the YAML loader (JSON is YAML) under a .yaml name.
ext=json
printf '{"schemaVersion": "2.2"}\n' > "$tmp/probe.json"
"$ssmc" compile "$tmp/probe.json" 2>&1 | grep -q 'not implemented' && ext=yaml
checked=0 compiled=0 planned=0 failed=0
while IFS='	' read -r file repo path commit license kind schema format note; do
    [ "$kind" = command ] || continue
    src=$corpus/$file
    [ -f "$src" ] || continue
    checked=$((checked + 1))
    "$ssmc" check "$src" >/dev/null 2>&1
    rc=$?
    [ $rc -ge 2 ] && { echo "check exit $rc: $file"; failed=$((failed + 1)); continue; }
    [ $rc -eq 1 ] && continue
    if ! "$ssmc" compile "$src" -o "$tmp/once.$ext" >/dev/null 2>&1; then
        echo "compile failed although check passed: $file"
        failed=$((failed + 1))
        continue
    fi
    if ! "$ssmc" compile "$tmp/once.$ext" -o "$tmp/twice.$ext" >/dev/null 2>&1 ||
       ! cmp -s "$tmp/once.$ext" "$tmp/twice.$ext"; then
        echo "compiling the output again changed it: $file"
        diff "$tmp/once.$ext" "$tmp/twice.$ext" | head -5
        failed=$((failed + 1))
        continue
    fi
    compiled=$((compiled + 1))
    for platform in linux windows macos; do
        "$ssmc" plan "$src" --platform "$platform" >/dev/null 2>&1
        rc=$?
        if [ $rc -gt 1 ]; then
            echo "plan exit $rc on $platform: $file"
            failed=$((failed + 1))
        fi
    done
    planned=$((planned + 1))
done < "$manifest"
echo "$checked command documents, $compiled compiled twice to the same bytes, $planned planned on 3 platforms, $failed failures"
[ $failed -eq 0 ]
