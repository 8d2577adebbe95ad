#!/bin/sh
# The speed targets of issue 17, each row measured against its own baseline
# in the same run: the two commands of a row alternate (round robin), RUNS
# times each, and the row reports the medians of wall and CPU time (user +
# system, children included: ShellCheck and -j workers) and their ratios.
# Prints figures, asserts nothing (no timed tests). The rows against a
# parser floor run with both external checkers off (--shellcheck=off
# --pyflakes=off): the floor parses, it starts no Python.
#
# usage: tests/bench/targets.sh [BUILD_DIR]
#   environment: SSMC_CORPUS=DIR   the real corpus (default: shared/corpus/real
#                                  next to the checkout)
#                BENCH_RUNS=N      runs per command and row (default 5, at least 5)
#                BENCH_SC=0        skip the ShellCheck rows (they take minutes)
#                BENCH_BASE=SSMC   an older ssmc: baseline of the ShellCheck
#                                  first-run row (default: this ssmc with
#                                  --no-cache, which still checks each
#                                  distinct script once)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
runs=${BENCH_RUNS:-5}
[ "$runs" -ge 5 ] || runs=5
ssmc=$build/ssmc
tools=$build/tests
. "$here/lib.sh"
bench_need targets "$ssmc" "$tools/gen_docs" "$tools/yaml_floor" "$tools/json_floor" "$tools/runstat"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=$(bench_corpus)

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# row LABEL TARGET CANDIDATE BASELINE [wall]: CANDIDATE and BASELINE are
# shell command lines (eval'd), run alternately; TARGET is the largest ratio
# candidate/baseline that meets the issue's target. The verdict compares
# the CPU-time ratio (on a shared machine wall time mostly measures the
# other load), or with "wall" the wall-time ratio (-j N saves wall time,
# not CPU time).
row() {
    label=$1 target=$2 cand=$3 base=$4 by=${5:-cpu}
    : >"$work/c" && : >"$work/b"
    i=0
    while [ $i -lt "$runs" ]; do
        eval "\"$tools/runstat\" $cand" >>"$work/c"
        eval "\"$tools/runstat\" $base" >>"$work/b"
        i=$((i + 1))
    done
    cw=$(awk '{ print $1 }' "$work/c" | median) cc=$(awk '{ print $4 }' "$work/c" | median)
    bw=$(awk '{ print $1 }' "$work/b" | median) bc=$(awk '{ print $4 }' "$work/b" | median)
    bad=$(awk '$3 >= 3' "$work/c" "$work/b" | wc -l)
    awk -v l="$label" -v t="$target" -v cw="$cw" -v cc="$cc" -v bw="$bw" -v bc="$bc" -v bad="$bad" -v by="$by" 'BEGIN {
        rw = bw > 0 ? cw / bw : 0; rc = bc > 0 ? cc / bc : 0; r = by == "wall" ? rw : rc
        printf "%-58s %8.3f %8.3f %6.2fx %8.3f %8.3f %6.2fx  <= %-5s %s (%s)%s\n", l, cw, bw, rw, cc, bc, rc, t,
               (r <= t ? "met" : "missed"), by, (bad > 0 ? " (a run exited 3 or more)" : "") }'
}

echo "issue 17 targets ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'), $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'), medians of $runs round-robin runs)"
printf '%-58s %8s %8s %7s %8s %8s %7s  %s\n' case wall base ratio cpu base ratio target

if [ -n "$corpus" ] && [ -f "$corpus/MANIFEST.tsv" ]; then
    find "$corpus" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -print0 >"$work/corpus.list"
    n=$(tr -cd '\0' <"$work/corpus.list" | wc -c)
    mb=$(xargs -0 cat <"$work/corpus.list" | wc -c | awk '{ printf "%.1f", $1 / 1048576 }')
    row "corpus ($n docs, $mb MB), check -j1 vs libyaml floor" 1.5 \
        "\"$ssmc\" check --shellcheck=off --pyflakes=off -j 1 \"$corpus\"" "\"$tools/yaml_floor\" -0 \"$work/corpus.list\""
    awk -F'\t' 'NR > 1 && $6 == "command" { print $1 }' "$corpus/MANIFEST.tsv" >"$work/command.names"
    files=
    while IFS= read -r f; do files="$files \"$corpus/$f\""; done <"$work/command.names"
    (cd "$corpus" && tr '\n' '\0' <"$work/command.names") >"$work/command.list"
    nc=$(wc -l <"$work/command.names")
    row "Command documents only ($nc docs) vs floor" 2 \
        "\"$ssmc\" check --shellcheck=off --pyflakes=off -j 1 $files" \
        "sh -c 'cd \"$corpus\" && exec \"$tools/yaml_floor\" -0 \"$work/command.list\"'"
    row "corpus, check -j2 vs check -j1" 0.99 \
        "\"$ssmc\" check --shellcheck=off --pyflakes=off -j 2 \"$corpus\"" "\"$ssmc\" check --shellcheck=off --pyflakes=off -j 1 \"$corpus\"" wall
else
    echo "corpus: not found (set SSMC_CORPUS=DIR)"
fi

"$tools/gen_docs" big "$work/big.yaml" 10
"$tools/gen_docs" big "$work/big.json" 10
row "10 MB script-heavy YAML, check vs floor" 3 \
    "\"$ssmc\" check --shellcheck=off --pyflakes=off \"$work/big.yaml\"" "\"$tools/yaml_floor\" \"$work/big.yaml\""
row "10 MB JSON, check vs jansson json_load_file" 1.0 \
    "\"$ssmc\" check --shellcheck=off --pyflakes=off \"$work/big.json\"" "\"$tools/json_floor\" \"$work/big.json\""
row "10 MB JSON, compile vs check" 1.3 \
    "\"$ssmc\" compile --shellcheck=off --pyflakes=off \"$work/big.json\"" "\"$ssmc\" check --shellcheck=off --pyflakes=off \"$work/big.json\""
row "10 MB YAML, compile vs check" 1.3 \
    "\"$ssmc\" compile --shellcheck=off --pyflakes=off \"$work/big.yaml\"" "\"$ssmc\" check --shellcheck=off --pyflakes=off \"$work/big.yaml\""

# The ShellCheck rows run pyflakes off: they measure ShellCheck's share
# (the baseline of the first-run row, an ssmc from before pyflakes, runs
# none), and pyflakes gets a row of its own.
if [ "${BENCH_SC:-1}" != 0 ] && command -v shellcheck >/dev/null 2>&1 && [ -n "$corpus" ]; then
    cache=$work/cache
    XDG_CACHE_HOME=$cache "$ssmc" check --pyflakes=off -j 1 "$corpus" >/dev/null 2>&1 || true
    row "corpus, ShellCheck on, second identical run vs SC off" 2 \
        "env XDG_CACHE_HOME=\"$cache\" \"$ssmc\" check --pyflakes=off -j 1 \"$corpus\"" \
        "\"$ssmc\" check --shellcheck=off --pyflakes=off -j 1 \"$corpus\""
    base="\"$ssmc\" check --no-cache --pyflakes=off -j 1 \"$corpus\""
    [ -n "${BENCH_BASE:-}" ] && base="\"$BENCH_BASE\" check -j 1 \"$corpus\""
    row "corpus, ShellCheck on, first run (empty cache) vs $( [ -n "${BENCH_BASE:-}" ] && echo BENCH_BASE || echo --no-cache)" 0.6 \
        "sh -c 'rm -rf \"$cache\"; XDG_CACHE_HOME=\"$cache\" exec \"$ssmc\" check --pyflakes=off -j 1 \"$corpus\"'" \
        "$base"
    if command -v pyflakes3 >/dev/null 2>&1 || command -v pyflakes >/dev/null 2>&1; then
        XDG_CACHE_HOME=$cache "$ssmc" check -j 1 "$corpus" >/dev/null 2>&1 || true
        row "corpus, ShellCheck and pyflakes on, second identical run vs both off" 2 \
            "env XDG_CACHE_HOME=\"$cache\" \"$ssmc\" check -j 1 \"$corpus\"" \
            "\"$ssmc\" check --shellcheck=off --pyflakes=off -j 1 \"$corpus\""
    fi
fi
echo "wall/cpu: medians (s) of the candidate, then of its baseline; ratio = candidate / baseline; the verdict compares the ratio named in parentheses with the target"
