# lib.sh — sourced by the benchmark scripts (bench.sh, targets.sh; they
# set $here (tests/bench) and $build) and by the same-output tests
# (jobs_same.sh, lint_memo_same.sh; golden_inputs only).

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

# golden_inputs SOURCE_DIR: every YAML and JSON input of the golden suites,
# a line each: its path, a tab, and SUITE-CASE (unique, no blanks).
golden_inputs() {
    for f in "$1"/tests/golden/*/*/input.yaml "$1"/tests/golden/*/*/input.json; do
        [ -f "$f" ] || continue
        case_dir=$(dirname "$f")
        printf '%s\t%s\n' "$f" "$(basename "$(dirname "$case_dir")")-$(basename "$case_dir")"
    done
}
