#!/bin/bash
# The bash completion, driven as bash drives it: COMP_WORDS and COMP_CWORD
# set, the completion function called, COMPREPLY compared.
# usage: completion_test.sh SSMC COMPLETION_FILE
set -u
ssmc=$1
# shellcheck source=/dev/null
source "$2" || exit 1
failures=0

# complete WORD... : the last word is the one being completed.
complete_words()
{
    COMP_WORDS=("$ssmc" "$@")
    COMP_CWORD=$#
    COMPREPLY=()
    _ssmc
}

# expect "WORDS" "EXPECTED REPLIES (sorted, one per line)"
expect()
{
    local words=$1 want=$2 got
    split_and_complete "$words"
    got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort)
    if [[ $got != "$want" ]]; then
        printf 'FAIL: ssmc %s<TAB>\n  expected: %s\n  got:      %s\n' "$words" \
            "${want//$'\n'/ }" "${got//$'\n'/ }"
        failures=$((failures + 1))
    fi
}

# expect_has "WORDS" WORD... : each WORD is among the replies.
expect_has()
{
    local words=$1 w
    shift
    split_and_complete "$words"
    for w in "$@"; do
        if ! printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$w"; then
            printf 'FAIL: ssmc %s<TAB> lacks %s (got %s)\n' "$words" "$w" "${COMPREPLY[*]}"
            failures=$((failures + 1))
        fi
    done
}

# "check --format " is the words check, --format and an empty word.
split_and_complete()
{
    local -a arr
    read -ra arr <<<"$1"
    if [[ -z $1 || $1 == *" " ]]; then
        arr+=("")
    fi
    complete_words "${arr[@]}"
}

lines() { printf '%s\n' "$@" | LC_ALL=C sort; }

# Subcommands.
expect "ch" "check"
expect "c" "$(lines cache check compile)"
expect "" "$(lines check compile plan run schedule doc lsp rules cache version help)"
expect "-" "$(lines --help --version)"
expect "help co" "compile"

# Options per subcommand (from ssmc SUB --help) and their values.
expect "check --for" "--format"
expect "check --form" "--format"
expect "schedule --ne" "--next"
expect_has "schedule --" --association --inventory --from --general --strict
expect_has "lsp --" --stdio --debounce --external-delay --shellcheck
expect "check --format " "$(lines text json sarif github diff)"
expect "check --format s" "sarif"
expect "check --format = g" "github"
expect "check --format=j" "json"
expect "check --platform w" "windows"
expect "check --shellcheck o" "off"
expect "check --document-type Au" "Automation"

# Rule ids and names, computed from `ssmc rules`.
n_rules=$("$ssmc" rules | wc -l)
complete_words check --enable ""
if [[ ${#COMPREPLY[@]} -ne $((2 * n_rules)) ]]; then
    echo "FAIL: --enable offers ${#COMPREPLY[@]} words, expected $((2 * n_rules)) (ids and names)"
    failures=$((failures + 1))
fi
expect "check --disable duplicate-k" "duplicate-key"
expect_has "check --enable SSM10" SSM1001 SSM1012
expect "rules duplicate-k" "duplicate-key"
expect_has "rules SSM1" SSM1012

# File names: documents and directories, not other files.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/sub dir"
touch "$tmp/a.yaml" "$tmp/b.JSON" "$tmp/c.yml" "$tmp/notes.txt" "$tmp/with space.yaml"
expect "check $tmp/" "$(lines "$tmp/a.yaml" "$tmp/b.JSON" "$tmp/c.yml" "$tmp/sub dir" "$tmp/with space.yaml")"
expect "doc $tmp/n" ""
expect "check --config $tmp/n" "$tmp/notes.txt"
expect "compile --out-dir $tmp/" "$tmp/sub dir"
expect "run -n $tmp/a" "$tmp/a.yaml"
expect "schedule -n " ""

if ((failures)); then
    echo "$failures completion case(s) failed"
    exit 1
fi
echo "all completion cases passed"
