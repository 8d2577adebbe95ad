#!/bin/sh
# One --fix case: tests/fix/CASE/ holds input.EXT (the document), fixed.EXT
# (what --fix must leave, byte for byte) and rules (the rule ids the fixes
# remove, one per line). Checks that
#   1. each listed rule is reported on the input and carries a fix (JSON),
#   2. `check --fix` on a copy writes exactly fixed.EXT,
#   3. the re-check of the fixed file no longer reports the listed rules,
#   4. `check --format diff` on the input prints a patch that turns the
#      input into fixed.EXT and leaves the input untouched.
# A stand-in ShellCheck that finds nothing comes first on PATH (as in the
# golden suite), so no case depends on the installed one.
# usage: fix_case.sh SSMC CASE_DIR
set -u
ssmc=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
PATH=$here/shellcheck/fake:$PATH
export PATH NO_COLOR=1
fail() { echo "fix case $dir: $*" >&2; exit 1; }
input=$(ls "$dir"/input.* 2>/dev/null | head -n 1)
[ -n "$input" ] || fail "no input.* file"
ext=${input##*.}
[ -f "$dir/fixed.$ext" ] || fail "no fixed.$ext file"
[ -f "$dir/rules" ] || fail "no rules file"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$input" "$tmp/doc.$ext"
cp "$input" "$tmp/orig.$ext"
cd "$tmp" || exit 1
"$ssmc" check --format json "doc.$ext" > before.json 2>/dev/null
while IFS= read -r rule || [ -n "$rule" ]; do
    [ -n "$rule" ] || continue
    grep -q "\"rule\": \"$rule\"" before.json || fail "$rule is not reported on the input"
    python3 - "$rule" before.json <<'PY' || fail "$rule has no fix in the JSON output"
import json, sys
rule, path = sys.argv[1], sys.argv[2]
diags = json.load(open(path))["diagnostics"]
sys.exit(0 if any(d["rule"] == rule and d.get("fixes") for d in diags) else 1)
PY
done < "$dir/rules"
"$ssmc" check --format diff "doc.$ext" > patch.diff 2>/dev/null
cmp -s "doc.$ext" "orig.$ext" || fail "--format diff changed the file"
patch -s -p0 -o patched "doc.$ext" < patch.diff > /dev/null 2>&1 || fail "the diff does not apply"
cmp -s patched "$dir/fixed.$ext" || { diff -u "$dir/fixed.$ext" patched >&2; fail "the diff gives other bytes than fixed.$ext"; }
"$ssmc" check --fix "doc.$ext" > /dev/null 2>&1
if ! cmp -s "doc.$ext" "$dir/fixed.$ext"; then
    diff -u "$dir/fixed.$ext" "doc.$ext" >&2
    fail "--fix wrote other bytes than fixed.$ext"
fi
"$ssmc" check --format json "doc.$ext" > after.json 2>/dev/null
while IFS= read -r rule || [ -n "$rule" ]; do
    [ -n "$rule" ] || continue
    if grep -q "\"rule\": \"$rule\"" after.json; then
        cat after.json >&2
        fail "$rule is still reported after --fix"
    fi
done < "$dir/rules"
exit 0
