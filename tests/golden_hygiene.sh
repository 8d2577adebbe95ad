#!/bin/sh
# Keeps the golden suite saying what each case is for.
#
#   near-miss  every tests/golden/*/*-ok case is a near miss that must stay
#              clean: its expected output has no error or warning line and
#              ends in [exit 0] (info findings inherent to the construct are
#              allowed).
#   trigger    every case named after a rule (see rule_of_case below) shows
#              that rule's id in its expected output.
#
# usage: golden_hygiene.sh near-miss|trigger SSMC GOLDEN_DIR
set -u
mode=$1
ssmc=$2
golden=$3
failures=0

fail() {
    echo "$1" >&2
    failures=$((failures + 1))
}

case_dirs() {
    for dir in "$golden"/*/*/; do
        [ -d "$dir" ] && printf '%s\n' "${dir%/}"
    done
}

near_miss() {
    cases=0
    for dir in $(case_dirs); do
        case $(basename "$dir") in *-ok) ;; *) continue ;; esac
        rel=${dir#"$golden"/}
        cases=$((cases + 1))
        expected=$dir/expected
        if [ ! -f "$expected" ]; then
            fail "$rel: no expected file"
            continue
        fi
        if [ "$(tail -n 1 "$expected")" != "[exit 0]" ]; then
            fail "$rel: a near-miss case must exit 0, expected ends with '$(tail -n 1 "$expected")'"
        fi
        # Diagnostic lines are "FILE:LINE:COL: SEVERITY: ..." (notes are
        # indented and carry the severity "note").
        grep -nE '^[^ ].*: (error|warning): ' "$expected" | while IFS= read -r line; do
            echo "$rel: a near-miss case must stay clean, expected has: $line" >&2
        done
        if grep -qE '^[^ ].*: (error|warning): ' "$expected"; then
            failures=$((failures + 1))
        fi
    done
    [ "$cases" -gt 0 ] || fail "no -ok cases found under $golden"
}

# The rule a case is named after: the longest rule name R with the case
# name equal to R or starting with "R-" (a variant: yaml-syntax-indent).
# Tried in turn: the case name itself; without a leading json-/yaml-/enc-/
# powershell- (json-duplicate-key tests duplicate-key); with association-
# in front for the association suite (field-type tests
# association-field-type). Prints nothing for a case named after no rule.
rule_of_case() {
    suite=$1
    name=$2
    candidates=$name
    case $name in
        json-* | yaml-* | enc-* | powershell-*) candidates="$candidates ${name#*-}" ;;
    esac
    [ "$suite" = association ] && candidates="$candidates association-$name"
    for candidate in $candidates; do
        found=$(awk -v c="$candidate" '
            index(c "-", $2 "-") == 1 && length($2) > best { best = length($2); id = $1 }
            END { if (id != "") print id }' "$rules")
        if [ -n "$found" ]; then
            echo "$found"
            return
        fi
    done
}

trigger() {
    rules=$(mktemp)
    trap 'rm -f "$rules"' EXIT
    if ! "$ssmc" rules | awk '$1 ~ /^SSM[0-9]+$/ { print $1, $2 }' > "$rules" || [ ! -s "$rules" ]; then
        fail "'$ssmc rules' printed no rules"
        return
    fi
    checked=0
    for dir in $(case_dirs); do
        name=$(basename "$dir")
        case $name in *-ok) continue ;; esac
        suite=$(basename "$(dirname "$dir")")
        id=$(rule_of_case "$suite" "$name")
        [ -n "$id" ] || continue
        checked=$((checked + 1))
        if ! grep -qF -e "[$id]" -e "\"$id\"" "$dir/expected" 2>/dev/null; then
            fail "$suite/$name: named after rule $id, but its expected output does not show $id"
        fi
    done
    # A mapping that silently matched nothing would make this test useless.
    [ "$checked" -ge 100 ] || fail "only $checked cases map to a rule name; the mapping is broken"
    echo "$checked triggering cases checked"
}

case $mode in
    near-miss) near_miss ;;
    trigger) trigger ;;
    *) echo "usage: $0 near-miss|trigger SSMC GOLDEN_DIR" >&2; exit 2 ;;
esac
if [ "$failures" -ne 0 ]; then
    echo "$failures golden hygiene failure(s)" >&2
    exit 1
fi
exit 0
