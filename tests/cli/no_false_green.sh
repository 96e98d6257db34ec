#!/usr/bin/env bash
# No false green (issue 15, item 7): a run that checks nothing says so, and fails unless the
# user's configuration excluded what was named; NUL-separated lists (git ls-files -z) and
# directories in a --files-from list are read as such.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/p/app" "$TMP/p/gen" "$TMP/empty"
printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n' > "$TMP/p/app/a.py"
printf 'import time\n\n\nasync def g():\n    time.sleep(2)\n' > "$TMP/p/app/b.py"
cp "$TMP/p/app/a.py" "$TMP/p/gen/generated.py"
printf '[tool.asyncfix]\nexclude = ["gen/"]\n' > "$TMP/p/pyproject.toml"
cd "$TMP/p"

# NUL-separated names: both files are checked (it once said "0 files scanned" and passed).
printf 'app/a.py\0app/b.py\0' | { expect_exit 1 "$ASYNCFIX" check --no-progress --files-from -; }
expect_contains "$TMP/out" "app/a.py:5:5: AF101"
expect_contains "$TMP/out" "app/b.py:5:5: AF101"
expect_contains "$TMP/out" "in 2 files scanned"
# A directory in the list is walked.
printf 'app\n' | { expect_exit 1 "$ASYNCFIX" check --no-progress --files-from -; }
expect_contains "$TMP/out" "in 2 files scanned"

# An empty directory, or nothing Python in the list: an error, not "All checks passed".
expect_exit 2 "$ASYNCFIX" check --no-progress "$TMP/empty"
expect_contains "$TMP/err" "No Python files found"
expect_not_contains "$TMP/out" "All checks passed"
printf 'README.md\n' | { expect_exit 2 "$ASYNCFIX" check --no-progress --files-from -; }
expect_contains "$TMP/err" "No Python files found"
# Every file skipped (here: over the size limit): an error that says so.
printf '[tool.asyncfix]\nmax-file-size = 10\n' > "$TMP/p/pyproject.toml"
expect_exit 2 "$ASYNCFIX" check --no-progress app
expect_contains "$TMP/err" "No Python files checked: 2 files were skipped"
printf '[tool.asyncfix]\nexclude = ["gen/"]\n' > "$TMP/p/pyproject.toml"
# Everything named excluded by the configuration: a note, and the run passes (pre-commit).
expect_exit 0 "$ASYNCFIX" check --no-progress gen/generated.py
expect_contains "$TMP/err" "nothing to check: 1 file excluded by the configuration"
printf 'gen/generated.py\n' | { expect_exit 0 "$ASYNCFIX" check --no-progress --files-from - --exclude 'gen/*'; }
expect_contains "$TMP/err" "nothing to check: 1 file excluded by the configuration"
# A named path that does not exist is an error.
expect_exit 2 "$ASYNCFIX" check --no-progress missing.py

# A file that does not parse is a finding (AF000), counted, whatever --select says: it was
# "All checks passed" (no rule could fire in it, so it was not even parsed).
mkdir -p "$TMP/syn" && cd "$TMP/syn"
printf 'def total(items):\n    return sum(items\n' > broken.py
printf 'x = 1\n' > fine.py
expect_exit 1 "$ASYNCFIX" check --no-progress .
expect_contains "$TMP/out" "broken.py:2:5: AF000 [P1] syntax error: cannot parse \`return sum(items\`"
expect_contains "$TMP/out" "Found 1 finding (P1: 1) in 2 files scanned."
expect_exit 1 "$ASYNCFIX" check --no-progress --select AF101 .
expect_contains "$TMP/out" "broken.py:2:5: AF000"
expect_exit 0 "$ASYNCFIX" check --no-progress --ignore AF000 .
expect_exit 0 "$ASYNCFIX" check --no-progress fine.py
finish
