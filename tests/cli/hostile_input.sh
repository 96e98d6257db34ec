#!/usr/bin/env bash
# Hostile input: the run survives, reports what it skips, fixes what it can, and touches
# nothing else. (Bad encodings and read-only files: bad_input.sh.)
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
parses() { $PY -c "import ast,sys; ast.parse(open(sys.argv[1],'rb').read())" "$1"; }

mkdir -p "$TMP/h"
cd "$TMP/h"

# NUL bytes in the middle of otherwise fine code: binary, skipped
printf 'import time\n\nasync def f():\n    time.sleep(1)\n# \0\0 trailing\n' > nul.py
# a 50 MB file: over the default size limit, skipped with a note; under a raised one, checked
$PY - <<'PYGEN'
with open("big.py", "w") as f:
    f.write("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    line = "x_%d = [" + ", ".join(str(i) for i in range(40)) + "]\n"
    n = 0
    while f.tell() < 50 * 1024 * 1024:
        f.write(line % n); n += 1
PYGEN
# 10,000-deep nesting (parentheses), then fixable code
$PY -c "print('x = ' + '(' * 10000 + '1' + ')' * 10000); print('import time\n\nasync def f():\n    time.sleep(1)')" > deep.py
# one 1 MB line
$PY -c "print('import time\nDATA = \"' + 'a' * (1 << 20) + '\"\n\nasync def f():\n    time.sleep(1)')" > longline.py
# mixed tabs and spaces (consistent per block), fix inside the tab-indented one
printf 'import time\n\n\nasync def f():\n\tif True:\n\t\ttime.sleep(1)\n\n\nasync def g():\n    time.sleep(2)\n' > tabs.py
# CRLF with a BOM
printf '\xef\xbb\xbfimport time\r\n\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n' > crlf_bom.py
# a syntax error next to fixable code: the error region is left alone, the rest is fixed
printf 'import time\n\n\nasync def good():\n    time.sleep(1)\n\n\nasync def broken(:\n    time.sleep(2)\n\n\nasync def also_good():\n    time.sleep(3)\n' > syntax_error.py
cp deep.py deep.orig; cp syntax_error.py syntax_error.orig

set +e
timeout 120 "$ASYNCFIX" check --fix --no-progress . > "$TMP/out" 2> "$TMP/err"
rc=$?
set -e
[ "$rc" = 1 ] || [ "$rc" = 0 ] || { fail "exit $rc"; head -20 "$TMP/err" >&2; }
expect_contains "$TMP/err" "nul.py"
expect_contains "$TMP/err" "binary file"
expect_contains "$TMP/err" "big.py"
expect_contains "$TMP/err" "size limit"
expect_contains longline.py "    await asyncio.sleep(1)"
parses longline.py || fail "longline.py does not parse after the fix"
expect_contains tabs.py "		await asyncio.sleep(1)"
expect_contains tabs.py "    await asyncio.sleep(2)"
parses tabs.py || fail "tabs.py does not parse after the fix"
# BOM and CRLF kept, the fix written with CRLF
head -c 3 crlf_bom.py | od -An -tx1 | grep -q "ef bb bf" || fail "BOM lost"
grep -c $'\r$' crlf_bom.py | grep -qx "$(wc -l < crlf_bom.py)" || fail "a line lost its CRLF"
expect_contains crlf_bom.py "await asyncio.sleep(1)"
# the syntax error: the good functions fixed, the broken one untouched
expect_contains syntax_error.py "async def good():
    await asyncio.sleep(1)"
expect_contains syntax_error.py "async def broken(:
    time.sleep(2)"
expect_contains syntax_error.py "    await asyncio.sleep(3)"
# deep nesting (deeper than CPython itself accepts): the deep line kept byte for byte, the
# function below it fixed
head -1 deep.orig > "$TMP/deep1"; head -1 deep.py > "$TMP/deep2"
cmp -s "$TMP/deep1" "$TMP/deep2" || fail "the deeply nested line changed"
expect_contains deep.py "    await asyncio.sleep(1)"
# (With a raised max-file-size the 50 MB file is parsed until the parse timeout, 10 s, and
# then skipped with that reason: too slow for this suite, see docs/batch-and-review.md.)

# rule files with catastrophic-looking regexes: RE2 keeps them linear
mkdir -p "$TMP/rules" "$TMP/re"
cat > "$TMP/rules/AF900-redos.yml" <<'YML'
id: AF900
name: redos-probe
severity: P3
message: a name of many a's
rule:
  kind: identifier
  regex: ^(a+)+$
docs:
  what-it-does: Probe.
  why-is-this-bad: Probe.
YML
$PY -c "print('def f():\n    ' + 'a' * 50000 + 'b = 1\n    ' + 'a' * 50000 + ' = 2')" > "$TMP/re/redos.py"
set +e
timeout 60 "$ASYNCFIX" check --rules "$TMP/rules" --select AF900 "$TMP/re" > "$TMP/out" 2> "$TMP/err"
rc=$?
set -e
[ "$rc" = 1 ] || { fail "redos probe: exit $rc (124 = timed out)"; head -5 "$TMP/err" >&2; }
expect_contains "$TMP/out" "redos.py:3:5: AF900"
expect_not_contains "$TMP/out" "redos.py:2:5"
# a regex RE2 rejects (backreference) is an error that names the file and line
cat > "$TMP/rules/AF900-redos.yml" <<'YML'
id: AF900
name: redos-probe
severity: P3
message: backreference
rule:
  kind: identifier
  regex: (a)\1
docs:
  what-it-does: Probe.
  why-is-this-bad: Probe.
YML
expect_exit 2 "$ASYNCFIX" check --rules "$TMP/rules" --select AF900 "$TMP/re"
expect_contains "$TMP/err" "AF900-redos.yml:7"
finish
