# Shared helpers for the CLI tests. Each test script sources this file.
# Environment: ASYNCFIX (the binary), SOURCE_DIR (the repository).
set -euo pipefail
: "${ASYNCFIX:?set ASYNCFIX to the asyncfix binary}"
: "${SOURCE_DIR:?set SOURCE_DIR to the repository}"
TMP=$(mktemp -d)
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_exit CODE CMD...: runs CMD, checks its exit code; its stdout/stderr go to $TMP/out, $TMP/err.
expect_exit() {
  local want=$1
  shift
  set +e
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  set -e
  if [ "$got" != "$want" ]; then
    fail "exit $got (want $want): $*"
    sed 's/^/  out: /' "$TMP/out" | head -20 >&2
    sed 's/^/  err: /' "$TMP/err" | head -20 >&2
  fi
}

expect_contains() {  # expect_contains FILE TEXT
  if ! grep -qF -- "$2" "$1"; then
    fail "$1 does not contain: $2"
    sed 's/^/  | /' "$1" | head -20 >&2
  fi
}

expect_not_contains() {
  if grep -qF -- "$2" "$1"; then
    fail "$1 contains: $2"
  fi
}

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
  fi
  echo "ok"
}
