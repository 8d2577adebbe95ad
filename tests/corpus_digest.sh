#!/bin/sh
# Corpus digest: `ssmc check --shellcheck=off --pyflakes=off` over the WHOLE real-document
# corpus (every .json/.yaml/.yml under it, one run, -j1 and -j2), reduced
# to a SHA-256 of the report plus finding counts per rule, compared with
# tests/corpus/findings.digest. Work on speed must leave it unchanged; a
# change that alters findings on purpose re-blesses it (the counts per rule
# in the diff show what moved):
#
#   sh tests/corpus_digest.sh build/ssmc ../shared/corpus/real tests/corpus/findings.digest --bless
#
# usage: corpus_digest.sh SSMC CORPUS_DIR DIGEST_FILE [--bless]
# Exits 77 (skipped) when the corpus is absent.
set -u
ssmc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=$2
expected=$3
bless=${4:-}
if [ ! -f "$corpus/MANIFEST.tsv" ]; then
    # In CI a missing corpus is a broken setup, not a reason to pass.
    if [ "${CI:-}" = true ]; then
        echo "corpus not found at $corpus (CI=true: failing, set SSMC_SHARED_DIR)" >&2
        exit 1
    fi
    echo "corpus not found at $corpus; skipping" >&2
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Relative names, no colour, no snippets: the report depends on nothing
# but the corpus and ssmc.
(cd "$corpus" && NO_COLOR=1 "$ssmc" check --show-info --shellcheck=off --pyflakes=off --no-snippet -j 1 . > "$work/j1" 2>&1)
rc1=$?
(cd "$corpus" && NO_COLOR=1 "$ssmc" check --show-info --shellcheck=off --pyflakes=off --no-snippet -j 2 . > "$work/j2" 2>&1)
rc2=$?
if ! cmp -s "$work/j1" "$work/j2" || [ $rc1 != $rc2 ]; then
    echo "-j2 output differs from -j1 (exit $rc1 vs $rc2):" >&2
    diff "$work/j1" "$work/j2" | head -20 >&2
    exit 1
fi
{
    echo "exit $rc1"
    echo "sha256 $(sha256sum < "$work/j1" | cut -d' ' -f1)"
    echo "findings $(grep -cE '^[^ ].*:[0-9]+:[0-9]+: (error|warning|info): ' "$work/j1")"
    grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning|info): .*\[[A-Z0-9]+\]$' "$work/j1" |
        sed -E 's/^.*: (error|warning|info): .*\[([A-Z0-9]+)\]$/\2 \1/' | sort | uniq -c |
        awk '{ print $2, $3, $1 }'
} > "$work/digest"
if [ "$bless" = "--bless" ]; then
    cp "$work/digest" "$expected"
    echo "blessed $expected"
    exit 0
fi
if ! diff -u "$expected" "$work/digest"; then
    echo "corpus findings changed; if on purpose, re-bless: sh $0 $1 $corpus $expected --bless" >&2
    exit 1
fi
echo "corpus digest unchanged: $(sed -n 's/^findings //p' "$work/digest") findings, -j1 = -j2"
