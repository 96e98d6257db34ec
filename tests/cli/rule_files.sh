#!/usr/bin/env bash
# User rule files: --rules DIR adds them; a broken one fails loudly (file:line:col, exit 2)
# and changes no file; test-rules reports Missing / Noisy / Wrong fix and --update rewrites
# the expected fixes.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/mine" "$TMP/src"
cat > "$TMP/mine/print.yml" <<'YML'
id: MY001
name: print-in-async
severity: P3
message: "print() in a coroutine: use the logger"
rule:
  pattern: print($$$A)
  inside-async: true
fix: logger.info($$$A)
fix-title: Log instead of printing
imports:
  add: [logging]
tests:
  valid:
    - |
      def f():
          print(1)
  invalid:
    - code: |
        async def f():
            print(1)
      fixed: |
        import logging


        async def f():
            logger.info(1)
YML
printf 'import os\n\nlogger = None\n\n\nasync def handler(x):\n    print("got", x)\n' > "$TMP/src/svc.py"
cp "$TMP/src/svc.py" "$TMP/svc.orig"

cd "$TMP"
expect_exit 1 "$ASYNCFIX" check --rules mine/ src/ --diff
expect_contains "$TMP/out" '+import logging'
expect_contains "$TMP/out" '+    logger.info("got", x)'
expect_exit 1 "$ASYNCFIX" check --rules mine/ --select print-in-async src/
expect_contains "$TMP/out" "src/svc.py:7:5: MY001 [P3] print() in a coroutine: use the logger"
expect_exit 0 "$ASYNCFIX" test-rules mine/
expect_contains "$TMP/out" "MY001 print-in-async: ok (1 valid, 1 invalid)"
expect_exit 0 "$ASYNCFIX" rules --rules mine/
expect_contains "$TMP/out" "MY001"

# A broken rule file: exit 2, file:line:col, nothing written.
printf 'id: MY002\nname: broken\nmessage: m\nrule:\n  pattern: f(a b)\n' > "$TMP/mine/broken.yml"
expect_exit 2 "$ASYNCFIX" check --rules mine/ --fix src/
expect_contains "$TMP/err" "mine/broken.yml:5:16: pattern is not valid Python"
cmp -s "$TMP/src/svc.py" "$TMP/svc.orig" || fail "a file was changed although a rule file was broken"
rm "$TMP/mine/broken.yml"

# A rule id used twice is an error naming both.
sed 's/name: print-in-async/name: other-name/' "$TMP/mine/print.yml" > "$TMP/mine/dup.yml"
expect_exit 2 "$ASYNCFIX" check --rules mine/ src/
expect_contains "$TMP/err" "rule id MY001 is already used by"
rm "$TMP/mine/dup.yml"

# Missing, Noisy and Wrong fix are reported; --update rewrites only the expected fixes.
cat > "$TMP/mine/t.yml" <<'YML'
id: MY003
name: sleep-zero
message: sleep(0)
rule:
  pattern: time.sleep(0)
fix: await asyncio.sleep(0)
imports:
  add: [asyncio]
tests:
  valid:
    - |
      time.sleep(0)
  invalid:
    - |
      time.sleep(1)
    - code: |
        time.sleep(0)
      fixed: |
        wrong
YML
expect_exit 1 "$ASYNCFIX" test-rules mine/t.yml
expect_contains "$TMP/out" "MY003 sleep-zero: FAILED"
expect_contains "$TMP/out" "Noisy: mine/t.yml:11: fired at 1:1"
expect_contains "$TMP/out" "Missing: mine/t.yml:14: did not fire"
expect_contains "$TMP/out" "Wrong fix: mine/t.yml:16: the fixed output differs"
# --update refuses while other problems remain; it rewrites the expected fixes otherwise.
expect_exit 1 "$ASYNCFIX" test-rules --update mine/t.yml
expect_contains "$TMP/mine/t.yml" "wrong"
cat > "$TMP/mine/t2.yml" <<'YML'
id: MY004
name: sleep-zero-two
message: sleep(0)
rule:
  pattern: time.sleep(0)
fix: await asyncio.sleep(0)
imports:
  add: [asyncio]
tests:
  invalid:
    - code: |
        async def f():
            time.sleep(0)
      fixed: |
        wrong
    - |
      async def g():
          time.sleep(0)
YML
expect_exit 0 "$ASYNCFIX" test-rules --update mine/t2.yml
expect_contains "$TMP/out" "expected fixes updated"
expect_not_contains "$TMP/mine/t2.yml" "wrong"
expect_contains "$TMP/mine/t2.yml" "        await asyncio.sleep(0)"
expect_exit 0 "$ASYNCFIX" test-rules mine/t2.yml
expect_contains "$TMP/out" "MY004 sleep-zero-two: ok (0 valid, 2 invalid)"
# Issue 15, item 18: several YAML documents in one file were loaded as the first alone; an
# unterminated quote was reported as a missing `rule`.
mkdir -p "$TMP/multi" "$TMP/quote" "$TMP/target"
printf 'print(1)\n' > "$TMP/target/p.py"
cat > "$TMP/multi/two.yml" <<'YML'
id: MY101
name: one
message: "one"
rule:
  pattern: print($A)
---
id: MY102
name: two
message: "two"
rule:
  pattern: input($A)
YML
expect_exit 2 "$ASYNCFIX" check --rules "$TMP/multi" "$TMP/target"
expect_contains "$TMP/err" "two.yml:7:1: a rule file holds one rule: this one has 2 YAML documents"
cat > "$TMP/quote/q.yml" <<'YML'
id: MY103
name: three
message: "never closed
rule:
  pattern: print($A)
YML
expect_exit 2 "$ASYNCFIX" check --rules "$TMP/quote" "$TMP/target"
expect_contains "$TMP/err" "q.yml:4:1: \`rule:\` here is not a field: it is inside the value that starts on line 3"
# Issue 15, item 5: a fix the rule matches again never settles; the file is left as it was
# (it was written as time.sleep(1 + 1 + ... + 1)), and the run fails.
mkdir -p "$TMP/grow/rules" "$TMP/grow/src"
cat > "$TMP/grow/rules/grow.yml" <<'YML'
id: MY900
name: grow
message: "grows"
rule:
  pattern: time.sleep($X)
fix: time.sleep($X + 1)
YML
printf 'import time\n\n\ndef f():\n    time.sleep(1)\n' > "$TMP/grow/src/a.py"
cp "$TMP/grow/src/a.py" "$TMP/grow/a.orig"
expect_exit 2 "$ASYNCFIX" check --no-progress --select MY900 --rules "$TMP/grow/rules" --fix "$TMP/grow/src"
expect_contains "$TMP/err" "fixes did not settle after 10 passes (rules involved: MY900): the file is left as it was"
cmp -s "$TMP/grow/src/a.py" "$TMP/grow/a.orig" || fail "a fix that never settles was written"
expect_exit 2 "$ASYNCFIX" check --no-progress --select MY900 --rules "$TMP/grow/rules" --diff "$TMP/grow/src"
expect_not_contains "$TMP/out" "+ 1"
# unsafe-in-tests: true makes a safe fix unsafe in a test file (and only there); a value that
# is not true or false is an error at its place.
mkdir -p "$TMP/timing/rules" "$TMP/timing/src/tests"
cat > "$TMP/timing/rules/nap.yml" <<'YML'
id: MY950
name: nap
message: "nap() blocks"
rule:
  pattern: nap($S)
  inside-async: true
fix: await anap($S)
fix-title: Await anap
unsafe-in-tests: true
YML
printf 'async def f():\n    nap(1)\n' > "$TMP/timing/src/app.py"
cp "$TMP/timing/src/app.py" "$TMP/timing/src/tests/test_app.py"
expect_exit 1 "$ASYNCFIX" check --no-progress --select MY950 --rules "$TMP/timing/rules" --fix "$TMP/timing/src"
grep -q "await anap(1)" "$TMP/timing/src/app.py" || fail "the safe fix was not applied outside the tests"
grep -q "^    nap(1)" "$TMP/timing/src/tests/test_app.py" || fail "the fix was applied in a test file without --unsafe-fixes"
expect_contains "$TMP/out" "Await anap; in a test, this changes its timing (unsafe: --unsafe-fixes)"
sed -i 's/^unsafe-in-tests: true$/unsafe-in-tests: maybe/' "$TMP/timing/rules/nap.yml"
expect_exit 2 "$ASYNCFIX" check --no-progress --rules "$TMP/timing/rules" "$TMP/timing/src"
expect_contains "$TMP/err" "nap.yml:9:18: \`unsafe-in-tests\` must be true or false"
finish
