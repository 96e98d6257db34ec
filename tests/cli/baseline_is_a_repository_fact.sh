#!/usr/bin/env bash
# Baselines (issue 15, items 1, 10, 17 and --update-baseline without --baseline): created only
# by --update-baseline; updating keeps what is still there (the known findings the baseline
# hides included) and drops what is gone; paths are relative to the baseline's directory, so
# it works from any working directory and with absolute paths; a mistyped path is an error.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/repo/app"
for i in 1 2 3; do
  printf 'import time\n\n\nasync def f%s():\n    time.sleep(1)\n    time.sleep(2)\n' "$i" > "$TMP/repo/app/m$i.py"
done
cd "$TMP/repo"

# A mistyped baseline path does not create a baseline that hides everything.
expect_exit 2 "$ASYNCFIX" check --baseline typo.json .
expect_contains "$TMP/err" "typo.json: no such baseline (create it with --update-baseline)"
[ ! -e typo.json ] || fail "a mistyped --baseline path created a file"
expect_exit 2 "$ASYNCFIX" check --update-baseline .
expect_contains "$TMP/err" "--update-baseline rewrites a baseline: name it with --baseline FILE"

# Created by --update-baseline, with every finding.
expect_exit 0 "$ASYNCFIX" check --baseline bl.json --update-baseline .
expect_contains "$TMP/err" "Wrote the baseline bl.json (6 findings)"
# Item 1: updating right away keeps all six (it once wrote 0: the hidden ones were lost).
expect_exit 0 "$ASYNCFIX" check --baseline bl.json --update-baseline .
expect_contains "$TMP/err" "Updated the baseline bl.json (6 findings)"
expect_exit 0 "$ASYNCFIX" check --baseline bl.json .
expect_contains "$TMP/out" "6 known findings hidden by the baseline"
# What is gone is dropped; what is new is added.
printf 'import time\n\n\nasync def f1():\n    time.sleep(1)\n' > app/m1.py
printf '\n\nasync def g():\n    time.sleep(3)\n' >> app/m2.py
expect_exit 0 "$ASYNCFIX" check --baseline bl.json --update-baseline .
expect_contains "$TMP/err" "Updated the baseline bl.json (6 findings)"
grep -c '"fingerprint"' bl.json > "$TMP/count"
expect_contains "$TMP/count" "6"

# Item 10: the same baseline from another directory, and with absolute paths.
cd "$TMP/repo/app"
expect_exit 0 "$ASYNCFIX" check --baseline ../bl.json .
expect_contains "$TMP/out" "6 known findings hidden by the baseline"
cd /
expect_exit 0 "$ASYNCFIX" check --baseline "$TMP/repo/bl.json" "$TMP/repo"
expect_contains "$TMP/out" "6 known findings hidden by the baseline"
# Paths in the file stay relative to its directory whoever wrote it.
expect_exit 0 "$ASYNCFIX" check --baseline "$TMP/repo/bl.json" --update-baseline "$TMP/repo"
expect_contains "$TMP/repo/bl.json" '"path": "app/m2.py"'
expect_not_contains "$TMP/repo/bl.json" "$TMP"

# A rejected fix keeps its status across an update.
python3 - "$TMP/repo/bl.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["findings"][0]["status"] = "rejected"
json.dump(doc, open(sys.argv[1], "w"), indent=2)
PY
first=$(python3 -c "import json,sys; e=json.load(open(sys.argv[1]))['findings'][0]; print(e['path'] + ' ' + e['fingerprint'])" "$TMP/repo/bl.json")
(cd "$TMP/repo" && expect_exit 0 "$ASYNCFIX" check --baseline bl.json --update-baseline .)
python3 - "$TMP/repo/bl.json" "$first" <<'PY' || fail "the rejected entry lost its status on --update-baseline"
import json, sys
doc = json.load(open(sys.argv[1]))
st = [e["status"] for e in doc["findings"] if e["path"] + " " + e["fingerprint"] == sys.argv[2]]
sys.exit(0 if st == ["rejected"] else 1)
PY
finish
