#!/bin/sh
# ssmc check --fix / --format diff around the fixes themselves: refused
# combinations (exit 2), what is reported after fixing, the exit status,
# a symbolic link and the file mode kept, a file without fixes untouched.
# usage: fix_cli.sh SSMC
set -u
ssmc=$1
here=$(cd "$(dirname "$0")" && pwd)
PATH=$here/shellcheck/fake:$PATH
export PATH NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail() { echo "fix_cli: $*" >&2; exit 1; }
doc() {
    printf 'schemaVersion: 2.2\ndescription: d\nmainSteps:\n  - action: aws:runShellScript\n    name: a\n    inputs:\n      runCommand:\n        - echo "{{ Missing }}"\n' > "$1"
}

# Refused combinations.
doc a.yaml
"$ssmc" check --fix - < a.yaml > /dev/null 2> err; rc=$?
[ $rc -eq 2 ] || fail "--fix on stdin: exit $rc, not 2"
grep -q 'cannot write back to standard input' err || fail "--fix on stdin: $(cat err)"
"$ssmc" check --fix --format diff a.yaml > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--fix with --format diff: exit $rc, not 2"
"$ssmc" check --format diff -o out.diff a.yaml > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--format diff with -o: exit $rc, not 2"

# What remains is reported; the fixed one is named on stderr.
chmod 640 a.yaml
ln -s a.yaml link.yaml
"$ssmc" check --fix link.yaml > out 2> err; rc=$?
[ $rc -eq 1 ] || fail "--fix with an unfixable error left: exit $rc, not 1"
grep -q '^link.yaml: fixed 1 finding (SSM2002)$' err || fail "fixed line: $(cat err)"
grep -q 'SSM2002' out && fail "the fixed finding is still reported: $(cat out)"
grep -q 'SSM3001\|Missing' out || fail "the remaining finding is not reported: $(cat out)"
[ -L link.yaml ] || fail "the symbolic link was replaced by a file"
head -n 1 a.yaml | grep -q "^schemaVersion: '2.2'$" || fail "the link's target was not fixed"
[ "$(stat -c %a a.yaml)" = 640 ] || fail "the file mode changed: $(stat -c %a a.yaml)"

# Nothing to fix: the file is not rewritten, the diff is empty, exit 0.
printf "schemaVersion: '2.2'\ndescription: d\nmainSteps:\n  - action: aws:runShellScript\n    name: a\n    inputs:\n      runCommand: [echo hi]\n" > clean.yaml
before=$(stat -c %i clean.yaml)
"$ssmc" check --fix clean.yaml > out 2> err; rc=$?
[ $rc -eq 0 ] || fail "--fix on a clean file: exit $rc"
[ "$(stat -c %i clean.yaml)" = "$before" ] || fail "a file without fixes was rewritten"
"$ssmc" check --format diff clean.yaml > out 2>/dev/null; rc=$?
[ $rc -eq 0 ] && [ ! -s out ] || fail "--format diff on a clean file: exit $rc, output $(cat out)"

# --format diff: exit status of the files as they are (the error is still there).
doc b.yaml
"$ssmc" check --format diff b.yaml > out 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "--format diff with a fixable error: exit $rc, not 1"
grep -q "^+schemaVersion: '2.2'$" out || fail "diff: $(cat out)"
exit 0
