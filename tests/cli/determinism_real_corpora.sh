#!/usr/bin/env bash
# The output is byte-identical whatever --jobs is, on real corpora: Python's standard
# library and Debian's dist-packages (all rules, findings and the diff of every fix).
source "$(dirname "$0")/lib.sh"

for corpus in /usr/lib/python3.11 /usr/lib/python3/dist-packages; do
  [ -d "$corpus" ] || continue
  for mode in "" "--diff --unsafe-fixes"; do
    # shellcheck disable=SC2086
    "$ASYNCFIX" check $mode --no-progress --jobs 1 "$corpus" > "$TMP/j1.out" 2> "$TMP/j1.err" || true
    # shellcheck disable=SC2086
    "$ASYNCFIX" check $mode --no-progress --jobs 2 "$corpus" > "$TMP/j2.out" 2> "$TMP/j2.err" || true
    cmp -s "$TMP/j1.out" "$TMP/j2.out" || fail "$corpus ($mode): stdout differs between --jobs 1 and --jobs 2"
    cmp -s "$TMP/j1.err" "$TMP/j2.err" || fail "$corpus ($mode): stderr differs between --jobs 1 and --jobs 2"
    [ -s "$TMP/j1.out" ] || fail "$corpus ($mode): no output at all"
  done
done
finish
