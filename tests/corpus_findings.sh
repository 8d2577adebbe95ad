#!/bin/sh
# Corpus expectation: runs `ssmc check` over every document of one kind
# listed in the real-document corpus (MANIFEST.tsv, kind "command" or
# "automation") and compares the per-file finding counts with
# tests/corpus/KIND-findings.tsv, so that every change in results shows up
# in review.
#
# Columns of the expectation file (tab-separated):
#   file  aws  errors  warnings  infos  rules  justification
# aws is "aws" for AWS-managed copies (note column), else "-"; rules is
# RULE=count,... sorted. AWS accepts the AWS-managed documents, so an error
# on one is a bug in ssmc unless the document is demonstrably broken at run
# time: such a row must carry a one-line justification, or the test fails.
#
# usage: corpus_findings.sh SSMC CORPUS_DIR EXPECTED [--bless] [--kind KIND]
# KIND defaults to command. Exits 77 (skipped) when the corpus is absent.
set -u
ssmc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=$2
expected=$3
shift 3
bless=
kind=command
while [ $# -gt 0 ]; do
    case $1 in
    --bless) bless=--bless ;;
    --kind) kind=$2; shift ;;
    esac
    shift
done
manifest=$corpus/MANIFEST.tsv
if [ ! -f "$manifest" ]; then
    # In CI a missing corpus is a broken setup, not a reason to pass.
    if [ "${CI:-}" = true ]; then
        echo "corpus not found at $corpus (CI=true: failing, set SSMC_SHARED_DIR)" >&2
        exit 1
    fi
    echo "corpus not found at $corpus; skipping" >&2
    exit 77
fi
actual=$(mktemp)
out=$(mktemp)
trap 'rm -f "$actual" "$out"' EXIT
awk -F'\t' -v kind="$kind" 'NR > 1 && $6 == kind { print $1 "\t" ($9 ~ /^AWS-managed/ ? "aws" : "-") }' "$manifest" |
while IFS='	' read -r file aws; do
    (cd "$corpus" && NO_COLOR=1 "$ssmc" check --show-info "$file" > "$out" 2>/dev/null)
    if grep -q 'the JSON reader is not implemented yet' "$out"; then
        printf '%s\t%s\tskipped\t-\t-\t-\n' "$file" "$aws"
        continue
    fi
    # Only first lines of findings: "FILE:L:C: SEVERITY: MESSAGE [RULE]".
    grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning|info): .*\[[A-Z0-9]+\]$' "$out" |
        sed -E 's/^.*:[0-9]+:[0-9]+: (error|warning|info): .*\[([A-Z0-9]+)\]$/\1 \2/' |
        awk -v file="$file" -v aws="$aws" '
            { sev[$1]++; rule[$2]++ }
            END {
                n = 0
                for (r in rule) keys[++n] = r
                for (i = 2; i <= n; i++) { k = keys[i]; j = i - 1
                    while (j > 0 && keys[j] > k) { keys[j + 1] = keys[j]; j-- }
                    keys[j + 1] = k }
                s = ""
                for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") keys[i] "=" rule[keys[i]]
                if (s == "") s = "-"
                printf "%s\t%s\t%d\t%d\t%d\t%s\n", file, aws, sev["error"], sev["warning"], sev["info"], s
            }'
done > "$actual"

# Carry the justifications of the expectation file over to the new result.
merged=$(mktemp)
trap 'rm -f "$actual" "$out" "$merged"' EXIT
awk -F'\t' -v expfile="$expected" '
    BEGIN { while ((getline line < expfile) > 0) { split(line, f, "\t"); why[f[1]] = f[7] } }
    { print $0 "\t" (($1 in why) ? why[$1] : "") }' "$actual" > "$merged"

header='file	aws	errors	warnings	infos	rules	justification'
if [ "$bless" = "--bless" ]; then
    { echo "$header"; cat "$merged"; } > "$expected"
    echo "blessed $expected"
else
    if [ ! -f "$expected" ]; then
        echo "no expectation file $expected; run with --bless" >&2
        exit 1
    fi
    if ! { echo "$header"; cat "$merged"; } | diff -u "$expected" -; then
        echo "corpus findings changed; review, then re-bless: $0 $ssmc $corpus $expected --bless" >&2
        exit 1
    fi
fi
status=0
awk -F'\t' '$2 == "aws" && $3 != "skipped" && $3 > 0 && $7 == "" {
        print "AWS-managed document with errors and no justification: " $1; bad = 1 }
    END { exit bad }' "$merged" >&2 || status=1
total=$(awk -F'\t' '$3 != "skipped"' "$merged" | wc -l)
skipped=$(awk -F'\t' '$3 == "skipped"' "$merged" | wc -l)
aws_errors=$(awk -F'\t' '$2 == "aws" && $3 != "skipped" { s += $3 } END { print s + 0 }' "$merged")
echo "corpus: $total $kind documents checked, $skipped skipped (JSON reader), errors on AWS-managed: $aws_errors"
exit $status
