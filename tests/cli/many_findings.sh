#!/usr/bin/env bash
# 25,200 findings in one file (issue 15, item 11): JSON and SARIF are complete and valid. (They
# once took minutes: AF102 walked the whole function for each of its calls. The growth from 1k
# to 25k findings is a bench/ figure, bench/findings_growth, not a timed test.)
source "$(dirname "$0")/lib.sh"
python3 - "$TMP/big.py" 8400 <<'PY'
import sys
body = '    time.sleep(1)\n    requests.get("http://x")\n    open("f").read()\n' * int(sys.argv[2])
open(sys.argv[1], "w").write("import time\nimport requests\n\n\nasync def f():\n" + body)
PY
"$ASYNCFIX" check --no-progress --output-format json "$TMP/big.py" > "$TMP/big.json" 2>/dev/null || true
"$ASYNCFIX" check --no-progress --output-format sarif "$TMP/big.py" > "$TMP/big.sarif" 2>/dev/null || true
python3 - "$TMP/big.json" "$TMP/big.sarif" <<'PY' || fail "the JSON or SARIF of 25,200 findings is incomplete or invalid"
import json, sys
j, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert len(j["findings"]) == 25200 and j["summary"]["findings"] == 25200, len(j["findings"])
assert len({(f["start"]["line"], f["start"]["column"], f["rule"]) for f in j["findings"]}) == 25200
results = s["runs"][0]["results"]
assert len(results) == 25200, len(results)
assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 6 for r in results)
PY
finish
