#!/bin/sh
# The README's usage section matches `--help`, mechanically:
#  - every usage line of `ssmc SUB --help` (its first paragraph) is a line of
#    the README's Usage block, and every line of that block is one of them;
#  - every option `ssmc SUB --help` lists under "Options of this command"
#    (or "Options:") is named in the README's "### SUB" section, or anywhere
#    in the README for a subcommand without a section of its own;
#  - every common option of a `--help` is a row of the Common options table,
#    and every option of that table is one some `--help` lists as common.
# usage: readme_usage.sh SSMC README
set -u
ssmc=$1
readme=$2
status=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# each_missing FROM TO FORMAT: FORMAT (printf, the line as %s) for each
# line of file FROM that is no line of file TO; the run then fails.
each_missing() {
    while IFS= read -r line; do
        grep -Fxq -- "$line" "$2" || { printf "$3\n" "$line"; status=1; }
    done < "$1"
}

squeeze() { sed -e 's/^[[:space:]]*//' -e 's/[[:space:]][[:space:]]*/ /g' -e 's/ $//'; }

# The Usage block: the first fenced block after "## Usage", one entry per
# line: the command part (up to two or more spaces before a description).
awk '/^## Usage/ {u = 1; next} u && /^```/ {if (inb) exit; inb = 1; next} inb' "$readme" |
    sed -e 's/^[[:space:]]*//' -e 's/   *[^ ].*$//' | squeeze > "$work/readme-usage"
[ -s "$work/readme-usage" ] || { echo "no Usage block found in $readme"; exit 1; }

subs=$("$ssmc" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NF && $1 != "Subcommands:" {print $1}')
[ -n "$subs" ] || { echo "no subcommands in ssmc --help"; exit 1; }
: > "$work/help-usage"
for sub in $subs; do
    [ "$sub" = help ] && continue
    "$ssmc" "$sub" --help > "$work/help" 2>&1 || { echo "ssmc $sub --help failed"; status=1; continue; }
    # The usage lines: the first paragraph, "usage: " dropped.
    sed -n '1,/^$/p' "$work/help" | sed 's/^usage: //' | squeeze | sed '/^$/d' > "$work/usage"
    # A continuation line ([--opt ...] without the command) belongs to the
    # line before it, as the README writes it too.
    awk '/^ssmc / {if (l != "") print l; l = $0; next} {l = l " " $0} END {if (l != "") print l}' \
        "$work/usage" >> "$work/help-usage"
    # Its own options must be in its README section.
    sed -n '/^Options\( of this command\)\{0,1\}:$/,/^$/p' "$work/help" |
        grep -Eo '^  (-[a-zA-Z], )?--[a-z][a-z-]*' | grep -Eo -- '--[a-z-]+' > "$work/opts"
    section=$(awk -v h="### $sub" '$0 == h {s = 1; next} s && /^###? / {exit} s' "$readme")
    [ -n "$section" ] || section=$(cat "$readme")
    while IFS= read -r opt; do
        [ "$opt" = --help ] && continue
        if ! printf '%s\n' "$section" | grep -q -- "$opt\\([^a-z-]\\|\$\\)"; then
            echo "README: '$opt' of 'ssmc $sub' is not described (### $sub, or anywhere when there is no such section)"
            status=1
        fi
    done < "$work/opts"
done
awk '/^ssmc / {if (l != "") print l; l = $0; next} {l = l " " $0} END {if (l != "") print l}' \
    "$work/readme-usage" > "$work/readme-joined"
each_missing "$work/help-usage" "$work/readme-joined" "README's Usage block lacks: %s"
each_missing "$work/readme-joined" "$work/help-usage" "README's Usage block has a line no --help prints: %s"

# Common options: those of every subcommand's --help together.
for sub in $subs; do
    [ "$sub" = help ] && continue
    "$ssmc" "$sub" --help 2>/dev/null | sed -n '/^Common options:/,/^$/p'
done | grep -Eo '^  (-[a-zA-Z], )?--[a-z][a-z-]*' | grep -Eo -- '--[a-z-]+' | grep -vx -- --help |
    sort -u > "$work/common"
awk '/^### Common options/ {s = 1; next} s && /^##/ {exit} s && /^\|/' "$readme" |
    grep -Eo -- '--[a-z][a-z-]*' | sort -u > "$work/readme-common"
each_missing "$work/common" "$work/readme-common" "README's Common options table lacks %s"
each_missing "$work/readme-common" "$work/common" \
    "README's Common options table has %s, which no --help lists as common"
exit $status
