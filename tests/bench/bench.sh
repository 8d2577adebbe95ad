#!/bin/sh
# The benchmark: prints figures, asserts nothing (performance requirements
# live here, never in timed tests).
#
# usage: tests/bench/bench.sh [BUILD_DIR] [N_DOCS]
#   environment: SSMC_CORPUS=DIR   the real corpus (default: shared/corpus/real
#                                  found next to the checkout)
#                BENCH_JOBS=N      workers for the -j rows (default: nproc)
#                BENCH_SIZES="1 10 100"  sizes of the single documents, MB
#                BENCH_SC_MAX_MB=N  single documents larger than N MB are
#                                  measured with ShellCheck off only (with it
#                                  on, a 100 MB document takes ShellCheck many
#                                  minutes); default: no limit
#
# For `ssmc check`, with ShellCheck off and on (when a shellcheck is
# installed), it reports documents per second, MB per second, peak RSS (of
# the largest process, as a multiple of the input), and the ratio to a bare
# libyaml event parse of the same bytes (the floor every YAML reader pays),
# measured in the same run: on N_DOCS (10,000) generated documents, on single
# documents of 1, 10 and 100 MB, and on the real corpus; then time per MB
# across sizes (linear scaling) and one small document, process start to exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
ndocs=${2:-10000}
jobs=${BENCH_JOBS:-$(nproc)}
sizes=${BENCH_SIZES:-1 10 100}
sc_max_mb=${BENCH_SC_MAX_MB:-}
ssmc=$build/ssmc
tools=$build/tests
. "$here/lib.sh"
bench_need bench "$ssmc" "$tools/gen_docs" "$tools/yaml_floor" "$tools/runstat"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=$(bench_corpus)
sc_modes=off
command -v shellcheck >/dev/null 2>&1 && sc_modes="off auto"

mb_of() { du -sbL "$@" | awk '{s += $1} END {printf "%.3f", s / 1048576}'; }

# row LABEL DOCS MB "secs kib exit" "floor_secs ..."
row() {
    echo "$4 $5" | awk -v label="$1" -v n="$2" -v mb="$3" '{
        secs = $1; kib = $2; rc = $3; cpu = $4; floor = $5; floor_cpu = $8
        rss = kib / 1024
        dps = secs > 0 ? n / secs : 0; mbps = secs > 0 ? mb / secs : 0
        xin = mb > 0 ? rss / mb : 0; xfl = floor > 0 ? secs / floor : 0
        cxfl = floor_cpu > 0 ? cpu / floor_cpu : 0
        st = rc < 3 ? "ok" : "EXIT" rc
        printf "%-36s %6d %8.2f %8.0f %7.1f %8.1f %6.1f %6.2f %6.2f %4s\n", label, n, mb, dps, mbps, rss, xin, xfl, cxfl, st }'
}

# Fastest of $runs runs (the figure least disturbed by other load); the
# 100 MB documents and every ShellCheck-on row run once (those take
# minutes, nearly all of it in ShellCheck: a best of 3 adds nothing).
stat() {
    r=$runs
    case "$*" in *--shellcheck=auto*) r=1 ;; esac
    "$tools/runstat" -r "$r" "$@"
}

# measure LABEL DOCS MB FLOOR_STAT ssmc-check-arguments...
measure() {
    label=$1 n=$2 mb=$3 floor=$4
    shift 4
    row "$label" "$n" "$mb" "$(stat "$ssmc" check "$@")" "$floor"
}

echo "ssmc benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m), $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "shellcheck: $(command -v shellcheck >/dev/null 2>&1 && shellcheck --version | sed -n 's/^version: //p' || echo 'not installed')"
printf '%-36s %6s %8s %8s %7s %8s %6s %6s %6s %4s\n' case docs MB docs/s MB/s peakMiB xinput xfloor cpuxfl rc

mkdir "$work/many"
"$tools/gen_docs" many "$work/many" "$ndocs"
mb=$(mb_of "$work/many")
runs=3
(cd "$work/many" && find . -type f -print0 | sort -z) >"$work/many.list"
floor=$(cd "$work/many" && stat "$tools/yaml_floor" -0 "$work/many.list")
for sc in $sc_modes; do
    for j in 1 "$jobs"; do
        [ "$j" = 1 ] || [ "$jobs" -gt 1 ] || continue
        measure "$ndocs documents, SC $sc, -j$j" "$ndocs" "$mb" "$floor" \
            --shellcheck=$sc -j "$j" "$work/many"
    done
done

for size in $sizes; do
    runs=3
    [ "$size" -lt 50 ] || runs=1
    for ext in yaml json; do
        f=$work/big$size.$ext
        "$tools/gen_docs" big "$f" "$size"
        mb=$(mb_of "$f")
        floor=$(stat "$tools/yaml_floor" "$f")
        for sc in $sc_modes; do
            if [ "$sc" != off ] && [ -n "$sc_max_mb" ] && [ "$size" -gt "$sc_max_mb" ]; then
                echo "one $size MB $ext document, SC $sc: skipped (BENCH_SC_MAX_MB=$sc_max_mb)"
                continue
            fi
            st=$(stat "$ssmc" check --shellcheck=$sc "$f")
            row "one $size MB $ext document, SC $sc" 1 "$mb" "$st" "$floor"
            [ "$sc" = off ] && echo "$size $ext $mb $st" >>"$work/scaling"
        done
    done
    rm -f "$work/big$size.yaml" "$work/big$size.json"
done

if [ -n "$corpus" ] && [ -d "$corpus" ]; then
    find "$corpus" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -print0 >"$work/corpus.list"
    n=$(tr -cd '\0' <"$work/corpus.list" | wc -c)
    mb=$(xargs -0 cat <"$work/corpus.list" | wc -c | awk '{printf "%.3f", $1 / 1048576}')
    runs=3
    floor=$(stat "$tools/yaml_floor" -0 "$work/corpus.list")
    for sc in $sc_modes; do
        for j in 1 "$jobs"; do
            [ "$j" = 1 ] || [ "$jobs" -gt 1 ] || continue
            measure "real corpus, SC $sc, -j$j" "$n" "$mb" "$floor" --shellcheck=$sc -j "$j" "$corpus"
        done
    done
    # Cost per MB by document type (MANIFEST.tsv kind): Automation runbooks
    # should cost no more per MB than Command documents (issue 12).
    if [ -f "$corpus/MANIFEST.tsv" ]; then
        for kind in command automation; do
            awk -F'\t' -v k="$kind" -v dir="$corpus" 'NR > 1 && $6 == k { print dir "/" $1 }' \
                "$corpus/MANIFEST.tsv" >"$work/$kind.files"
            tr '\n' '\0' <"$work/$kind.files" >"$work/$kind.list"
            n=$(wc -l <"$work/$kind.files")
            mb=$(xargs -0 cat <"$work/$kind.list" | wc -c | awk '{printf "%.3f", $1 / 1048576}')
            floor=$(stat "$tools/yaml_floor" -0 "$work/$kind.list")
            # shellcheck disable=SC2046
            measure "real corpus, $kind only, SC off, -j1" "$n" "$mb" "$floor" \
                --shellcheck=off --pyflakes=off -j 1 $(cat "$work/$kind.files")
        done
    fi
else
    echo "real corpus: not found (set SSMC_CORPUS=DIR)"
fi

if [ -f "$work/scaling" ]; then
    for ext in yaml json; do
        awk -v ext="$ext" '$2 == ext { printf "%s%s MB %.1f ms/MB", sep, $1, $4 / $3 * 1000; sep = ", "
                                       if (first == "") first = $4 / $3; last = $4 / $3 }
            END { if (first > 0) printf "  (largest/smallest %.2f)\n", last / first }' \
            "$work/scaling" | sed "s/^/time per MB, $ext, SC off: /"
    done
fi

small=$work/small.yaml
"$tools/gen_docs" many "$work" 1 && mv "$work/doc00000.yaml" "$small"
runs=100
i=0
: >"$work/small.times"
while [ $i -lt $runs ]; do
    "$tools/runstat" "$ssmc" check --shellcheck=off "$small" >>"$work/small.times"
    i=$((i + 1))
done
# (each run separately: the mean and median of single runs, not the minimum)
sort -n "$work/small.times" | awk -v runs=$runs -v bytes="$(wc -c <"$small")" '
    { t[NR] = $1; s += $1 }
    END { printf "one small document (%d bytes, SC off), process start to exit: mean %.2f ms, median %.2f ms (%d runs)\n",
                 bytes, s / NR * 1000, t[int((NR + 1) / 2)] * 1000, runs }'
echo "xinput = peak RSS (largest process) / MB of input (all of a run's documents, which -j1 holds at once)"
echo "xfloor = ssmc wall time / bare libyaml event parse of the same bytes (one process); cpuxfl = the same with CPU time (user + system)"
echo "targets: YAML xfloor <= 1.5, JSON xfloor < 1.0, xinput < 10, flat time per MB, small document < 5 ms"
