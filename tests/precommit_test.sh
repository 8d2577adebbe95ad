#!/bin/sh
# The pre-commit hooks of .pre-commit-hooks.yaml, run by the real
# pre-commit against a scratch git repository, fully offline:
#   - a commit of a bad document fails with ssmc's finding in the output;
#   - the fixed document commits;
#   - a stale compiled JSON (foo.json no longer what foo.yaml compiles to)
#     fails the ssmc-compiled-json hook, and passes once recompiled.
# The hook repository is a temporary git copy of this tree's hook files,
# pinned by its commit; the freshly built ssmc is first on PATH.
#
# usage: precommit_test.sh SSMC SOURCE_DIR
# Exit 77 (skipped) when pre-commit or git is not installed.
set -u
ssmc=$1
src=$2

for tool in pre-commit git; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (Debian: apt-get install pre-commit git)"
        exit 77
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*"
    exit 1
}

# Nothing from the user's environment: own HOME (git config, caches), own
# pre-commit cache, no network needed (the hook repository is a local path).
export HOME="$tmp/home" PRE_COMMIT_HOME="$tmp/pre-commit-cache"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
mkdir -p "$HOME" "$tmp/bin"
ln -s "$ssmc" "$tmp/bin/ssmc"
PATH="$tmp/bin:$PATH"
export PATH
git config --global init.defaultBranch main
git config --global commit.gpgsign false

# The hook repository.
hooks="$tmp/ssmc-hooks"
mkdir -p "$hooks"
cp "$src/.pre-commit-hooks.yaml" "$hooks/"
cp -R "$src/.pre-commit" "$hooks/"
(cd "$hooks" && git init -q && git add -A && git commit -qm hooks) || fail "cannot create the hook repository"
rev=$(git -C "$hooks" rev-parse HEAD)

# The user's repository.
work="$tmp/work"
mkdir -p "$work/documents"
cd "$work" || exit 1
git init -q
cat > .pre-commit-config.yaml <<EOF2
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: ssmc-check
      - id: ssmc-compiled-json
EOF2
git add .pre-commit-config.yaml
git commit -qm "pre-commit configuration" --no-verify
pre-commit install >/dev/null || fail "pre-commit install"

# 1. A document with an error: the commit is refused, ssmc's finding shown.
cat > documents/restart.yaml <<'EOF2'
schemaVersion: '2.2'
description: Restarts the web server.
mainSteps:
  - action: aws:runShelScript
    name: restartWebServer
    inputs:
      runCommand:
        - systemctl restart httpd
EOF2
git add documents/restart.yaml
if git commit -qm "bad document" > "$tmp/out1" 2>&1; then
    cat "$tmp/out1"
    fail "the commit of a bad document succeeded"
fi
grep -q "documents/restart.yaml:4:13: error: .*aws:runShelScript.*aws:runShellScript" "$tmp/out1" ||
    { cat "$tmp/out1"; fail "the hook output lacks ssmc's finding"; }
grep -q "ssmc check (SSM documents, templates, Terraform).*Failed" "$tmp/out1" ||
    { cat "$tmp/out1"; fail "pre-commit does not report the ssmc-check hook as failed"; }
echo "ok: bad document refused with the finding"

# 2. Fixed: the commit goes through.
sed -i 's/aws:runShelScript/aws:runShellScript/' documents/restart.yaml
git add documents/restart.yaml
git commit -qm "fixed document" > "$tmp/out2" 2>&1 || { cat "$tmp/out2"; fail "the fixed document was refused"; }
grep -q "ssmc check (SSM documents, templates, Terraform).*Passed" "$tmp/out2" ||
    { cat "$tmp/out2"; fail "the ssmc-check hook did not run on the fixed document"; }
echo "ok: fixed document committed"

# 2b. Not an SSM document: skipped, not reported (issue 14). A template
# with a fault inside its Content: refused, the finding at its place in the
# template.
printf 'services:\n  db:\n    image: postgres:16\n' > docker-compose.yaml
git add docker-compose.yaml
git commit -qm "compose file" > "$tmp/out2b" 2>&1 || { cat "$tmp/out2b"; fail "a compose file was refused"; }
cat > template.yaml <<'EOF2'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Restart:
    Type: AWS::SSM::Document
    Properties:
      Content:
        schemaVersion: "2.2"
        mainSteps:
          - action: aws:runShelScript
            name: restart
            inputs:
              runCommand: [systemctl restart httpd]
EOF2
git add template.yaml
if git commit -qm "bad template" > "$tmp/out2c" 2>&1; then
    cat "$tmp/out2c"
    fail "the commit of a bad template succeeded"
fi
grep -q "template.yaml:9:21: error: .*aws:runShelScript" "$tmp/out2c" ||
    { cat "$tmp/out2c"; fail "the hook output lacks the finding at its template position"; }
git reset -q template.yaml
rm template.yaml
echo "ok: compose file skipped, template checked at its positions"

# 3. The compiled JSON next to its source.
ssmc compile documents/restart.yaml -o documents/restart.json || fail "ssmc compile"
git add documents/restart.json
git commit -qm "compiled JSON" > "$tmp/out3" 2>&1 || { cat "$tmp/out3"; fail "a fresh compiled JSON was refused"; }
grep -q "ssmc compiled JSON is up to date.*Passed" "$tmp/out3" ||
    { cat "$tmp/out3"; fail "the ssmc-compiled-json hook did not run"; }
echo "ok: fresh compiled JSON committed"

# The source changes, the JSON does not: refused, naming the stale file.
sed -i 's/Restarts the web server./Restarts the Apache web server./' documents/restart.yaml
git add documents/restart.yaml
if git commit -qm "stale JSON" > "$tmp/out4" 2>&1; then
    cat "$tmp/out4"
    fail "a stale compiled JSON was committed"
fi
grep -q "documents/restart.json does not match its source documents/restart.yaml" "$tmp/out4" ||
    { cat "$tmp/out4"; fail "the hook output does not name the stale JSON"; }
grep -q "ssmc compiled JSON is up to date.*Failed" "$tmp/out4" ||
    { cat "$tmp/out4"; fail "pre-commit does not report the ssmc-compiled-json hook as failed"; }
echo "ok: stale compiled JSON refused"

ssmc compile documents/restart.yaml -o documents/restart.json || fail "ssmc compile"
git add documents/restart.json documents/restart.yaml
git commit -qm "recompiled" > "$tmp/out5" 2>&1 || { cat "$tmp/out5"; fail "the recompiled JSON was refused"; }
echo "ok: recompiled JSON committed"

# 4. A finding of a document with its compiled JSON next to it is printed
# once, not once per copy and once more by the compiled-JSON hook (issue
# 16): a warning, shown with --verbose.
sed -i 's/systemctl restart httpd/sudo systemctl restart httpd/' documents/restart.yaml
ssmc compile -q documents/restart.yaml -o documents/restart.json || fail "ssmc compile"
git add documents/restart.yaml documents/restart.json
pre-commit run --all-files --verbose > "$tmp/out6" 2>&1 || { cat "$tmp/out6"; fail "a warning failed the hooks"; }
n=$(grep -c "warning: .*'sudo' is redundant" "$tmp/out6")
[ "$n" = 1 ] || { cat "$tmp/out6"; fail "the warning was printed $n times, not once"; }
grep -q "documents/restart.yaml:8:11: warning: .*'sudo' is redundant" "$tmp/out6" ||
    { cat "$tmp/out6"; fail "the warning is not at its source document"; }
grep -q "1 compiled JSON file skipped (its source is checked)" "$tmp/out6" ||
    { cat "$tmp/out6"; fail "the summary does not say the compiled JSON was skipped"; }
echo "ok: a finding printed once with a compiled JSON next to its source"
