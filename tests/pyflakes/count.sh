#!/bin/sh
# Checks that many runbooks cost a handful of pyflakes processes, not one
# per script: 30 runbooks with 2 aws:executeScript Python steps each (60
# scripts) through a stand-in pyflakes that logs each start and reports one
# finding per file, which must come back at its exact place. Step b is the
# same script in every runbook: pyflakes reads it once (31 files in all),
# and its finding is reported in each of the 30.
# usage: count.sh SSMC
set -eu
ssmc=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
cat > "$work/bin/pyflakes3" <<EOS
#!/bin/sh
if [ "\$1" = --version ]; then echo "3.0.0-count-test"; exit 0; fi
echo x >> "$work/log"
for f in "\$@"; do echo "\$f" >> "$work/files"; echo "\$f:2:5: undefined name 'x'"; done
exit 1
EOS
chmod +x "$work/bin/pyflakes3"
i=0
files=
while [ $i -lt 30 ]; do
    cat > "$work/doc$i.yaml" <<EOS
schemaVersion: '0.3'
description: doc $i
mainSteps:
  - name: a
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: handler
      Script: |-
        def handler(events, context):
            return $i
  - name: b
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: handler
      Script: |-
        def handler(events, context):
            return {}
EOS
    files="$files $work/doc$i.yaml"
    i=$((i + 1))
done
# shellcheck disable=SC2086
PATH="$work/bin:$PATH" "$ssmc" check --show-info --shellcheck=off $files > "$work/out" || true
n=$(wc -l < "$work/log")
echo "pyflakes processes for 60 scripts in 30 runbooks: $n"
if [ "$n" -lt 1 ] || [ "$n" -gt 2 ]; then
    echo "expected 1 or 2 pyflakes processes" >&2
    exit 1
fi
files_read=$(wc -l < "$work/files")
echo "files pyflakes read for 31 distinct scripts: $files_read"
if [ "$files_read" -ne 31 ]; then
    echo "expected each distinct script to be read once (31 files)" >&2
    exit 1
fi
found=$(grep -c ": warning: undefined name 'x' \[SSM8070\]$" "$work/out" || true)
at=$(grep -c "doc7.yaml:11:13: warning: undefined name 'x'" "$work/out" || true)
at2=$(grep -c "doc7.yaml:19:13: warning: undefined name 'x'" "$work/out" || true)
if [ "$found" -ne 60 ] || [ "$at" -ne 1 ] || [ "$at2" -ne 1 ]; then
    echo "expected 60 findings, at their exact positions; got:" >&2
    head -5 "$work/out" >&2
    exit 1
fi
