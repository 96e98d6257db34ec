#!/usr/bin/env bash
# A rule named alone is the rule (issue 15, items 8 and 16): `--select AF602` (or `AF6`, or its
# name) finds what it finds with every rule on (it fired only when AF108 was selected too);
# a rule name in a suppression comment suppresses (it was ignored and reported as unused).
source "$(dirname "$0")/lib.sh"

cp -r "$SOURCE_DIR/corpus/demo" "$TMP/demo"
cd "$TMP/demo"
"$ASYNCFIX" check --no-progress . > "$TMP/all.txt" 2>&1 || true
grep -E "^[^ ]+: AF602 " "$TMP/all.txt" | sort > "$TMP/want.txt" || true
[ -s "$TMP/want.txt" ] || fail "the demo has no AF602 finding with every rule on: the test needs one"
for sel in AF602 AF6 async-session-migration; do
  "$ASYNCFIX" check --no-progress --select "$sel" . > "$TMP/sel.txt" 2>&1 || true
  grep -E "^[^ ]+: AF602 " "$TMP/sel.txt" | sort > "$TMP/got.txt" || true
  cmp -s "$TMP/want.txt" "$TMP/got.txt" || { fail "--select $sel: not the AF602 findings of a full run"; diff "$TMP/want.txt" "$TMP/got.txt" >&2 || true; }
done

mkdir -p "$TMP/sup"
cat > "$TMP/sup/a.py" <<'PY'
import time


async def f():
    time.sleep(1)  # asyncfix: ignore[blocking-sleep]
    time.sleep(2)  # noqa: AF101
    time.sleep(3)  # asyncfix: ignore[blocking-http]
PY
expect_exit 1 "$ASYNCFIX" check --no-progress --report-unused-suppressions "$TMP/sup"
expect_not_contains "$TMP/out" "a.py:5:5: AF101"
expect_not_contains "$TMP/out" "a.py:6:5: AF101"
expect_contains "$TMP/out" "a.py:7:5: AF101"
expect_contains "$TMP/out" "a.py:7:20: AF001"
expect_not_contains "$TMP/out" "a.py:5:20: AF001"
finish
