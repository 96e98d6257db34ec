#!/usr/bin/env bash
# --output-format text|json|sarif|github|review, checked for their structure.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/p"
cat > "$TMP/p/app.py" <<'PY'
import asyncio
import time

import httpx


async def handler(ids):
    time.sleep(1)
    asyncio.create_task(work())
    async with httpx.AsyncClient() as client:
        return await client.get("https://example.com")


async def work():
    try:
        await asyncio.sleep(1)
    except BaseException:
        pass
PY
PY=/usr/bin/python3

# text: no colour when piped; NO_COLOR and --color
expect_exit 1 "$ASYNCFIX" check "$TMP/p"
expect_contains "$TMP/out" "app.py:8:5: AF101 [P1]"
expect_not_contains "$TMP/out" $'\x1b['
expect_exit 1 "$ASYNCFIX" check --color always "$TMP/p"
expect_contains "$TMP/out" $'\x1b['

# json: the documented schema
expect_exit 1 "$ASYNCFIX" check --output-format json "$TMP/p"
$PY - "$TMP/out" <<'CHECK' || fail "json schema"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["schema"] == "asyncfix-findings/1", doc.keys()
assert doc["tool"]["name"] == "asyncfix"
rules = sorted({f["rule"] for f in doc["findings"]})
assert rules == ["AF101", "AF304", "AF401", "AF404"], rules
for f in doc["findings"]:
    for k in ("path", "rule", "name", "severity", "message", "start", "end", "note", "trace", "fingerprint", "fix"):
        assert k in f, (k, f)
    assert f["start"]["line"] >= 1 and f["start"]["column"] >= 1
    if f["fix"]:
        assert f["fix"]["applicability"] in ("safe", "unsafe", "display-only"), f["fix"]
        for e in f["fix"]["edits"]:
            assert {"start", "end", "content"} <= set(e), e
s = doc["summary"]
assert s["files_scanned"] == 1 and s["findings"] == 4, s
assert s["by_severity"] == {"P1": 1, "P2": 2, "P3": 1}, s
sleep = next(f for f in doc["findings"] if f["rule"] == "AF101")
# the fix carries its import
assert any("import asyncio" in e["content"] or "await asyncio.sleep" in e["content"] for e in sleep["fix"]["edits"]), sleep
CHECK

# sarif: the parts GitHub code scanning requires
expect_exit 1 "$ASYNCFIX" check --output-format sarif "$TMP/p"
$PY - "$TMP/out" <<'CHECK' || fail "sarif structure"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["version"] == "2.1.0" and "sarif-2.1.0" in doc["$schema"]
run, = doc["runs"]
driver = run["tool"]["driver"]
assert driver["name"] == "asyncfix" and driver["version"]
ids = [r["id"] for r in driver["rules"]]
assert len(ids) == len(set(ids)) and "AF101" in ids
for r in driver["rules"]:
    assert r["shortDescription"]["text"] and r["defaultConfiguration"]["level"] in ("error", "warning", "note")
assert len(run["results"]) == 4
for res in run["results"]:
    assert res["ruleId"] in ids and ids[res["ruleIndex"]] == res["ruleId"]
    assert res["level"] in ("error", "warning", "note") and res["message"]["text"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("app.py")
    reg = loc["region"]
    assert reg["startLine"] >= 1 and reg["startColumn"] >= 1 and reg["endLine"] >= reg["startLine"]
    assert res["partialFingerprints"]
    for fx in res.get("fixes", []):
        ch, = fx["artifactChanges"]
        for rep in ch["replacements"]:
            assert rep["deletedRegion"]["startLine"] >= 1 and "text" in rep["insertedContent"]
CHECK

# github: workflow commands
expect_exit 1 "$ASYNCFIX" check --output-format github "$TMP/p"
expect_contains "$TMP/out" "::error file="
expect_contains "$TMP/out" ",line=8,col=5,"
expect_contains "$TMP/out" "title=AF101 (blocking-sleep)::"
expect_contains "$TMP/out" "::warning file="
expect_contains "$TMP/out" "::notice file="
grep -v '^::\(error\|warning\|notice\) file=' "$TMP/out" && fail "github: a line that is not a workflow command"

# review: the sections the review guides ask for, each finding with file:line and a diff
expect_exit 1 "$ASYNCFIX" check --output-format review "$TMP/p"
for s in "## Async health summary" "## Critical issues (P1)" "## Concurrency concerns (P2)" \
         "## Best practice improvements (P3)" "## Recommended actions" "app.py:8\`: AF101" '```diff' \
         "+    await asyncio.sleep(1)"; do
  expect_contains "$TMP/out" "$s"
done

expect_exit 2 "$ASYNCFIX" check --output-format yaml "$TMP/p"
expect_contains "$TMP/err" "unknown output format"
# Issue 15, item 13: SARIF locations are URIs: relative to %SRCROOT% only when under it,
# percent-encoded (`j#1.py`); an absolute path is a file:// URI with no base; a rule file of
# the user's gets no helpUri (there is no page for it).
mkdir -p "$TMP/sarif13/src" "$TMP/sarif13/rules"
printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n    print(1)\n' > "$TMP/sarif13/src/j#1.py"
cat > "$TMP/sarif13/rules/p.yml" <<'YML'
id: MY013
name: print-call
message: "print"
rule:
  pattern: print($A)
YML
(cd "$TMP/sarif13" && "$ASYNCFIX" check --no-progress --rules rules --output-format sarif src > "$TMP/rel.sarif" 2>/dev/null) || true
"$ASYNCFIX" check --no-progress --rules "$TMP/sarif13/rules" --output-format sarif "$TMP/sarif13/src" > "$TMP/abs.sarif" 2>/dev/null || true
python3 - "$TMP/rel.sarif" "$TMP/abs.sarif" "$TMP/sarif13/src/j#1.py" <<'PY' || fail "SARIF locations or helpUri are wrong"
import json, sys, urllib.parse
rel, ab, path = (json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3])
loc = rel["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
assert loc == {"uri": "src/j%231.py", "uriBaseId": "%SRCROOT%"}, loc
loc = ab["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
assert "uriBaseId" not in loc and loc["uri"].startswith("file:///"), loc
assert urllib.parse.unquote(loc["uri"][len("file://"):]) == path, loc
rules = {r["id"]: r for r in rel["runs"][0]["tool"]["driver"]["rules"]}
assert "helpUri" not in rules["MY013"], rules["MY013"]
assert rules["AF101"]["helpUri"].endswith("/docs/rules/AF101.md"), rules["AF101"]
assert rules["AF204"]["helpUri"].endswith("/docs/rules/AF204.md"), rules["AF204"]
PY

# --verbose says where the time went: the phases (wall) and the stages (thread time).
"$ASYNCFIX" check --no-progress -v "$TMP/p" > /dev/null 2> "$TMP/verbose" || true
expect_contains "$TMP/verbose" "time: plan (discovery, configuration, project index)"
expect_contains "$TMP/verbose" "time by stage (summed over threads): "
expect_contains "$TMP/verbose" "check: parse "
expect_contains "$TMP/verbose" "check: rules "
"$ASYNCFIX" check --no-progress "$TMP/p" > /dev/null 2> "$TMP/quiet" || true
grep -q "time by stage" "$TMP/quiet" && fail "the stage times are printed without --verbose"
finish
