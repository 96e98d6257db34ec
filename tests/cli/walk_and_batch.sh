#!/usr/bin/env bash
# Walking (ignore files, excludes, --files-from), sharding, --export-fixes + apply,
# determinism across --jobs, and the baseline.
source "$(dirname "$0")/lib.sh"

make_tree() {  # make_tree DIR: a small repository with ignore files
  local d=$1
  mkdir -p "$d/src/pkg" "$d/build" "$d/gen" "$d/vendor/lib" "$d/docs"
  for f in src/a.py src/pkg/b.py build/out.py gen/g1.py gen/keep.py vendor/lib/v.py docs/d.py src/pkg/c.py; do
    printf 'import time\n\nasync def f():\n    time.sleep(1)\n' > "$d/$f"
  done
  printf 'build/\n*.log\n' > "$d/.gitignore"
  printf 'gen/*.py\n!gen/keep.py\n/vendor\n' > "$d/.ignore"
  printf 'c.py\n' > "$d/src/pkg/.ignore"
}

# .gitignore in a git work tree, .ignore (negation, anchoring, nested) anywhere
make_tree "$TMP/repo"
git -C "$TMP/repo" init -q
expect_exit 1 "$ASYNCFIX" check "$TMP/repo"
expect_contains "$TMP/out" "src/a.py:4:5"
expect_contains "$TMP/out" "src/pkg/b.py:4:5"
expect_contains "$TMP/out" "gen/keep.py:4:5"
expect_contains "$TMP/out" "docs/d.py:4:5"
for gone in build/out.py gen/g1.py vendor/lib/v.py src/pkg/c.py; do expect_not_contains "$TMP/out" "$gone"; done
# --no-ignore-files takes them all; a file named on the command line is taken anyway
expect_exit 1 "$ASYNCFIX" check --no-ignore-files "$TMP/repo"
expect_contains "$TMP/out" "build/out.py"
expect_contains "$TMP/out" "src/pkg/c.py"
expect_exit 1 "$ASYNCFIX" check "$TMP/repo/build/out.py"
expect_contains "$TMP/out" "build/out.py"
# outside git, .gitignore is not git's business (ripgrep's rule), .ignore still is
make_tree "$TMP/plain"
expect_exit 1 "$ASYNCFIX" check "$TMP/plain"
expect_contains "$TMP/out" "build/out.py"
expect_not_contains "$TMP/out" "gen/g1.py"
# --exclude
expect_exit 1 "$ASYNCFIX" check --exclude 'docs' "$TMP/repo"
expect_not_contains "$TMP/out" "docs/d.py"

# --files-from, from a file and from stdin (as `git ls-files` prints them)
(cd "$TMP/repo" && printf 'src/a.py\nREADME.md\ndocs/d.py\n' > list.txt)
(cd "$TMP/repo" && expect_exit 1 "$ASYNCFIX" check --files-from list.txt)
expect_contains "$TMP/out" "src/a.py:4:5"
expect_contains "$TMP/out" "docs/d.py:4:5"
expect_not_contains "$TMP/out" "b.py"
(cd "$TMP/repo" && printf 'src/pkg/b.py\n' | "$ASYNCFIX" check --files-from - >"$TMP/out" 2>"$TMP/err" || true)
expect_contains "$TMP/out" "src/pkg/b.py:4:5"

# unreadable and binary files are skipped with the reason; the run goes on
mkdir -p "$TMP/mixed"
printf 'import time\n\nasync def f():\n    time.sleep(1)\n' > "$TMP/mixed/ok.py"
printf '\x00\x01\x02binary' > "$TMP/mixed/bin.py"
printf 'x = "\xff\xfe"\n' > "$TMP/mixed/latin.py"
expect_exit 1 "$ASYNCFIX" check "$TMP/mixed"
expect_contains "$TMP/out" "ok.py:4:5: AF101"
expect_contains "$TMP/err" "bin.py:1: skipped: binary file"
expect_contains "$TMP/err" "latin.py:1:6: skipped: not valid UTF-8"
expect_contains "$TMP/out" "2 files skipped"

# shards: disjoint, together everything; export + apply == --fix
mkdir -p "$TMP/many"
for i in $(seq 1 40); do
  printf 'import time\nimport os\n\nasync def f%s(p):\n    time.sleep(1)\n    return os.path.exists(p)\n' "$i" > "$TMP/many/m$i.py"
done
cp -r "$TMP/many" "$TMP/single"
cp -r "$TMP/many" "$TMP/sharded"
(cd "$TMP/single" && "$ASYNCFIX" check --fix . >/dev/null 2>&1 || true)
for k in 1 2 3; do
  (cd "$TMP/sharded" && "$ASYNCFIX" check --shard $k/3 . > "$TMP/shard$k.txt" 2>/dev/null || true)
  (cd "$TMP/sharded" && "$ASYNCFIX" check --shard $k/3 --export-fixes "$TMP/fix$k.json" . >/dev/null 2>&1 || true)
done
cat "$TMP"/shard?.txt | grep -o 'm[0-9]*\.py' | sort -u | wc -l | grep -qx 40 || fail "shards do not cover the 40 files"
[ "$(cat "$TMP"/shard?.txt | grep -c 'AF101')" = 40 ] || fail "shards overlap or miss files"
(cd "$TMP/sharded" && expect_exit 0 "$ASYNCFIX" apply "$TMP/fix1.json" "$TMP/fix2.json" "$TMP/fix3.json")
diff -r -x .asyncfix_cache "$TMP/single" "$TMP/sharded" >/dev/null || fail "sharded export + apply differs from one --fix run"
# a file changed since the export is refused, not clobbered
cp -r "$TMP/many" "$TMP/changed"
(cd "$TMP/changed" && "$ASYNCFIX" check --export-fixes "$TMP/all.json" . >/dev/null 2>&1 || true)
echo "# edited" >> "$TMP/changed/m7.py"
(cd "$TMP/changed" && expect_exit 1 "$ASYNCFIX" apply "$TMP/all.json")
expect_contains "$TMP/err" "m7.py: refused"
expect_contains "$TMP/changed/m7.py" "time.sleep(1)"
expect_contains "$TMP/changed/m8.py" "await asyncio.sleep(1)"
expect_exit 2 "$ASYNCFIX" check --shard 4/3 "$TMP/many"
expect_exit 2 "$ASYNCFIX" apply "$TMP/nope.json"

# --jobs does not change the output
"$ASYNCFIX" check --jobs 1 "$TMP/many" > "$TMP/j1.txt" 2>&1 || true
"$ASYNCFIX" check --jobs 3 "$TMP/many" > "$TMP/j3.txt" 2>&1 || true
cmp -s "$TMP/j1.txt" "$TMP/j3.txt" || fail "--jobs 1 and --jobs 3 differ"

# baseline: created with what exists (--update-baseline), then only new findings count
cp -r "$TMP/many" "$TMP/base"
(cd "$TMP/base" && expect_exit 0 "$ASYNCFIX" check --baseline bl.json --update-baseline .)
expect_contains "$TMP/err" "Wrote the baseline bl.json (80 findings)"
(cd "$TMP/base" && expect_exit 0 "$ASYNCFIX" check --baseline bl.json .)
expect_contains "$TMP/out" "All checks passed"
expect_contains "$TMP/out" "80 known findings hidden by the baseline"
printf '\n\nasync def g():\n    time.sleep(2)\n' >> "$TMP/base/m3.py"
(cd "$TMP/base" && expect_exit 1 "$ASYNCFIX" check --baseline bl.json .)
expect_contains "$TMP/out" "m3.py:10:5: AF101"
expect_contains "$TMP/out" "Found 1 finding"
# known findings are not fixed either
(cd "$TMP/base" && expect_exit 0 "$ASYNCFIX" check --baseline bl.json --fix .)
expect_contains "$TMP/base/m3.py" "await asyncio.sleep(2)"
expect_contains "$TMP/base/m3.py" "    time.sleep(1)"
printf '{"schema": "other"}' > "$TMP/badbl.json"
expect_exit 2 "$ASYNCFIX" check --baseline "$TMP/badbl.json" "$TMP/many"

# Symlinks inside a walked tree are not followed (out of the root, or into a loop)
mkdir -p "$TMP/outside" "$TMP/rooted/src"
printf 'import time\n\nasync def f():\n    time.sleep(1)\n' > "$TMP/outside/o.py"
cp "$TMP/outside/o.py" "$TMP/rooted/src/in.py"
ln -s "$TMP/outside" "$TMP/rooted/src/link_dir"
ln -s "$TMP/outside/o.py" "$TMP/rooted/src/link.py"
ln -s .. "$TMP/rooted/src/loop"
expect_exit 1 "$ASYNCFIX" check "$TMP/rooted"
expect_contains "$TMP/out" "src/in.py:4:5"
expect_not_contains "$TMP/out" "o.py"
expect_not_contains "$TMP/out" "link"
expect_not_contains "$TMP/out" "src/loop"
finish
