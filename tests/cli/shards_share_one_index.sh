#!/usr/bin/env bash
# The shard workflow of docs/ci.md, run as its YAML says (its `run:` lines, in order, each
# shard of the matrix): one job exports the project index, the shards check with it and
# export their fixes, one job applies them. The files end as one `check --fix` leaves them;
# each shard's findings are the ones a whole run gives its files; an index made from other
# contents or options is refused, naming the file.
source "$(dirname "$0")/lib.sh"

make_project() {
  local d=$1
  mkdir -p "$d/app"
  printf '[tool.asyncfix]\n' > "$d/pyproject.toml"
  : > "$d/app/__init__.py"
  printf 'import time\n\n\ndef nap():\n    time.sleep(1)\n' > "$d/app/helpers.py"
  for i in $(seq 1 12); do
    printf 'import time\n\nfrom app.helpers import nap\n\n\nasync def h%s():\n    nap()\n    time.sleep(%s)\n' "$i" "$i" > "$d/app/m$i.py"
  done
}
make_project "$TMP/single"
make_project "$TMP/ci"
(cd "$TMP/single" && "$ASYNCFIX" check --no-cache --no-progress --fix . > /dev/null 2>&1 || true)
(cd "$TMP/single" && "$ASYNCFIX" check --no-cache --no-progress . > "$TMP/single.txt" 2>&1 || true)

# The `run:` lines of the YAML in docs/ci.md's sharding section.
sed -n '/^## Sharding a monorepo/,/^## /p' "$SOURCE_DIR/docs/ci.md" | sed -n 's/^ *- run: //p' > "$TMP/runs"
[ "$(wc -l < "$TMP/runs")" = 3 ] || fail "docs/ci.md's sharding YAML does not have its three run: lines: $(cat "$TMP/runs")"
shards=$(sed -n '/^## Sharding a monorepo/,/^## /p' "$SOURCE_DIR/docs/ci.md" | sed -n 's/^ *shard: \[\(.*\)\]/\1/p' | tr -d ',')
[ -n "$shards" ] || fail "no shard matrix in docs/ci.md"
mkdir -p "$TMP/bin"
ln -s "$ASYNCFIX" "$TMP/bin/asyncfix"
run_line() {  # run_line LINE [SHARD]
  local line=${1//\$\{\{ matrix.shard \}\}/${2:-}}
  (cd "$TMP/ci" && PATH="$TMP/bin:$PATH" bash -c "$line" >> "$TMP/ci.out" 2>> "$TMP/ci.err") || true
}
run_line "$(sed -n 1p "$TMP/runs")"
[ -s "$TMP/ci/asyncfix-index.bin" ] || fail "the index job wrote no index: $(cat "$TMP/ci.err")"
expect_contains "$TMP/ci.err" "Wrote asyncfix-index.bin:"
for k in $shards; do
  (cd "$TMP/ci" && PATH="$TMP/bin:$PATH" asyncfix check --no-progress --index asyncfix-index.bin --shard "$k/4" -v . \
     > "$TMP/shard$k.txt" 2> "$TMP/shard$k.err") || true
  grep -q "summaries" "$TMP/shard$k.err" || true
  run_line "$(sed -n 2p "$TMP/runs")" "$k"
  [ -f "$TMP/ci/fixes-$k.json" ] || fail "shard $k exported no fixes: $(tail -3 "$TMP/ci.err")"
done
# The shards' findings, together, are the whole run's.
cat "$TMP"/shard?.txt | grep '^app/' | sort > "$TMP/sharded_findings"
(cd "$TMP/ci" && "$ASYNCFIX" check --no-cache --no-progress . 2>/dev/null || true) | grep '^app/' | sort > "$TMP/whole_findings"
cmp -s "$TMP/sharded_findings" "$TMP/whole_findings" || fail "the shards' findings differ from a whole run's: $(diff "$TMP/sharded_findings" "$TMP/whole_findings" | head -5)"
grep -q 'AF108' "$TMP/sharded_findings" || fail "no cross-file finding in the shards"
run_line "$(sed -n 3p "$TMP/runs")"
rm -f "$TMP/ci/asyncfix-index.bin" "$TMP"/ci/fixes-*.json
diff -r -x .asyncfix_cache "$TMP/single" "$TMP/ci" > /dev/null || fail "index + shards + apply differs from one --fix run: $(diff -r -x .asyncfix_cache "$TMP/single" "$TMP/ci" | head -5)"

# Refused: other contents (the file named), other options, not an index.
make_project "$TMP/r"
cd "$TMP/r"
expect_exit 0 "$ASYNCFIX" index --export idx.bin .
printf '# changed\n' >> app/m3.py
expect_exit 2 "$ASYNCFIX" check --index idx.bin .
expect_contains "$TMP/err" "idx.bin was made from other file contents: app/m3.py has changed since"
cp -r app "$TMP/app_before"
expect_exit 2 "$ASYNCFIX" check --fix --index idx.bin .
expect_contains "$TMP/err" "idx.bin was made from other file contents: app/m3.py has changed since"
diff -r "$TMP/app_before" app > /dev/null || fail "check --fix with a stale index changed files"
expect_exit 2 "$ASYNCFIX" check --index idx.bin --select AF101 .
expect_contains "$TMP/err" "was made with other options"
printf 'x' > bogus.bin
expect_exit 2 "$ASYNCFIX" check --index bogus.bin .
expect_contains "$TMP/err" "bogus.bin is not an index written by"
expect_exit 0 "$ASYNCFIX" index --export idx.bin .
expect_exit 1 "$ASYNCFIX" check --no-cache --index idx.bin -v .
expect_contains "$TMP/err" "(13 summaries, 13 of them taken from idx.bin)"
finish
