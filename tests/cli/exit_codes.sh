#!/usr/bin/env bash
# Exit codes: 0 nothing found, 1 findings remain, 2 usage or internal error.
source "$(dirname "$0")/lib.sh"

printf 'import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n' > "$TMP/clean.py"
printf 'import time\n\nasync def f():\n    time.sleep(1)\n' > "$TMP/dirty.py"

expect_exit 0 "$ASYNCFIX" check "$TMP/clean.py"
expect_contains "$TMP/out" "All checks passed"
expect_exit 1 "$ASYNCFIX" check "$TMP/dirty.py"
expect_contains "$TMP/out" "dirty.py:4:5: AF101 [P1]"
expect_contains "$TMP/out" "Found 1 finding (P1: 1) in 1 file scanned."
expect_exit 2 "$ASYNCFIX" check --no-such-flag
expect_exit 2 "$ASYNCFIX" check "$TMP/does-not-exist.py"
expect_contains "$TMP/err" "no such file or directory"
expect_exit 2 "$ASYNCFIX" check --select AF999 "$TMP/dirty.py"
expect_contains "$TMP/err" "unknown rule selector 'AF999'"
expect_exit 2 "$ASYNCFIX" check --diff --fix "$TMP/dirty.py"
expect_exit 2 "$ASYNCFIX"
expect_exit 0 "$ASYNCFIX" --version
expect_contains "$TMP/out" "asyncfix "
expect_exit 0 "$ASYNCFIX" --help
expect_contains "$TMP/out" "check"
expect_exit 0 "$ASYNCFIX" check --ignore AF101 "$TMP/dirty.py"
expect_exit 0 "$ASYNCFIX" check --select blocking-sleep "$TMP/clean.py"

# --fix: exit 0 once everything is fixed, and the file is rewritten.
cp "$TMP/dirty.py" "$TMP/fixme.py"
expect_exit 0 "$ASYNCFIX" check --fix "$TMP/fixme.py"
expect_contains "$TMP/fixme.py" "await asyncio.sleep(1)"
expect_exit 0 "$ASYNCFIX" check "$TMP/fixme.py"
finish
