#!/bin/sh
# ssmc compile's file handling: -o replaces atomically and keeps the mode,
# a refused compile or a failed write leaves the old file untouched, write
# errors exit 3, --out-dir keeps relative paths.
# usage: compile_io.sh SSMC
set -u
ssmc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p src/sub
cat > src/sub/good.yaml <<'DOC'
schemaVersion: '2.2'
description: good
mainSteps:
  - action: aws:runShellScript
    name: a
    inputs:
      runCommand: [echo a]
DOC
cp src/sub/good.yaml src/top.yaml
printf "schemaVersion: '2.2'\nmainSteps: []\nmainSteps: []\n" > bad.yaml

printf 'old\n' > out.json
chmod 640 out.json
"$ssmc" compile src/sub/good.yaml -o out.json >/dev/null 2>&1 || fail "compile -o failed"
[ "$(stat -c %a out.json)" = 640 ] || fail "mode not kept: $(stat -c %a out.json)"
grep -q '"description": "good"' out.json || fail "output not written"
ls | grep -q ssmc-tmp && fail "temporary file left behind"

cp out.json before.json
"$ssmc" compile bad.yaml -o out.json >/dev/null 2>&1
[ $? -eq 1 ] || fail "refused compile must exit 1"
cmp -s out.json before.json || fail "refused compile changed the old file"

"$ssmc" compile src/sub/good.yaml -o /dev/full >/dev/null 2>&1
[ $? -eq 3 ] || fail "/dev/full must exit 3"
"$ssmc" compile src/sub/good.yaml -o missing/dir/out.json >/dev/null 2>&1
[ $? -eq 3 ] || fail "a missing directory must exit 3"
[ -e missing ] && fail "nothing may be created for a missing directory"

"$ssmc" compile --out-dir build src >/dev/null 2>&1 || fail "--out-dir failed"
[ -f build/src/sub/good.json ] && [ -f build/src/top.json ] || fail "--out-dir paths: $(find build)"
"$ssmc" compile --out-dir ybuild --format yaml src/top.yaml >/dev/null 2>&1 || fail "--out-dir yaml"
[ -f ybuild/src/top.yaml ] || fail "--out-dir yaml path"

"$ssmc" compile --check build/src/top.json src/top.yaml >/dev/null 2>&1 || fail "--check of fresh output"
echo ok
