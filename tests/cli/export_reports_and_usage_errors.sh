#!/usr/bin/env bash
# --export-fixes still reports (issue 15, item 9: it hid every finding in every format while
# exiting 1, and the CI matrix of docs/ci.md annotates with exactly that command); bad values
# are usage errors (items 12 and 18: -j 100000 aborted, -j -1 and --color bogus were
# accepted, `asyncfix bogus` said "A subcommand is required").
source "$(dirname "$0")/lib.sh"

cp -r "$SOURCE_DIR/corpus/demo" "$TMP/demo"
cd "$TMP/demo"
"$ASYNCFIX" check --no-progress --output-format github . > "$TMP/plain.txt" 2>/dev/null || true
[ -s "$TMP/plain.txt" ] || fail "the demo has no finding: the test needs some"
for fmt in text json sarif github; do
  "$ASYNCFIX" check --no-progress --output-format "$fmt" . > "$TMP/plain.$fmt" 2>/dev/null || true
  expect_exit 1 "$ASYNCFIX" check --no-progress --output-format "$fmt" --export-fixes "$TMP/f.json" .
  case $fmt in
    github) cmp -s "$TMP/plain.$fmt" "$TMP/out" || fail "--export-fixes changed the GitHub annotations" ;;
    json) python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(a['findings']!=b['findings'])" "$TMP/plain.$fmt" "$TMP/out" || fail "--export-fixes changed the JSON findings" ;;
    sarif) python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(a['runs'][0]['results']!=b['runs'][0]['results'])" "$TMP/plain.$fmt" "$TMP/out" || fail "--export-fixes changed the SARIF results" ;;
    text) expect_contains "$TMP/out" "app/auth.py:17:12: AF106" ;;
  esac
  [ -s "$TMP/f.json" ] || fail "--export-fixes wrote no export ($fmt)"
done

expect_exit 2 "$ASYNCFIX" check -j 100000 .
expect_contains "$TMP/err" "--jobs: Value 100000 not in range 0 to 1024"
expect_exit 2 "$ASYNCFIX" check -j -1 .
expect_exit 2 "$ASYNCFIX" check --color bogus .
expect_contains "$TMP/err" "--color: bogus not in {auto,always,never}"
expect_exit 2 "$ASYNCFIX" bogus
expect_contains "$TMP/err" "unknown command 'bogus'"
expect_exit 1 "$ASYNCFIX" check --no-progress -j 0 .
finish
