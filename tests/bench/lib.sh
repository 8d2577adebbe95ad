# lib.sh — sourced by the benchmark scripts (bench.sh, targets.sh); needs
# $here (tests/bench) and $build set.

# bench_need NAME TOOL...: every TOOL must be built, or NAME says so (exit 3).
bench_need() {
    name=$1
    shift
    for t in "$@"; do
        [ -x "$t" ] || { echo "$name: $t is missing; build first (cmake --build $build)" >&2; exit 3; }
    done
}

# bench_corpus: the real corpus (SSMC_CORPUS, else shared/corpus/real next
# to the checkout), or nothing.
bench_corpus() {
    if [ -n "${SSMC_CORPUS:-}" ]; then
        echo "$SSMC_CORPUS"
        return
    fi
    for c in "$here/../../../shared/corpus/real" "$here/../../../../shared/corpus/real"; do
        [ -d "$c" ] && { (cd "$c" && pwd); return; }
    done
}
