#!/bin/sh
# Compile stability over every stdlib-docs document and every golden compile
# input that compiles: (1) compiling the source twice gives identical
# bytes; (2) compiling the output again gives the same bytes; (3) the
# `--format yaml` output compiles back to the very same JSON.
# usage: compile_stable.sh SSMC SOURCE_DIR
set -u
ssmc=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checked=0 failed=0
for f in "$src"/stdlib-docs/*.yaml "$src"/stdlib-docs/*.json "$src"/tests/golden/compile/*/input.yaml \
         "$src"/tests/golden/compile/*/input.json; do
    [ -f "$f" ] || continue
    case $f in *.json) ext=json ;; *) ext=yaml ;; esac
    # inputs the compiler refuses (error cases) are not part of this test
    "$ssmc" compile "$f" -o "$tmp/a.json" >/dev/null 2>&1 || continue
    checked=$((checked + 1))
    "$ssmc" compile "$f" -o "$tmp/b.json" >/dev/null 2>&1
    if ! cmp -s "$tmp/a.json" "$tmp/b.json"; then
        echo "second compile differs: $f"; failed=$((failed + 1)); continue
    fi
    if ! "$ssmc" compile "$tmp/a.json" -o "$tmp/c.json" >/dev/null 2>&1 || ! cmp -s "$tmp/a.json" "$tmp/c.json"; then
        echo "compiling the output again changed it: $f"; diff "$tmp/a.json" "$tmp/c.json" | head -5
        failed=$((failed + 1)); continue
    fi
    if ! "$ssmc" compile --format yaml "$f" -o "$tmp/y.yaml" >/dev/null 2>&1 ||
       ! "$ssmc" compile "$tmp/y.yaml" -o "$tmp/y.json" >/dev/null 2>&1 ||
       ! cmp -s "$tmp/a.json" "$tmp/y.json"; then
        echo "--format yaml output does not compile back to the same JSON: $f"
        [ -f "$tmp/y.json" ] && diff "$tmp/a.json" "$tmp/y.json" | head -5
        failed=$((failed + 1)); continue
    fi
    rm -f "$tmp/y.json"
done
echo "$checked documents: compiled twice, recompiled, and through YAML; $failed failures"
[ $checked -gt 0 ] && [ $failed -eq 0 ]
