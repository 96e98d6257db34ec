#!/usr/bin/env bash
# A change set is written whole or not at all (issue 15, item 2, first part): with one file of
# a migration read-only, `migrate --fix` wrote the other files, so routers awaited functions
# that were still sync. Now no file of the change set is written, each says why, exit 2. Fixes
# that stand alone (AF101 in an unrelated file) are still written on their own.
source "$(dirname "$0")/lib.sh"

cp -r "$SOURCE_DIR/corpus/apps/blog" "$TMP/blog"
cp -r "$TMP/blog" "$TMP/orig"
cd "$TMP/blog"
"$ASYNCFIX" migrate async-sqlalchemy --no-progress . > "$TMP/plan.diff" 2>/dev/null || true
changed=$(grep '^+++ b/' "$TMP/plan.diff" | sed 's#^+++ b/##' | sort)
[ "$(echo "$changed" | wc -l)" -ge 3 ] || fail "the migration changes fewer than 3 files: the test needs more"
victim=$(echo "$changed" | tail -1)
chmod 0444 "$victim"
expect_exit 2 "$ASYNCFIX" migrate async-sqlalchemy --no-progress --fix .
expect_contains "$TMP/err" "$victim: error: read-only file, not written"
expect_contains "$TMP/err" "not written: the fixes of a run are written together or not at all, and $victim cannot be written"
chmod 0644 "$victim"
diff -r -x .asyncfix_cache "$TMP/orig" "$TMP/blog" > /dev/null || fail "part of the change set was written: $(diff -rq -x .asyncfix_cache "$TMP/orig" "$TMP/blog" | head -3)"
# Once the file is writable again, the whole migration is written.
expect_exit 1 "$ASYNCFIX" migrate async-sqlalchemy --no-progress --fix .
for f in $changed; do cmp -s "$TMP/orig/$f" "$f" && fail "$f was not migrated"; done

# `apply` of an exported migration: one file changed since the export, and none of the change
# set is written (it wrote the rest); restored, it is written whole; applied again, every file
# already holds its fixed content and is accepted (apply is idempotent).
rm -rf "$TMP/blog" && cp -r "$TMP/orig" "$TMP/blog"
cd "$TMP/blog"
expect_exit 1 "$ASYNCFIX" migrate async-sqlalchemy --no-progress --export-fixes "$TMP/mig.json" .
cp "$victim" "$TMP/victim.bak"
echo "# changed since the export" >> "$victim"
expect_exit 1 "$ASYNCFIX" apply "$TMP/mig.json"
expect_contains "$TMP/err" "$victim: refused the fixes of $TMP/mig.json: the file changed since they were made"
expect_contains "$TMP/err" "not written: the fixes of a change set are written together or not at all, and $victim cannot be"
cp "$TMP/victim.bak" "$victim"
diff -r -x .asyncfix_cache "$TMP/orig" "$TMP/blog" > /dev/null || fail "apply wrote part of a change set: $(diff -rq -x .asyncfix_cache "$TMP/orig" "$TMP/blog" | head -3)"
expect_exit 0 "$ASYNCFIX" apply "$TMP/mig.json"
for f in $changed; do cmp -s "$TMP/orig/$f" "$f" && fail "apply did not write $f"; done
cp -r "$TMP/blog" "$TMP/applied"
expect_exit 0 "$ASYNCFIX" apply "$TMP/mig.json"
expect_contains "$TMP/err" "Applied 0 edits to 0 files; 0 refused (changed files), 0 overlapping, $(echo "$changed" | wc -l) already applied."
diff -r -x .asyncfix_cache "$TMP/applied" "$TMP/blog" > /dev/null || fail "a second apply changed files"
cd "$TMP"

# Independent fixes are not held hostage by an unwritable file.
mkdir -p "$TMP/indep"
printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n' > "$TMP/indep/a.py"
cp "$TMP/indep/a.py" "$TMP/indep/b.py"
chmod 0444 "$TMP/indep/b.py"
expect_exit 2 "$ASYNCFIX" check --no-progress --fix "$TMP/indep"
expect_contains "$TMP/indep/a.py" "await asyncio.sleep(1)"
finish
