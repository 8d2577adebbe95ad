#!/bin/sh
# Checks that many documents cost a handful of ShellCheck processes, not one
# per script: 40 documents with 2 shell scripts each (80 scripts, sh and
# bash) through a stand-in ShellCheck that logs each start.
# usage: count.sh SSMC
set -eu
ssmc=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
cat > "$work/bin/shellcheck" <<EOS
#!/bin/sh
[ "\$1" = --version ] && { echo "version: count-test"; exit 0; }
echo x >> "$work/log"
echo '{"comments":[]}'
EOS
chmod +x "$work/bin/shellcheck"
i=0
files=
while [ $i -lt 40 ]; do
    cat > "$work/doc$i.yaml" <<EOS
schemaVersion: "2.2"
description: doc $i
mainSteps:
  - action: aws:runShellScript
    name: a
    inputs:
      runCommand: ["set -e", "echo $i"]
  - action: aws:runShellScript
    name: b
    inputs:
      runCommand: ["#!/bin/bash", "set -e", "echo $i"]
EOS
    files="$files $work/doc$i.yaml"
    i=$((i + 1))
done
# shellcheck disable=SC2086
XDG_CACHE_HOME=$work/cache PATH="$work/bin:$PATH" "$ssmc" check $files > "$work/out" || true
n=$(wc -l < "$work/log")
echo "ShellCheck processes for 80 scripts in 40 documents: $n"
if [ "$n" -lt 1 ] || [ "$n" -gt 4 ]; then
    cat "$work/out"
    exit 1
fi
