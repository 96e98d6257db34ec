#!/usr/bin/env bash
# kill -9 in the middle of a --fix run over many files: every file is then either exactly
# its old version or exactly its new one, never truncated or mixed.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/orig"
for i in $(seq 1 1500); do
  printf 'import time\n\n\nasync def f%d():\n    time.sleep(%d)\n    return %d\n' "$i" "$i" "$i" > "$TMP/orig/m$i.py"
done
cp -r "$TMP/orig" "$TMP/ref"
"$ASYNCFIX" check --fix --no-progress "$TMP/ref" >/dev/null 2>&1 || true
cmp -s "$TMP/orig/m1.py" "$TMP/ref/m1.py" && { fail "the reference run fixed nothing"; finish; }

# How long a whole run takes, to kill at different points of it.
start=$(date +%s%N)
cp -r "$TMP/orig" "$TMP/timing"
"$ASYNCFIX" check --fix --no-progress "$TMP/timing" >/dev/null 2>&1 || true
total_ms=$(( ($(date +%s%N) - start) / 1000000 ))

partial=0
for frac in 10 30 50 70 90; do
  rm -rf "$TMP/w"
  cp -r "$TMP/orig" "$TMP/w"
  "$ASYNCFIX" check --fix --no-progress "$TMP/w" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v t="$total_ms" -v f="$frac" 'BEGIN { printf "%.3f", t * f / 100000 }')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  old=0 new=0
  for i in $(seq 1 1500); do
    f="$TMP/w/m$i.py"
    if cmp -s "$f" "$TMP/orig/m$i.py"; then old=$((old + 1))
    elif cmp -s "$f" "$TMP/ref/m$i.py"; then new=$((new + 1))
    else fail "killed at ${frac}%: m$i.py is neither the old nor the new version"; fi
  done
  [ "$old" -gt 0 ] && [ "$new" -gt 0 ] && partial=$((partial + 1))
  echo "killed at ~${frac}% of ${total_ms} ms: $new new, $old old"
done
# At least one kill must have landed mid-run, or the test proved nothing.
[ "$partial" -gt 0 ] || fail "no kill landed in the middle of the writes"
finish
