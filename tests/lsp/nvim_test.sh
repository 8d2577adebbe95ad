#!/bin/sh
# The language server in a real editor: Neovim (headless, its built-in LSP
# client) opens tests/lsp/data/basic.yaml and the diagnostics it received are
# compared with tests/lsp/nvim_expected.txt; the text after Neovim applied the
# fix-all action must be what `ssmc check --fix` writes for the text before.
# Exit 77 (skipped) without nvim.
# usage: nvim_test.sh SSMC
set -u
ssmc=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v nvim >/dev/null 2>&1 || { echo "nvim is not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/data/basic.yaml" "$work/doc.yaml"
# A home of its own: no user configuration, plugins or state.
HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_STATE_HOME=$work/state \
XDG_CACHE_HOME=$work/cache SSMC=$ssmc DOC=$work/doc.yaml OUT=$work/report.txt \
BEFORE=$work/before.yaml AFTER=$work/after.yaml \
    timeout 60 nvim --headless --clean -n -c "luafile $here/nvim_test.lua" >"$work/nvim.log" 2>&1
status=$?
if [ ! -f "$work/report.txt" ]; then
    echo "Neovim wrote no report (exit $status):"
    cat "$work/nvim.log"
    exit 1
fi
if ! diff -u "$here/nvim_expected.txt" "$work/report.txt"; then
    echo "the diagnostics Neovim received differ from nvim_expected.txt"
    exit 1
fi
# Neovim writes the buffer's lines, each with a newline: so does the
# document, so check --fix of "before" must give "after" byte for byte.
cp "$work/before.yaml" "$work/fixed.yaml"
"$ssmc" check --fix --shellcheck=off --pyflakes=off "$work/fixed.yaml" >/dev/null 2>&1
case $? in 0|1) ;; *) echo "ssmc check --fix failed"; exit 1 ;; esac
if ! diff -u "$work/fixed.yaml" "$work/after.yaml"; then
    echo "the fix-all edit Neovim applied differs from what ssmc check --fix writes"
    exit 1
fi
