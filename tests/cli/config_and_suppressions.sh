#!/usr/bin/env bash
# [tool.asyncfix] (select, ignore, per-file-ignores, exclude, targets, errors naming the key,
# the file and the line), --config, and suppression comments.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/proj/pkg" "$TMP/proj/tests" "$TMP/proj/migrations"
cat > "$TMP/proj/pkg/a.py" <<'PY'
import time
import requests

async def f():
    time.sleep(1)
    requests.get("https://example.com")
PY
cp "$TMP/proj/pkg/a.py" "$TMP/proj/tests/test_a.py"
cp "$TMP/proj/pkg/a.py" "$TMP/proj/migrations/m1.py"
cat > "$TMP/proj/pyproject.toml" <<'TOML'
[project]
name = "proj"

[tool.asyncfix]
ignore = ["AF102"]
exclude = ["migrations"]

[tool.asyncfix.per-file-ignores]
"tests/**" = ["AF1"]
TOML

# ignore, per-file-ignores, exclude
expect_exit 1 "$ASYNCFIX" check "$TMP/proj"
expect_contains "$TMP/out" "pkg/a.py:5:5: AF101"
expect_not_contains "$TMP/out" "AF102"
expect_not_contains "$TMP/out" "test_a.py"
expect_not_contains "$TMP/out" "m1.py"
# the command line wins over the file's select
expect_exit 1 "$ASYNCFIX" check --select AF102 "$TMP/proj/pkg/a.py"
expect_contains "$TMP/out" "AF102"

# a configuration found from a subdirectory path
expect_exit 1 "$ASYNCFIX" check "$TMP/proj/pkg"
expect_not_contains "$TMP/out" "AF102"

# errors: unknown key, wrong type: file, line and key named
cat > "$TMP/bad.toml" <<'TOML'
select = ["AF1"]
gather-limt = 5
TOML
expect_exit 2 "$ASYNCFIX" check --config "$TMP/bad.toml" "$TMP/proj/pkg/a.py"
expect_contains "$TMP/err" "bad.toml:2:1"
expect_contains "$TMP/err" "unknown key \`gather-limt\`"
mkdir -p "$TMP/bad2"
cat > "$TMP/bad2/pyproject.toml" <<'TOML'
[tool.asyncfix]
gather-limit = "ten"
TOML
cp "$TMP/proj/pkg/a.py" "$TMP/bad2/a.py"
expect_exit 2 "$ASYNCFIX" check "$TMP/bad2/a.py"
expect_contains "$TMP/err" "pyproject.toml:2:"
expect_contains "$TMP/err" "\`tool.asyncfix.gather-limit\` must be an integer"
printf '[tool.asyncfix\nselect = 1\n' > "$TMP/bad2/pyproject.toml"
expect_exit 2 "$ASYNCFIX" check "$TMP/bad2/a.py"
expect_contains "$TMP/err" "pyproject.toml:1:"

# targets and limits reach the rules: gather-limit in the AF402 fix
mkdir -p "$TMP/lim"
printf '[tool.asyncfix]\ngather-limit = 3\n' > "$TMP/lim/pyproject.toml"
printf 'import asyncio\n\nasync def f(ids):\n    return await asyncio.gather(*[g(i) for i in ids])\n' > "$TMP/lim/g.py"
expect_exit 1 "$ASYNCFIX" check --diff --unsafe-fixes --select AF402 "$TMP/lim/g.py"
expect_contains "$TMP/out" "_bounded_gather(3, *[g(i) for i in ids])"
# unsafe-fixes = true in the file
printf '[tool.asyncfix]\ngather-limit = 3\nunsafe-fixes = true\n' > "$TMP/lim/pyproject.toml"
expect_exit 1 "$ASYNCFIX" check --diff --select AF402 "$TMP/lim/g.py"
expect_contains "$TMP/out" "_bounded_gather(3,"

# suppressions
cat > "$TMP/s.py" <<'PY'
import time

async def f():
    time.sleep(1)  # asyncfix: ignore[AF101]
    time.sleep(2)  # noqa: AF101
    time.sleep(3)  # noqa
    time.sleep(4)  # noqa: E501
    time.sleep(5)  # asyncfix: ignore[AF2]
    time.sleep(6)  # asyncfix: ignore
PY
expect_exit 1 "$ASYNCFIX" check "$TMP/s.py"
expect_contains "$TMP/out" "s.py:7:5: AF101"
expect_contains "$TMP/out" "s.py:8:5: AF101"
expect_not_contains "$TMP/out" "s.py:4:"
expect_not_contains "$TMP/out" "s.py:5:"
expect_not_contains "$TMP/out" "s.py:6:"
expect_not_contains "$TMP/out" "s.py:9:"
expect_exit 1 "$ASYNCFIX" check --report-unused-suppressions "$TMP/s.py"
expect_contains "$TMP/out" "s.py:8:20: AF001"
expect_not_contains "$TMP/out" "s.py:7:20: AF001"
# a suppressed finding is not fixed either
cp "$TMP/s.py" "$TMP/s2.py"
expect_exit 0 "$ASYNCFIX" check --fix "$TMP/s2.py"
expect_contains "$TMP/s2.py" "time.sleep(1)  # asyncfix: ignore[AF101]"
expect_contains "$TMP/s2.py" "await asyncio.sleep(4)  # noqa: E501"
# ignore-file
printf '# asyncfix: ignore-file\nimport time\n\nasync def f():\n    time.sleep(1)\n' > "$TMP/whole.py"
expect_exit 0 "$ASYNCFIX" check "$TMP/whole.py"
# the unused-suppression fix removes the comment
printf 'import asyncio\n\nasync def f():\n    await asyncio.sleep(1)  # noqa: AF101\n' > "$TMP/u.py"
expect_exit 0 "$ASYNCFIX" check --fix --report-unused-suppressions "$TMP/u.py"
expect_contains "$TMP/u.py" "    await asyncio.sleep(1)"
expect_not_contains "$TMP/u.py" "noqa"
# Issue 15, items 4 and 18: removing an unused suppression keeps the other comments on the
# line (`# type: ignore` was deleted with it), and files without async code are read for them.
mkdir -p "$TMP/unused"
cat > "$TMP/unused/plain.py" <<'PY'
def f():
    x = 1  # type: ignore  # noqa: AF101
    y = 2  # noqa: AF101  # why
    z = 3  # a  # asyncfix: ignore[AF102]  # b
    # noqa: AF103
    return x, y, z
PY
expect_exit 0 "$ASYNCFIX" check --no-progress --report-unused-suppressions --fix "$TMP/unused"
cat > "$TMP/unused/want.py" <<'PY'
def f():
    x = 1  # type: ignore
    y = 2  # why
    z = 3  # a  # b
    return x, y, z
PY
cmp -s "$TMP/unused/plain.py" "$TMP/unused/want.py" || { fail "unused suppressions: other comments lost"; diff "$TMP/unused/want.py" "$TMP/unused/plain.py" >&2 || true; }
# A nested pyproject.toml's max-file-size holds when the run starts above it (issue 15,
# item 18: only the first path's configuration set the limit).
mkdir -p "$TMP/nest/sub" && cd "$TMP/nest"
printf '[tool.asyncfix]\nmax-file-size = 100\n' > sub/pyproject.toml
python3 -c "print('x = 1\\n' * 50)" > sub/big.py
printf 'x = 1\n' > a.py
expect_exit 0 "$ASYNCFIX" check --no-progress .
expect_contains "$TMP/err" "sub/big.py: skipped: larger than the size limit (301 > 100 bytes)"
expect_exit 0 "$ASYNCFIX" check --no-progress a.py sub
expect_contains "$TMP/err" "sub/big.py: skipped: larger than the size limit"

# client-timeout: unset, AF304 writes the library's own default (safe); set, that value (unsafe).
mkdir -p "$TMP/timeouts"
printf 'import httpx\n\n\nasync def f(url):\n    async with httpx.AsyncClient() as c:\n        return await c.get(url)\n' > "$TMP/timeouts/app.py"
"$ASYNCFIX" check --no-progress --select AF304 --diff "$TMP/timeouts" > "$TMP/out" 2>&1 || true
expect_contains "$TMP/out" "httpx.AsyncClient(timeout=5.0) as c:"
printf '[tool.asyncfix]\nclient-timeout = 20\n' > "$TMP/timeouts/pyproject.toml"
"$ASYNCFIX" check --no-progress --select AF304 "$TMP/timeouts" > "$TMP/out" 2>&1 || true
expect_contains "$TMP/out" "20.0 s for each connect, read and write (httpx's default: 5 s) (unsafe"
"$ASYNCFIX" check --no-progress --select AF304 --unsafe-fixes --diff "$TMP/timeouts" > "$TMP/out" 2>&1 || true
expect_contains "$TMP/out" "httpx.AsyncClient(timeout=20.0) as c:"
finish
