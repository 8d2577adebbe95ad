#!/bin/sh
# Tests of `ssmc run` with real processes that need an environment, a
# signal or two invocations: the golden mixed document (success, skip,
# failure, timeout), grandchildren that keep the output pipe open (also from
# another session), a reboot (194) then --resume, and Ctrl-C.
# usage: run_tests.sh SSMC TESTS_RUN_DIR
set -u
ssmc=$1
here=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
export SSMC_RUN_TIMEOUT_SCALE=0.1 SSMC_RUN_DETERMINISTIC=1 NO_COLOR=1
check() { # name expected-file actual-file
    if ! diff -u "$2" "$3"; then
        echo "FAIL: $1" >&2
        fail=1
    else
        echo "ok: $1"
    fi
}

# 1. the golden case: statuses and ExecutionSummary character for character
"$ssmc" run "$here/mixed.yaml" > "$work/mixed.txt" 2>/dev/null
echo "[exit $?]" >> "$work/mixed.txt"
check mixed-text "$here/mixed.expected" "$work/mixed.txt"
"$ssmc" run --format json "$here/mixed.yaml" > "$work/mixed.json" 2>/dev/null
echo "[exit $?]" >> "$work/mixed.json"
check mixed-json "$here/mixed.json.expected" "$work/mixed.json"

# 2. a grandchild in another session keeps stdout open after the main
#    process exits: the run ends at the timeout (TimedOut), it does not hang
cp "$(command -v sleep)" "$work/sleepmarker"
cat > "$work/escape.yaml" <<DOC
schemaVersion: '2.2'
description: escaped grandchild
mainSteps:
  - action: aws:runShellScript
    name: escapes
    inputs:
      timeoutSeconds: '5'
      runCommand:
        - setsid $work/sleepmarker 100 &
        - echo main exits now
DOC
"$ssmc" run "$work/escape.yaml" > "$work/escape.txt" 2>/dev/null
rc=$?
pkill -f "$work/sleepmarker" 2>/dev/null
if [ $rc -ne 1 ] || ! grep -q '^escapes (aws:runShellScript): TimedOut, code 137$' "$work/escape.txt"; then
    echo "FAIL: escaped-grandchild (exit $rc)" >&2; cat "$work/escape.txt" >&2; fail=1
else
    echo "ok: escaped-grandchild"
fi

# 3. exit 194: the run stops (SuccessAndReboot), --resume re-runs that step
#    and continues; completed steps are not run again
cat > "$work/reboot.yaml" <<DOC
schemaVersion: '2.2'
description: reboot and resume
mainSteps:
  - action: aws:runShellScript
    name: before
    inputs:
      runCommand:
        - echo x >> $work/before.count
  - action: aws:runShellScript
    name: rebooter
    inputs:
      runCommand:
        - if [ ! -f $work/rebooted ]; then
        -   touch $work/rebooted
        -   echo asking for a reboot
        -   exit 194
        - fi
        - echo back after the reboot
  - action: aws:runShellScript
    name: after
    inputs:
      runCommand:
        - echo after the reboot
DOC
"$ssmc" run --format json "$work/reboot.yaml" > "$work/reboot1.json" 2>"$work/reboot1.err"
rc1=$?
state=$(sed -n 's/^  "stateFile": "\(.*\)"$/\1/p' "$work/reboot1.json")
grep -q '"documentStatus": "SuccessAndReboot"' "$work/reboot1.json" &&
    grep -q '"executionSummary": "2 out of 3 plugins processed, 2 success, 0 failed, 0 timedout, 0 skipped. "' "$work/reboot1.json" &&
    ! grep -q '"after"' "$work/reboot1.json" && [ $rc1 -eq 1 ] && [ -n "$state" ] &&
    grep -q -- "--resume" "$work/reboot1.err"
ok1=$?
"$ssmc" run --resume "$(dirname "$state")" "$work/reboot.yaml" > "$work/reboot2.txt" 2>/dev/null
rc2=$?
if [ $ok1 -ne 0 ] || [ $rc2 -ne 0 ] || [ "$(wc -l < "$work/before.count")" -ne 1 ] ||
    ! grep -q 'back after the reboot' "$work/reboot2.txt" ||
    ! grep -q '^after (aws:runShellScript): Success, code 0$' "$work/reboot2.txt" ||
    ! grep -q '^Document status: Success$' "$work/reboot2.txt"; then
    echo "FAIL: reboot-resume (first exit $rc1, resume exit $rc2)" >&2
    cat "$work/reboot1.json" "$work/reboot1.err" "$work/reboot2.txt" >&2
    fail=1
else
    echo "ok: reboot-resume"
fi
rm -rf "$(dirname "$state")"

# 3b. issue 18: --resume deletes only what ssmc created. A state file that
#     names another directory (a hostile or edited state) is a usage error
#     (exit 2) and nothing is deleted, wherever the state file lies.
rm -f "$work/rebooted" "$work/before.count"
"$ssmc" run --format json "$work/reboot.yaml" > "$work/reboot3.json" 2>/dev/null
state=$(sed -n 's/^  "stateFile": "\(.*\)"$/\1/p' "$work/reboot3.json")
orch=$(dirname "$state")
mkdir -p "$work/victim"
echo precious > "$work/victim/precious"
sed "s|\"orchestration\": \".*\"|\"orchestration\": \"$work/victim\"|" "$state" > "$work/victim/run-state.json"
cp "$work/victim/run-state.json" "$work/edited-state.json"
cp "$work/victim/run-state.json" "$orch/run-state.json.edited"
resume_refused() { # name state
    "$ssmc" run --resume "$2" "$work/reboot.yaml" > /dev/null 2> "$work/refused.err"
    rc=$?
    if [ $rc -ne 2 ] || [ ! -f "$work/victim/precious" ] || [ ! -d "$orch" ] ||
        ! grep -q "refused\|not an ssmc run state" "$work/refused.err"; then
        echo "FAIL: $1 (exit $rc)" >&2
        cat "$work/refused.err" >&2
        fail=1
    else
        echo "ok: $1"
    fi
}
resume_refused resume-foreign-dir "$work/victim"
resume_refused resume-foreign-state "$work/edited-state.json"
resume_refused resume-edited-in-place "$orch/run-state.json.edited"
printf '{"stateVersion": 1, "runId": "x", "steps": []}' > "$work/malformed.json"
resume_refused resume-malformed "$work/malformed.json"
rm "$orch/.ssmc-run"
resume_refused resume-no-marker "$orch"
rm -rf "$orch"

# 3c. issue 18: a step whose output is not UTF-8 stays in runtimeStatus,
#     the bytes replaced by U+FFFD as the agent's Go JSON encoder does
cat > "$work/bytes.yaml" <<'DOC'
schemaVersion: '2.2'
description: prints a byte that is not UTF-8
mainSteps:
  - action: aws:runShellScript
    name: latin1
    inputs:
      runCommand:
        - printf 'caf\351\n'
DOC
"$ssmc" run --format json "$work/bytes.yaml" > "$work/bytes.json" 2>/dev/null
rc=$?
if [ $rc -ne 0 ] || ! grep -q '"latin1": {' "$work/bytes.json" ||
    ! grep -q "\"standardOutput\": \"caf$(printf '\357\277\275')\\\\n\"" "$work/bytes.json"; then
    echo "FAIL: run-json-invalid-utf8 (exit $rc)" >&2
    cat "$work/bytes.json" >&2
    fail=1
else
    echo "ok: run-json-invalid-utf8"
fi

# 4. Ctrl-C (SIGINT to the process group of ssmc): the running step is
#    Cancelled, the later one too, and the report is still written
cat > "$work/cancel.yaml" <<DOC
schemaVersion: '2.2'
description: cancel
mainSteps:
  - action: aws:runShellScript
    name: long
    inputs:
      runCommand:
        - touch $work/ready
        - sleep 60
  - action: aws:runShellScript
    name: next
    inputs:
      runCommand:
        - echo never
DOC
setsid "$ssmc" run "$work/cancel.yaml" > "$work/cancel.txt" 2>/dev/null &
pid=$!
n=0
while [ ! -f "$work/ready" ] && [ $n -lt 600 ]; do sleep 0.05; n=$((n + 1)); done
sleep 0.1
kill -INT -- "-$pid" 2>/dev/null || kill -INT "$pid"
wait $pid
rc=$?
if [ $rc -ne 1 ] || ! grep -q '^long (aws:runShellScript): Cancelled, code 137$' "$work/cancel.txt" ||
    ! grep -q '^next (aws:runShellScript): Cancelled, code 1$' "$work/cancel.txt" ||
    ! grep -q '^Document status: Cancelled$' "$work/cancel.txt"; then
    echo "FAIL: ctrl-c (exit $rc)" >&2; cat "$work/cancel.txt" >&2; fail=1
else
    echo "ok: ctrl-c"
fi

# 5. issue 18: SIGHUP (the terminal or the CI runner went away) cancels like
#    SIGINT: the step's process group is killed, the report written, and the
#    orchestration directory removed
rm -f "$work/ready"
mkdir -p "$work/hup-tmp"
TMPDIR="$work/hup-tmp" "$ssmc" run "$work/cancel.yaml" > "$work/hup.txt" 2>/dev/null &
pid=$!
n=0
while [ ! -f "$work/ready" ] && [ $n -lt 600 ]; do sleep 0.05; n=$((n + 1)); done
sleep 0.1
kill -HUP "$pid"
wait $pid
rc=$?
if [ $rc -ne 1 ] || ! grep -q '^long (aws:runShellScript): Cancelled, code 137$' "$work/hup.txt" ||
    ! grep -q '^Document status: Cancelled$' "$work/hup.txt" || [ -n "$(ls -A "$work/hup-tmp")" ]; then
    echo "FAIL: sighup (exit $rc)" >&2; cat "$work/hup.txt" >&2; ls -A "$work/hup-tmp" >&2; fail=1
else
    echo "ok: sighup"
fi
exit $fail
