#!/bin/sh
# pyflakes' results in the checker cache (compiler/checker_cache.c), with a
# stand-in pyflakes that logs each call and reports one finding per file on
# stdout and, for a script holding "broken", a compile error on stderr:
#   - a second identical run starts no pyflakes and prints the same bytes;
#   - --no-cache starts pyflakes again and prints the same bytes (text, JSON);
#   - a changed script is not answered from the cache;
#   - the real pyflakes (when installed) over the golden pyflakes cases:
#     fresh, then from the cache, byte for byte.
# usage: cache.sh SSMC
set -eu
ssmc=$1
here=$(cd "$(dirname "$0")" && pwd)
real=$(command -v pyflakes3 || command -v pyflakes || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/docs"
cat > "$work/bin/pyflakes3" <<EOS
#!/bin/sh
if [ "\$1" = --version ]; then echo "3.0.0-cache-test"; exit 0; fi
echo x >> "$work/log"
for f in "\$@"; do
    echo "\$f:2:5: undefined name 'x'"
    if grep -q broken "\$f"; then
        printf '%s:1:5: invalid syntax\n  broken code\n    ^\n' "\$f" >&2
    fi
done
exit 1
EOS
chmod +x "$work/bin/pyflakes3"
export XDG_CACHE_HOME="$work/cache" PATH="$work/bin:$PATH" NO_COLOR=1
fail() { echo "FAIL: $*" >&2; exit 1; }
calls() { if [ -f "$work/log" ]; then wc -l < "$work/log" | tr -d ' '; else echo 0; fi; }
doc() { # doc FILE BODY
    cat > "$1" <<EOS
schemaVersion: '0.3'
description: pyflakes cache
mainSteps:
  - name: a
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: handler
      Script: |-
        $2
        def handler(events, context):
            return {}
EOS
}
doc "$work/docs/d1.yaml" "import os"
doc "$work/docs/d2.yaml" "broken code"

"$ssmc" check --shellcheck=off "$work/docs" > "$work/fresh" 2>&1 || true
grep -q "undefined name 'x' \[SSM8070\]" "$work/fresh" || { cat "$work/fresh"; fail "no findings from the stand-in"; }
grep -q "Python does not compile this script: invalid syntax \[SSM8069\]" "$work/fresh" ||
    { cat "$work/fresh"; fail "no compile error from the stand-in"; }
[ "$(calls)" = 1 ] || fail "expected 1 pyflakes call, got $(calls)"
[ -n "$(ls "$work/cache/ssmc/pyflakes")" ] || fail "pyflakes' results were not cached"

"$ssmc" check --shellcheck=off "$work/docs" > "$work/cached" 2>&1 || true
[ "$(calls)" = 1 ] || fail "the second run started pyflakes again"
cmp "$work/fresh" "$work/cached" || fail "cached findings differ from fresh ones"

"$ssmc" check --shellcheck=off --format json "$work/docs" > "$work/cached.json" 2>&1 || true
[ "$(calls)" = 1 ] || fail "the JSON run started pyflakes again"
"$ssmc" check --shellcheck=off --no-cache --format json "$work/docs" > "$work/fresh.json" 2>&1 || true
[ "$(calls)" = 2 ] || fail "--no-cache did not run pyflakes"
cmp "$work/fresh.json" "$work/cached.json" || fail "cached findings differ from fresh ones (JSON)"
"$ssmc" check --shellcheck=off --no-cache "$work/docs" > "$work/nocache" 2>&1 || true
[ "$(calls)" = 3 ] || fail "--no-cache did not run pyflakes (text)"
cmp "$work/fresh" "$work/nocache" || fail "output with --no-cache differs"

doc "$work/docs/d1.yaml" "import sys"
"$ssmc" check --shellcheck=off "$work/docs" > /dev/null 2>&1 || true
[ "$(calls)" = 4 ] || fail "a changed script was answered from the cache"
echo "cache: ok ($(calls) pyflakes calls in 6 runs)"

if [ -n "$real" ]; then
    set -- "$here"/../golden/pyflakes/*/input.*
    rm -rf "$work/cache"
    "$ssmc" check --shellcheck=off --pyflakes="$real" --no-cache "$@" > "$work/real.fresh" 2>&1 || true
    "$ssmc" check --shellcheck=off --pyflakes="$real" "$@" > "$work/real.fill" 2>&1 || true
    "$ssmc" check --shellcheck=off --pyflakes="$real" "$@" > "$work/real.cached" 2>&1 || true
    grep -q '\[SSM8069\]' "$work/real.fresh" && grep -q '\[SSM8070\]' "$work/real.fresh" ||
        fail "no pyflakes findings in the golden cases"
    [ -n "$(ls "$work/cache/ssmc/pyflakes")" ] || fail "real pyflakes' results were not cached"
    cmp "$work/real.fresh" "$work/real.fill" && cmp "$work/real.fresh" "$work/real.cached" ||
        fail "real pyflakes: cached findings differ from fresh ones"
    echo "cache: real pyflakes, $(grep -cE '\[SSM80(69|70|71)\]' "$work/real.fresh") findings identical fresh and cached"
fi
