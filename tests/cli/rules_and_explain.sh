#!/usr/bin/env bash
# `asyncfix rules` lists every rule; `asyncfix explain` prints a rule's documentation.
source "$(dirname "$0")/lib.sh"

expect_exit 0 "$ASYNCFIX" rules
expect_contains "$TMP/out" "AF101"
expect_contains "$TMP/out" "blocking-sleep"
expect_exit 0 "$ASYNCFIX" explain AF101
expect_contains "$TMP/out" "# AF101 blocking-sleep"
expect_contains "$TMP/out" "## Why is this bad?"
expect_contains "$TMP/out" "## Fix safety"
expect_exit 0 "$ASYNCFIX" explain blocking-sleep
expect_exit 2 "$ASYNCFIX" explain AF999
expect_contains "$TMP/err" "unknown rule 'AF999'"

# AF303 and AF602 are fixed only by the migration (issue 15, item 18): `rules` and SARIF
# claimed a fix that `check` never applies.
expect_exit 0 "$ASYNCFIX" rules
grep -E '^AF602 .* mig ' "$TMP/out" > /dev/null || fail "rules does not say AF602 is fixed by the migration only"
grep -E '^AF303 .* mig ' "$TMP/out" > /dev/null || fail "rules does not say AF303 is fixed by the migration only"
mkdir -p "$TMP/sarif" && printf 'x = 1\n' > "$TMP/sarif/a.py"
expect_exit 0 "$ASYNCFIX" check --no-progress --output-format sarif "$TMP/sarif"
python3 - "$TMP/out" <<'PY' || fail "SARIF claims a check fix for AF602"
import json, sys
rules = {r["id"]: r for r in json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]}
assert rules["AF602"]["properties"]["fixable"] is False, rules["AF602"]["properties"]
assert rules["AF602"]["properties"]["fixed-by"] == "asyncfix migrate async-sqlalchemy"
assert rules["AF101"]["properties"]["fixable"] is True
PY
expect_exit 0 "$ASYNCFIX" explain AF602
expect_contains "$TMP/out" "by \`asyncfix migrate async-sqlalchemy\` only"
finish
