#!/bin/sh
# The result cache of external checkers (compiler/checker_cache.c) through
# ShellCheck, with a stand-in ShellCheck that logs each call and reports one
# finding per file (its message names the file's byte count):
#   - a second identical run starts no ShellCheck and prints the same bytes;
#   - identical scripts in one run are checked once;
#   - calls are balanced by bytes (one big script gets a call of its own);
#   - --no-cache and `cache: false` in .ssmc.yaml start ShellCheck again;
#   - a damaged entry is a miss, not a wrong answer;
#   - the directory stays under SSMC_CACHE_MAX_KB, oldest entries evicted;
#   - a new shellcheckrc is not answered from the cache;
#   - `ssmc cache clear` empties it.
# usage: cache.sh SSMC
set -eu
ssmc=$1
here=$(cd "$(dirname "$0")" && pwd)
real=$(command -v shellcheck || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/docs"
cat > "$work/bin/shellcheck" <<EOS
#!/bin/sh
if [ "\$1" = --version ]; then echo "version: cache-test"; exit 0; fi
n=0 sizes=
for a; do case \$a in *.sh) n=\$((n + 1)); sizes="\$sizes \$(wc -c < "\$a")";; esac; done
# One write each: two calls run at once.
echo "\$sizes" >> "$work/sizes"
echo "\$n" >> "$work/log"
printf '{"comments":['
sep=
for a; do
    case \$a in *.sh)
        printf '%s{"file":"%s","line":1,"endLine":1,"column":1,"endColumn":3,"level":"warning","code":2034,"message":"fake finding in %s bytes","fix":null}' "\$sep" "\$a" "\$(wc -c < "\$a" | tr -d ' ')"
        sep=,;;
    esac
done
echo ']}'
EOS
chmod +x "$work/bin/shellcheck"
export XDG_CACHE_HOME="$work/cache" PATH="$work/bin:$PATH" NO_COLOR=1
fail() { echo "FAIL: $*" >&2; exit 1; }
calls() { if [ -f "$work/log" ]; then wc -l < "$work/log" | tr -d ' '; else echo 0; fi; }
files() { if [ -f "$work/log" ]; then awk '{s += $1} END {print s + 0}' "$work/log"; else echo 0; fi; }

# 20 documents: 10 distinct small scripts, each in two documents; one big one.
i=0
while [ $i -lt 20 ]; do
    cat > "$work/docs/d$i.yaml" <<EOS
schemaVersion: "2.2"
description: doc $i
mainSteps:
  - action: aws:runShellScript
    name: a
    inputs:
      runCommand: ["echo $((i % 10))"]
EOS
    i=$((i + 1))
done
{
    printf 'schemaVersion: "2.2"\ndescription: big\nmainSteps:\n  - action: aws:runShellScript\n    name: a\n    inputs:\n      runCommand:\n'
    i=0
    while [ $i -lt 400 ]; do echo "        - echo line $i of a long script"; i=$((i + 1)); done
} > "$work/docs/big.yaml"

"$ssmc" check "$work/docs" > "$work/fresh" 2>&1 || true
grep -q 'fake finding in' "$work/fresh" || { cat "$work/fresh"; fail "no findings from the stand-in"; }
[ "$(files)" = 11 ] || fail "identical scripts checked more than once: $(files) files for 11 distinct"
[ "$(calls)" = 2 ] || fail "expected 2 calls, got $(calls)"
# The big script's call holds it alone; the other holds the 10 small ones.
sort "$work/sizes" | awk 'NF == 1 && $1 > 5000 { big = 1 } NF == 10 { small = 1 } END { exit !(big && small) }' ||
    { cat "$work/sizes"; fail "calls not balanced by bytes"; }

"$ssmc" check "$work/docs" > "$work/cached" 2>&1 || true
[ "$(calls)" = 2 ] || fail "the second run started ShellCheck again"
cmp "$work/fresh" "$work/cached" || fail "cached findings differ from fresh ones"
"$ssmc" check --format json "$work/docs" > "$work/cached.json" 2>&1 || true
"$ssmc" check --no-cache --format json "$work/docs" > "$work/fresh.json" 2>&1 || true
[ "$(calls)" = 4 ] || fail "--no-cache did not run ShellCheck"
cmp "$work/fresh.json" "$work/cached.json" || fail "cached findings differ from fresh ones (JSON)"

printf 'cache: false\n' > "$work/off.yaml"
"$ssmc" check --config "$work/off.yaml" "$work/docs" > "$work/off" 2>&1 || true
[ "$(calls)" = 6 ] || fail "'cache: false' did not run ShellCheck"
cmp "$work/fresh" "$work/off" || fail "output with the cache off differs"

# A damaged entry: truncated, then garbage of the right length.
entry=$(ls "$work/cache/ssmc/shellcheck" | head -n 1)
head -c 40 "$work/cache/ssmc/shellcheck/$entry" > "$work/part"
cp "$work/part" "$work/cache/ssmc/shellcheck/$entry"
"$ssmc" check "$work/docs" > "$work/damaged" 2>&1 || true
cmp "$work/fresh" "$work/damaged" || fail "a damaged entry changed the output"
[ "$(calls)" = 7 ] || fail "a damaged entry was not recomputed (calls: $(calls))"

# Bounded: 1 KiB keeps a handful of the 11 entries.
SSMC_CACHE_MAX_KB=1 "$ssmc" check --no-cache "$work/docs" > /dev/null 2>&1 || true
rm -rf "$work/cache"
SSMC_CACHE_MAX_KB=1 "$ssmc" check "$work/docs" > /dev/null 2>&1 || true
total=$(cat "$work/cache/ssmc/shellcheck/"* | wc -c)
[ "$total" -le 1024 ] || fail "cache holds $total bytes over a 1 KiB bound"
[ "$(ls "$work/cache/ssmc/shellcheck" | wc -l)" -ge 1 ] || fail "eviction removed everything"

# A shellcheckrc ShellCheck would read is part of the key: adding one is
# not answered from the cache.
mkdir "$work/home"
HOME=$work/home XDG_CONFIG_HOME= "$ssmc" check "$work/docs" > /dev/null 2>&1 || true
before=$(calls)
echo 'disable=SC2034' > "$work/home/.shellcheckrc"
HOME=$work/home XDG_CONFIG_HOME= "$ssmc" check "$work/docs" > /dev/null 2>&1 || true
[ "$(calls)" -gt "$before" ] || fail "a new ~/.shellcheckrc was answered from the cache"

out=$("$ssmc" cache clear)
case $out in "removed "*" cached result(s) from $work/cache/ssmc") ;; *) fail "cache clear said: $out" ;; esac
[ ! -d "$work/cache/ssmc" ] || fail "cache clear left $(ls -R "$work/cache/ssmc")"
before=$(calls)
"$ssmc" check "$work/docs" > "$work/again" 2>&1 || true
[ "$(calls)" -gt "$before" ] || fail "after cache clear ShellCheck did not run"
cmp "$work/fresh" "$work/again" || fail "output after cache clear differs"
echo "cache: ok ($(calls) ShellCheck calls in 11 runs)"

# The real ShellCheck (when installed) over the golden ShellCheck cases:
# fresh, then from the cache, byte for byte.
if [ -n "$real" ]; then
    set -- "$here"/../golden/shellcheck/*/input.*
    "$ssmc" check --shellcheck="$real" --no-cache "$@" > "$work/real.fresh" 2>&1 || true
    "$ssmc" check --shellcheck="$real" "$@" > "$work/real.fill" 2>&1 || true
    "$ssmc" check --shellcheck="$real" "$@" > "$work/real.cached" 2>&1 || true
    grep -q '\[SC[0-9]*\]' "$work/real.fresh" || fail "no ShellCheck findings in the golden cases"
    [ -n "$(ls "$work/cache/ssmc/shellcheck")" ] || fail "real ShellCheck's results were not cached"
    cmp "$work/real.fresh" "$work/real.fill" && cmp "$work/real.fresh" "$work/real.cached" ||
        fail "real ShellCheck: cached findings differ from fresh ones"
    echo "cache: real ShellCheck, $(grep -c '\[SC[0-9]*\]' "$work/real.fresh") findings identical fresh and cached"
fi
