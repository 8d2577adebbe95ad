#!/bin/sh
# Builds the seed corpus of fuzz_load from the golden cases: every
# tests/golden/*/*/input.* becomes one seed, prefixed with the byte that
# picks its front end (\001 JSON, \000 YAML).
# usage: make_corpus.sh GOLDEN_DIR OUT_DIR
set -eu
golden=$1
out=$2
mkdir -p "$out"
n=0
for f in "$golden"/*/*/input.* "$golden"/*/*/stdin; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    case "$f" in
        *.json) printf '\001' > "$out/seed-$n" ;;
        *) printf '\000' > "$out/seed-$n" ;;
    esac
    cat "$f" >> "$out/seed-$n"
done
echo "$n seeds in $out"
