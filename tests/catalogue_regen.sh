#!/bin/sh
# The catalogue of AWS-managed documents regenerates byte for byte: runs
# grammar/catalogue/gen_catalogue.py over the corpus and compares its output
# with the committed grammar/catalogue.json. After changing the generator,
# its input list or the corpus, regenerate it with:
#
#   python3 grammar/catalogue/gen_catalogue.py ../shared/corpus/real \
#       grammar/catalogue/inputs.tsv grammar/plugins grammar/catalogue.json
#
# usage: catalogue_regen.sh SOURCE_DIR CORPUS_DIR
# Exits 77 (skipped) when the corpus or python3 is absent.
set -u
src=$1
corpus=$2
if [ ! -f "$corpus/MANIFEST.tsv" ]; then
    echo "corpus not found at $corpus; skipping" >&2
    exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 not found; skipping" >&2
    exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
python3 "$src/grammar/catalogue/gen_catalogue.py" "$corpus" "$src/grammar/catalogue/inputs.tsv" \
    "$src/grammar/plugins" "$out" || exit 1
if ! cmp -s "$out" "$src/grammar/catalogue.json"; then
    diff -u "$src/grammar/catalogue.json" "$out" | head -40
    echo "grammar/catalogue.json is not what gen_catalogue.py makes of the corpus; regenerate it" >&2
    exit 1
fi
echo "grammar/catalogue.json regenerates byte for byte ($(grep -c '"documentType"' "$out") documents)"
