#!/usr/bin/env bash
# The --diff output is accepted by `git apply` and `patch -p1`, and applying it gives exactly
# the files --fix writes. A second run over the fixed files finds nothing to fix.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/a" "$TMP/b" "$TMP/c"
cp -r "$SOURCE_DIR/corpus/demo" "$TMP/a/demo"
cp -r "$SOURCE_DIR/corpus/demo" "$TMP/b/demo"
cp -r "$SOURCE_DIR/corpus/demo" "$TMP/c/demo"

cd "$TMP/a"
expect_exit 1 "$ASYNCFIX" check --diff demo
cp "$TMP/out" "$TMP/fix.patch"
[ -s "$TMP/fix.patch" ] || fail "empty diff for the demo"
expect_contains "$TMP/fix.patch" "--- a/demo/"
git init -q . && git apply --check "$TMP/fix.patch" || fail "git apply --check refused the diff"
git apply "$TMP/fix.patch" || fail "git apply failed"

cd "$TMP/c"
patch -p1 --dry-run -s < "$TMP/fix.patch" >/dev/null || fail "patch -p1 --dry-run refused the diff"
patch -p1 -s < "$TMP/fix.patch" >/dev/null || fail "patch -p1 failed"

cd "$TMP/b"
set +e
"$ASYNCFIX" check --fix demo >"$TMP/fix.out" 2>&1
set -e
diff -r -x .asyncfix_cache "$TMP/a/demo" "$TMP/b/demo" >/dev/null || fail "git apply of --diff differs from --fix"
diff -r -x .asyncfix_cache "$TMP/c/demo" "$TMP/b/demo" >/dev/null || fail "patch -p1 of --diff differs from --fix"

# Fixed point: nothing left to fix.
"$ASYNCFIX" check --diff demo >"$TMP/out" 2>"$TMP/err" || true  # exit 1 when unfixable findings remain
[ ! -s "$TMP/out" ] || fail "a second --diff run still changes files: $(head -5 "$TMP/out")"
# Issue 15, item 14: paths that leave the working directory (`..`) or are absolute get headers
# that git apply and patch -p1 accept (`a/../x.py` was rejected): absolute, applied from /.
mkdir -p "$TMP/outside/proj" "$TMP/outside/cwd"
printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n' > "$TMP/outside/proj/x.py"
cp -r "$TMP/outside/proj" "$TMP/outside/proj_fixed"
"$ASYNCFIX" check --no-progress --fix "$TMP/outside/proj_fixed/x.py" >/dev/null 2>&1 || true
for how in rel abs; do
  rm -rf "$TMP/outside/try" && cp -r "$TMP/outside/proj" "$TMP/outside/try"
  if [ $how = rel ]; then
    (cd "$TMP/outside/cwd" && "$ASYNCFIX" check --no-progress --diff ../try/x.py > "$TMP/outside/$how.patch" 2>/dev/null) || true
  else
    "$ASYNCFIX" check --no-progress --diff "$TMP/outside/try/x.py" > "$TMP/outside/$how.patch" 2>/dev/null || true
  fi
  expect_not_contains "$TMP/outside/$how.patch" "/../"
  (cd / && git apply --check "$TMP/outside/$how.patch") || fail "git apply rejects the $how diff"
  (cd / && patch -p1 --dry-run -s < "$TMP/outside/$how.patch" >/dev/null) || fail "patch -p1 rejects the $how diff"
  (cd / && patch -p1 -s < "$TMP/outside/$how.patch" >/dev/null) || true
  cmp -s "$TMP/outside/try/x.py" "$TMP/outside/proj_fixed/x.py" || fail "the $how diff does not give what --fix writes"
done
finish
