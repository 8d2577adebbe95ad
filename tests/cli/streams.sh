#!/bin/sh
# Behaviour the golden cases cannot see: what goes to stderr, colour and
# snippets on a terminal, NO_COLOR, the rules listing.
# usage: streams.sh SSMC CASES_DIR
set -u
ssmc=$1
cases=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() { # expect NAME FILE PATTERN: FILE must contain PATTERN (grep -E)
    if ! grep -Eq -- "$3" "$2"; then
        echo "FAIL $1: no match for /$3/ in:"; cat "$2"; fail=1
    fi
}
refuse() { # refuse NAME FILE PATTERN: FILE must not contain PATTERN
    if grep -Eq -- "$3" "$2"; then
        echo "FAIL $1: unexpected /$3/ in:"; cat "$2"; fail=1
    fi
}

cd "$cases/text-output" || exit 1
# The summary goes to stderr, never stdout.
"$ssmc" check input.yaml > "$tmp/out" 2> "$tmp/err"
expect summary "$tmp/err" '^1 error in 1 file$'
refuse summary-stdout "$tmp/out" 'error in'
# Infos: hidden from text output and counted in the summary.
(cd "$cases/infos-hidden" && "$ssmc" check input.yaml > "$tmp/out" 2> "$tmp/err")
expect infos-hidden "$tmp/err" '^no errors or warnings in 1 file, and 1 info: --show-info$'
refuse infos-hidden-stdout "$tmp/out" 'info:'
(cd "$cases/infos-hidden" && "$ssmc" check --show-info input.yaml > "$tmp/out" 2> "$tmp/err")
expect infos-shown "$tmp/err" '^1 info in 1 file$'
expect infos-shown-stdout "$tmp/out" 'info: .*\[SSM5002\]'
# version: ssmc, the libraries as loaded, and the external checkers found.
"$ssmc" version > "$tmp/out"
expect version "$tmp/out" '^ssmc [0-9]+\.[0-9]+\.[0-9]+$'
expect version-libyaml "$tmp/out" '^libyaml +[0-9]+\.[0-9]+'
expect version-jansson "$tmp/out" '^jansson +[0-9]+\.[0-9]+'
expect version-pcre2 "$tmp/out" '^PCRE2 +[0-9]+\.[0-9]+'
expect version-shellcheck "$tmp/out" '^ShellCheck +(found: /.*shellcheck|not found on PATH)$'
PATH=/nonexistent "$ssmc" version > "$tmp/out"
expect version-no-shellcheck "$tmp/out" '^ShellCheck +not found on PATH$'
expect version-no-pyflakes "$tmp/out" '^pyflakes +not found on PATH$'
# -q: errors only and no summary.
"$ssmc" check -q input.yaml > "$tmp/out" 2> "$tmp/err"
refuse quiet-summary "$tmp/err" 'in 1 file'
# -o FILE: the report goes to the file, stdout stays empty.
"$ssmc" check --format json -o "$tmp/report.json" input.yaml > "$tmp/out" 2> /dev/null
echo "rc=$?" >> "$tmp/out"
expect output-file "$tmp/report.json" '"rule": "SSM1012"'
expect output-file-rc "$tmp/out" '^rc=1$'
refuse output-file-stdout "$tmp/out" 'SSM1012'
"$ssmc" check -o "$tmp/no/such/dir/r.txt" input.yaml 2> "$tmp/err"
echo "rc=$?" >> "$tmp/err"
expect output-file-unwritable "$tmp/err" '^rc=3$'
# Usage errors: one line naming the option, with a guess.
"$ssmc" check --formt json input.yaml > "$tmp/out" 2> "$tmp/err"
echo "rc=$?" >> "$tmp/err"
expect unknown-option "$tmp/err" "^ssmc check: unknown option '--formt'; did you mean '--format'\\?"
expect unknown-option-rc "$tmp/err" '^rc=2$'
"$ssmc" check --format=xml input.yaml 2> "$tmp/err"
expect bad-format "$tmp/err" "invalid value 'xml' for --format \\(expected text, json, sarif or github\\)"
"$ssmc" check --strict=yes input.yaml 2> "$tmp/err"
expect flag-value "$tmp/err" "option '--strict' takes no value"
"$ssmc" check --disable SSM1O12 input.yaml 2> "$tmp/err"
expect unknown-rule "$tmp/err" "unknown rule 'SSM1O12' for --disable; did you mean 'SSM1012'\\?"
"$ssmc" plan --param novalue input.yaml 2> "$tmp/err"
expect param "$tmp/err" "--param expects NAME=VALUE"
"$ssmc" rules duplicate-kye 2> "$tmp/err"
expect rules-guess "$tmp/err" "unknown rule 'duplicate-kye'; did you mean 'duplicate-key'\\?"
"$ssmc" chek 2> "$tmp/err"
expect subcommand-guess "$tmp/err" "unknown subcommand 'chek'; did you mean 'check'\\?"
"$ssmc" --help > "$tmp/out"
for sub in check compile plan run rules schedule doc version; do
    expect "help-$sub" "$tmp/out" "^  $sub "
done
# The rules listing: one line per rule, id name severity summary.
"$ssmc" rules > "$tmp/out"
expect rules-list "$tmp/out" '^SSM1012 +duplicate-key +error +the same key twice in one mapping \(always on\)$'
expect rules-list-tool "$tmp/out" '^SSM9002 +config-file +warning '
refuse rules-list-shape "$tmp/out" '^[^S]'

# On a terminal (script(1) gives one): colour and snippets by default,
# no colour with NO_COLOR or --no-color.
if command -v script > /dev/null 2>&1; then
    esc=$(printf '\033')
    env -u NO_COLOR TERM=xterm script -qec "$ssmc check input.yaml" /dev/null > "$tmp/tty" 2>&1
    expect tty-color "$tmp/tty" "$esc\\[1;31merror"
    expect tty-snippet "$tmp/tty" '^ +9 \|       runCommand:'
    NO_COLOR=1 TERM=xterm script -qec "$ssmc check input.yaml" /dev/null > "$tmp/tty" 2>&1
    refuse no-color-env "$tmp/tty" "$esc"
    expect no-color-snippet "$tmp/tty" '\^~~~~~~~~~'
    env -u NO_COLOR TERM=xterm script -qec "$ssmc check --no-color input.yaml" /dev/null > "$tmp/tty" 2>&1
    refuse no-color-flag "$tmp/tty" "$esc"
else
    echo "note: script(1) not found; terminal behaviour not tested"
fi
# Not a terminal: never colour, even without NO_COLOR.
env -u NO_COLOR "$ssmc" check --snippet input.yaml > "$tmp/out" 2>&1
refuse pipe-color "$tmp/out" "$(printf '\033')"

[ $fail = 0 ] && echo "all stream checks passed"
exit $fail
