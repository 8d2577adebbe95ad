#!/bin/sh
# The benchmark: prints figures, asserts nothing (performance requirements
# live here, never in timed tests).
#
# usage: tests/bench/bench.sh [BUILD_DIR] [N_DOCS]
#
# For `ssmc check` (ShellCheck off, and on where it applies) it reports
# documents per second, MB per second, peak RSS, and the ratio to a bare
# libyaml event parse of the same bytes (the floor every YAML reader pays),
# measured in the same run: on 10,000 generated documents, on single
# documents of 1, 10 and 100 MB, and on the real corpus next to the repo.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
ndocs=${2:-10000}
ssmc=$build/ssmc
tools=$build/tests
for t in "$ssmc" "$tools/gen_docs" "$tools/yaml_floor" "$tools/runstat"; do
    [ -x "$t" ] || { echo "bench: $t is missing; build first (cmake --build $build)" >&2; exit 3; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mb_of() { du -sbL "$@" | awk '{s += $1} END {printf "%.3f", s / 1048576}'; }
stat_of() { "$tools/runstat" "$@"; }

row() { # label files_count megabytes ssmc_stat floor_stat
    printf '%-34s %7s %9s %9s %10s %10s %8s\n' "$1" "$2" "$3" \
        "$(echo "$4" | awk -v n="$2" '{ if ($1 > 0) printf "%.0f", n / $1; else print "-" }')" \
        "$(echo "$4" | awk -v m="$3" '{ if ($1 > 0) printf "%.1f", m / $1; else print "-" }')" \
        "$(echo "$4" | awk '{ printf "%.1f", $2 / 1024 }')" \
        "$(echo "$4 $5" | awk '{ if ($4 > 0) printf "%.2f", $1 / $4; else print "-" }')"
}

echo "ssmc benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores)"
printf '%-34s %7s %9s %9s %10s %10s %8s\n' case docs MB docs/s MB/s peak-MiB xfloor

mkdir "$work/many"
"$tools/gen_docs" many "$work/many" "$ndocs"
mb=$(mb_of "$work/many")
floor=$(stat_of "$tools/yaml_floor" "$work"/many/*)
row "$ndocs documents, ShellCheck off" "$ndocs" "$mb" "$(stat_of "$ssmc" check --shellcheck=off "$work/many")" "$floor"
for size in 1 10 100; do
    "$tools/gen_docs" big "$work/big$size.yaml" "$size"
    "$tools/gen_docs" big "$work/big$size.json" "$size"
    for ext in yaml json; do
        f=$work/big$size.$ext
        mb=$(mb_of "$f")
        row "one ${size} MB $ext document" 1 "$mb" "$(stat_of "$ssmc" check --shellcheck=off "$f")" "$(stat_of "$tools/yaml_floor" "$f")"
    done
done
corpus=$here/../../../shared/corpus/real
if [ -d "$corpus" ]; then
    n=$(find "$corpus" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) | wc -l)
    mb=$(mb_of "$corpus")
    floor=$(find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | xargs -0 "$tools/runstat" "$tools/yaml_floor")
    row "real corpus, ShellCheck off" "$n" "$mb" "$(stat_of "$ssmc" check --shellcheck=off "$corpus")" "$floor"
    if command -v shellcheck >/dev/null 2>&1; then
        row "real corpus, ShellCheck on" "$n" "$mb" "$(stat_of "$ssmc" check --shellcheck=auto "$corpus")" "$floor"
    fi
fi
small=$here/../../stdlib-docs/run-shell-script.yaml
total=0
runs=50
i=0
while [ $i -lt $runs ]; do
    s=$(stat_of "$ssmc" check --shellcheck=off "$small" | awk '{print $1}')
    total=$(echo "$total $s" | awk '{printf "%.6f", $1 + $2}')
    i=$((i + 1))
done
echo "one small document, process start to exit: $(echo "$total $runs" | awk '{printf "%.2f", $1 / $2 * 1000}') ms (mean of $runs runs)"
echo "xfloor = ssmc time / bare libyaml event parse of the same bytes; targets: YAML <= 1.5, JSON < 1.0"
