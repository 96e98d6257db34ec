#!/usr/bin/env bash
# migrate (issue 15, item 15): in diff mode the findings that would remain are listed (on
# stderr: stdout is the patch), not only counted; --output-format reports the migration's
# findings in that format, as the docs promise.
source "$(dirname "$0")/lib.sh"

cp -r "$SOURCE_DIR/corpus/apps/blog" "$TMP/blog"
cd "$TMP/blog"
expect_exit 1 "$ASYNCFIX" migrate async-sqlalchemy --no-progress .
expect_contains "$TMP/err" "1 would remain"
expect_contains "$TMP/err" "Would remain (lines as the diff leaves them):"
expect_contains "$TMP/err" "app/maintenance.py:15:21: AF602"
head -1 "$TMP/out" | grep -q '^--- a/' || fail "stdout is not the patch alone"
git init -q . && git apply --check "$TMP/out" || fail "the migration's diff does not apply"

expect_exit 1 "$ASYNCFIX" migrate async-sqlalchemy --no-progress --output-format json .
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['findings'] and all(f['rule'] in ('AF601','AF602','AF303') for f in d['findings']), d['findings'][:2]" "$TMP/out" \
  || fail "migrate --output-format json: not the migration's findings"
expect_exit 2 "$ASYNCFIX" migrate async-sqlalchemy --diff --output-format json .
finish
