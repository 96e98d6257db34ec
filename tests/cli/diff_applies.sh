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
diff -r "$TMP/a/demo" "$TMP/b/demo" >/dev/null || fail "git apply of --diff differs from --fix"
diff -r "$TMP/c/demo" "$TMP/b/demo" >/dev/null || fail "patch -p1 of --diff differs from --fix"

# Fixed point: nothing left to fix.
"$ASYNCFIX" check --diff demo >"$TMP/out" 2>"$TMP/err" || true  # exit 1 when unfixable findings remain
[ ! -s "$TMP/out" ] || fail "a second --diff run still changes files: $(head -5 "$TMP/out")"
finish
