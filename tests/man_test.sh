#!/bin/sh
# The man page renders without a single groff warning, and it documents
# every subcommand of `ssmc --help` and every option of `ssmc SUB --help`
# (so a new option cannot be forgotten there).
# usage: man_test.sh SSMC MAN_PAGE
# Exit 77 (skipped) when groff is not installed.
set -u
ssmc=$1
page=$2
status=0

if command -v groff >/dev/null 2>&1; then
    for width in 65 80 120; do
        out=$(groff -man -Tutf8 -ww -rLL=${width}n -z "$page" 2>&1)
        if [ -n "$out" ]; then
            echo "groff warnings at line length ${width}n:"
            echo "$out"
            status=1
        fi
    done
else
    echo "groff is not installed: rendering not tested"
    skipped=1
fi

# Subcommands: the indented words under "Subcommands:" in ssmc --help.
subs=$("$ssmc" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NF && $1 != "Subcommands:" {print $1}')
[ -n "$subs" ] || { echo "no subcommands found in ssmc --help"; exit 1; }
for sub in $subs; do
    esc=$(printf '%s' "$sub" | sed 's/-/\\\\-/g')
    if ! grep -Eq "^\.(B|BI|BR) $esc( |$)" "$page"; then
        echo "the man page has no entry for the subcommand '$sub'"
        status=1
    fi
    help=$("$ssmc" "$sub" --help 2>/dev/null) || continue  # not implemented yet
    opts=$(printf '%s\n' "$help" | grep -Eo '^  (-[a-zA-Z], )?--[a-z][a-z-]*' | grep -Eo -- '--[a-z-]+')
    for opt in $opts; do
        esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
        if ! grep -q -- "$esc" "$page"; then
            echo "the man page does not mention '$opt' of 'ssmc $sub'"
            status=1
        fi
    done
done
[ $status -eq 0 ] && [ "${skipped:-0}" = 1 ] && exit 77
exit $status
