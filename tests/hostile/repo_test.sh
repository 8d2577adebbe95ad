#!/bin/sh
# The hostile-repository test (issue 18): one directory holding what a pull
# request can put in front of ssmc in CI (a .ssmc.yaml that switches the
# syntax rules off and names a program, a configuration above the
# repository, a script with a NUL byte, an aws:runDocument fan-out tree, an
# association whose Name is a path, a file name that forges a finding line,
# outputs that would overwrite inputs), run the way CI runs ssmc. It asserts
# exit codes and findings, that no program from the repository ran, and
# that no file outside the commands' own outputs changed.
# usage: repo_test.sh SSMC WORKDIR
set -u
ssmc=$1
root=$2
rm -rf "$root"
mkdir -p "$root" || exit 2
root=$(cd "$root" && pwd)
repo=$root/repo
fail=0
failed() { echo "FAIL: $*" >&2; fail=1; }

# --- the hostile repository -------------------------------------------
mkdir -p "$repo/.git" "$repo/docs/fan" "$repo/assoc" "$root/outside" "$root/tmp" "$root/home"
# Above the repository: a configuration that would switch everything off.
printf 'rules:\n  yaml-syntax: off\n  script-nul-byte: off\n  parameter-injection: off\n' > "$root/.ssmc.yaml"
# The repository's own: switches the gate off and names a program. (It may
# lower an ordinary rule such as script-nul-byte: that shows in the diff.)
cat > "$repo/.ssmc.yaml" <<'EOF'
rules:
  yaml-syntax: off
  SSM1017: info
  script-nul-byte: warning
shellcheck:
  path: ./tools/shellcheck
EOF
mkdir -p "$repo/tools"
cat > "$repo/tools/shellcheck" <<EOF
#!/bin/sh
touch "$root/outside/PWNED"
exit 0
EOF
chmod 755 "$repo/tools/shellcheck"
printf "schemaVersion: '2.2'\n# ssmc-disable all\nmainSteps: [\n" > "$repo/docs/broken.yaml"
cat > "$repo/docs/hidden.json" <<'EOF'
{
  "schemaVersion": "2.2",
  "description": "Says hello.",
  "mainSteps": [
    {
      "action": "aws:runShellScript",
      "name": "greet",
      "inputs": {"runCommand": ["echo hello\u0000; touch /tmp/pwned"]}
    }
  ]
}
EOF
good="schemaVersion: '2.2'
description: Says hello.
mainSteps:
  - action: aws:runShellScript
    name: greet
    inputs:
      runCommand:
        - echo hello"
printf '%s\n' "$good" > "$repo/docs/good.yaml"
printf '%s\n' "$good" > "$repo/docs/good.yml"
# A file name that would print a finding line of its own, with an ESC.
forged="$repo/docs/x.yaml:1:1: error: all clear
$(printf '\033')[2Kok.yaml"
printf "schemaVersion: '2.2'\nmainSteps: [\n" > "$forged"
# aws:runDocument fan-out: 20 x 20 x 20 x 20 steps from four small files.
fan() { # file child
    {
        printf "schemaVersion: '2.2'\ndescription: One level of a fan-out.\nmainSteps:\n"
        i=0
        while [ $i -lt 20 ]; do
            if [ -n "$2" ]; then
                printf '  - action: aws:runDocument\n    name: fan%d\n    inputs:\n      documentType: LocalPath\n      documentPath: %s\n' $i "$2"
            else
                printf '  - action: aws:runShellScript\n    name: leaf%d\n    inputs:\n      runCommand:\n        - echo leaf\n' $i
            fi
            i=$((i + 1))
        done
    } > "$1"
}
fan "$repo/docs/fan/level3.yaml" ""
fan "$repo/docs/fan/level2.yaml" level3.yaml
fan "$repo/docs/fan/level1.yaml" level2.yaml
fan "$repo/fan-top.yaml" docs/fan/level1.yaml
printf 'schemaVersion: "2.2"\nmainSteps: []\n' > "$root/outside/secret.yaml"
cat > "$repo/assoc/escape.association.yaml" <<'EOF'
Name: ../../outside/secret
ScheduleExpression: rate(30 minutes)
Targets:
  - Key: InstanceIds
    Values: [i-0123456789abcdef0]
EOF

# --- a snapshot of every file, to compare after -------------------------
snapshot() {
    (cd "$root" && find . -path ./snapshot -prune -o -print | LC_ALL=C sort | while IFS= read -r f; do
        if [ -f "$f" ] && [ ! -L "$f" ]; then
            printf '%s %s\n' "$(cksum < "$f")" "$f"
        else
            printf 'entry %s\n' "$f"
        fi
    done)
}
snapshot > "$root/before"
export HOME="$root/home" TMPDIR="$root/tmp" NO_COLOR=1
unset XDG_CACHE_HOME XDG_CONFIG_HOME

# --- as CI runs it: check the whole repository from its root ------------
cd "$repo" || exit 2
"$ssmc" check --no-cache . > "$root/check.out" 2> "$root/check.err"
rc=$?
[ $rc -eq 1 ] || failed "check . exits $rc, not 1"
for want in '.ssmc.yaml:2:16: warning: rule SSM1001 (yaml-syntax) cannot be set to off' \
    '.ssmc.yaml:3:12: warning: rule SSM1017 (nul-byte) cannot be set to info' \
    "warning: shellcheck.path './tools/shellcheck' from a configuration file in the repository is not used" \
    'docs/broken.yaml:3:12: error: ' \
    'docs/hidden.json:8:44: warning: the script contains a NUL byte' \
    "assoc/escape.association.yaml:1:7: error: document name '../../outside/secret' is a path" \
    'docs/x.yaml:1:1: error: all clear\n\x1B[2Kok.yaml:2:12: error: '; do
    grep -qF -- "$want" "$root/check.out" || failed "check . does not print: $want"
done
grep -q '^ok.yaml\|^.\[2K' "$root/check.out" && failed "a file name forged a line of the report"
[ -e "$root/outside/PWNED" ] && failed "the repository's shellcheck.path ran"

# --- outputs never destroy an input ---------------------------------------
"$ssmc" compile -o docs/good.yaml docs/good.yaml > /dev/null 2> "$root/o.err"
rc=$?
[ $rc -eq 2 ] || failed "compile -o INPUT exits $rc, not 2"
grep -qF 'would overwrite the input docs/good.yaml' "$root/o.err" || failed "compile -o INPUT: $(cat "$root/o.err")"
"$ssmc" check -o docs/good.yml docs/good.yml > /dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || failed "check -o INPUT exits $rc, not 2"
"$ssmc" compile --out-dir "$root/out" docs/good.yaml docs/good.yml > /dev/null 2> "$root/dir.err"
rc=$?
[ $rc -eq 2 ] || failed "compile --out-dir with two inputs to one output exits $rc, not 2"
grep -qF 'docs/good.yaml and docs/good.yml would both be written to' "$root/dir.err" ||
    failed "collision message: $(cat "$root/dir.err")"
"$ssmc" compile --out-dir docs docs/../docs/good.yaml > /dev/null 2>&1
rc=$?
[ $rc -eq 0 ] || failed "compile --out-dir docs docs/good.yaml exits $rc"
[ -f docs/docs/good.json ] || failed "compile --out-dir docs: docs/docs/good.json not written"
rm -rf docs/docs
ln -s "$root/outside" "$root/link-out"
mkdir -p "$root/out2"
ln -s "$root/outside" "$root/out2/docs"
"$ssmc" compile --out-dir "$root/out2" docs/good.yaml > /dev/null 2> "$root/link.err"
rc=$?
[ $rc -eq 3 ] || failed "compile --out-dir through a symlink out exits $rc, not 3"
rm -rf "$root/out2" "$root/link-out"

# --- bounded expansion -----------------------------------------------------
"$ssmc" plan fan-top.yaml > "$root/plan.err" 2>&1
rc=$?
[ $rc -eq 3 ] || failed "plan of the fan-out tree exits $rc, not 3"
grep -qF 'the plan reached 10000 steps' "$root/plan.err" || failed "plan: $(cat "$root/plan.err")"

# --- the configuration above the repository is never read -----------------
cd "$repo/docs" || exit 2
"$ssmc" check broken.yaml > "$root/sub.out" 2>/dev/null
rc=$?
[ $rc -eq 1 ] || failed "check from a subdirectory exits $rc, not 1"
grep -qF 'broken.yaml:3:12: error: ' "$root/sub.out" || failed "check from a subdirectory: $(cat "$root/sub.out")"
# A group-writable configuration is ignored as a whole.
chmod g+w "$repo/.ssmc.yaml"
"$ssmc" check good.yaml > "$root/gw.out" 2>/dev/null
grep -qF '../.ssmc.yaml:1:1: warning: configuration file ignored: its group or other users may write it' "$root/gw.out" ||
    failed "a group-writable .ssmc.yaml is not ignored: $(cat "$root/gw.out")"
chmod g-w "$repo/.ssmc.yaml"

# --- a signal while ShellCheck runs leaves no scratch directory ----------------
printf '#!/bin/sh\ncase "$1" in --version) echo "version: 0.9.0"; exit 0 ;; esac\nsleep 30\n' > "$root/slow-shellcheck"
chmod 755 "$root/slow-shellcheck"
"$ssmc" check --no-cache --shellcheck="$root/slow-shellcheck" good.yaml > /dev/null 2>&1 &
pid=$!
n=0
while [ -z "$(ls -A "$root/tmp")" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
[ -n "$(ls -A "$root/tmp")" ] || failed "ShellCheck's scratch directory never appeared"
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || failed "check killed by SIGTERM exits $rc, not 143"
rm -f "$root/slow-shellcheck"

# --- nothing else changed -----------------------------------------------------
cd "$root" || exit 2
rm -f check.out check.err o.err dir.err link.err plan.err sub.out gw.out
snapshot > "$root/after"
# (ssmc's ShellCheck result cache under $HOME/.cache is its own, documented.)
skip=' ./before$\| ./after$\|^entry ./before$\|^entry ./after$\| ./home/.cache'
grep -v "$skip" "$root/before" > "$root/before.f"
grep -v "$skip" "$root/after" > "$root/after.f"
if ! diff "$root/before.f" "$root/after.f" > "$root/changed"; then
    failed "files changed: $(cat "$root/changed")"
fi
[ -z "$(ls -A "$root/tmp")" ] || failed "left behind in TMPDIR: $(ls -A "$root/tmp")"
[ -e /tmp/pwned ] && failed "/tmp/pwned exists"
if [ $fail -eq 0 ]; then
    echo "1 passed, 0 failed"
    rm -rf "$root"
    exit 0
fi
echo "0 passed, 1 failed"
exit 1
