#!/bin/sh
# Builds the seed corpus of one fuzz target from the golden cases (and,
# when given, the real-document corpus): each document becomes one seed,
# prefixed with the option byte(s) that target reads first.
#
# usage: make_corpus.sh TARGET GOLDEN_DIR OUT_DIR [CORPUS_DIR [EVERY]]
#   load      option byte \001 JSON, \000 YAML (fuzz_load.c)
#   check     option byte \002 JSON, \001 YAML (fuzz_check.c)
#   json      the JSON documents as they are (fuzz_json.c)
#   schedule  every expression of the golden schedule cases (fuzz_schedule.c)
#   compile   option byte \001 JSON, \000 YAML, and \021 / \020 (checked
#             first) (fuzz_compile.c)
#   scriptmap option byte \001 JSON, \000 YAML (fuzz_scriptmap.c)
#   lsp       the client's side of each scripted session tests/lsp/*.lsp,
#             framed, and a session opening each document (fuzz_lsp.c)
#   host      the iac suite's templates, .tf files and plans, with the host
#             kind as option byte (fuzz_host.c)
#   plan      option byte (platforms, \010 JSON), the parameter values, NUL:
#             once with every default, once with empty text for the first
#             two parameters and a typed empty list for the third (fuzz_plan.c)
# EVERY: only every EVERY-th document of CORPUS_DIR (sorted), the sample the
# bounded CI run starts from; the golden documents are always all taken.
set -eu
target=$1
golden=$2
out=$3
corpus=${4:-}
every=${5:-1}
rm -rf "$out"
mkdir -p "$out"
n=0

seed() { # FILE PREFIX
    n=$((n + 1))
    printf "$2" > "$out/seed-$n"
    cat "$1" >> "$out/seed-$n"
}

documents() {
    for f in "$golden"/*/*/input.* "$golden"/*/*/*.yaml "$golden"/*/*/*.json "$golden"/*/*/stdin; do
        [ -f "$f" ] && echo "$f"
    done | sort -u
    if [ -n "$corpus" ] && [ -d "$corpus" ]; then
        find "$corpus" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) | sort |
            awk -v every="$every" '(NR - 1) % every == 0'
    fi
}

case "$target" in
lsp)
    client=$golden/../lsp/lsp_client.py
    for f in "$golden"/../lsp/*.lsp; do
        n=$((n + 1))
        python3 "$client" --frames "$f" > "$out/seed-$n"
    done
    documents | awk -v every=8 '(NR - 1) % every == 0' | while IFS= read -r f; do
        n=$((n + 1))
        python3 "$client" --frames-open "$f" > "$out/seed-$n"
        echo "$n" > "$out/.count"
    done
    ;;
load|check)
    if [ "$target" = load ]; then j='\001'; y='\000'; else j='\002'; y='\001'; fi
    documents | while IFS= read -r f; do
        case "$f" in *.json) seed "$f" "$j" ;; *) seed "$f" "$y" ;; esac
        echo "$n" > "$out/.count"
    done
    ;;
compile)
    documents | while IFS= read -r f; do
        case "$f" in
        *.json) seed "$f" '\001'; seed "$f" '\021' ;;
        *) seed "$f" '\000'; seed "$f" '\020' ;;
        esac
        echo "$n" > "$out/.count"
    done
    ;;
scriptmap)
    documents | while IFS= read -r f; do
        case "$f" in *.json) seed "$f" '\001' ;; *) seed "$f" '\000' ;; esac
        echo "$n" > "$out/.count"
    done
    ;;
plan)
    documents | while IFS= read -r f; do
        case "$f" in
        *.json) seed "$f" '\011\000'; seed "$f" '\017t\037t\037v[]\000' ;;
        *) seed "$f" '\001\000'; seed "$f" '\047t\037t\037v[]\000' ;;
        esac
        echo "$n" > "$out/.count"
    done
    ;;
host)
    # the host files of the iac suite: \000 YAML template, \001 JSON
    # template, \002 .tf, \003 plan (fuzz_host.c)
    for f in "$golden"/iac/*/input.* "$golden"/iac/*/*.tf; do
        [ -f "$f" ] || continue
        case "$f" in
        *plan*/input.json) seed "$f" '\003' ;;
        *.json) seed "$f" '\001' ;;
        *.tf) seed "$f" '\002' ;;
        *) seed "$f" '\000' ;;
        esac
        echo "$n" > "$out/.count"
    done
    ;;
json)
    documents | while IFS= read -r f; do
        case "$f" in *.json) seed "$f" '' ; echo "$n" > "$out/.count" ;; esac
    done
    ;;
schedule)
    for a in "$golden"/*/*/args; do
        [ -f "$a" ] || continue
        grep -E '^(cron|rate|at)\(|^[0-9*]' "$a" || true
    done | sort -u | while IFS= read -r e; do
        n=$((n + 1))
        printf '\000\000\000%s' "$e" > "$out/seed-$n"
        n=$((n + 1))
        printf '\001\002\003%s' "$e" > "$out/seed-$n"
        echo "$n" > "$out/.count"
    done
    ;;
*)
    echo "make_corpus.sh: unknown target '$target'" >&2
    exit 2
    ;;
esac
echo "$(cat "$out/.count" 2>/dev/null || echo 0) seeds for $target in $out"
rm -f "$out/.count"
