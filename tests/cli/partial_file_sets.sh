#!/usr/bin/env bash
# Files named one by one (pre-commit, an editor, --files-from) get the findings a run over the
# whole project gives them: the project index covers the project around them. A fix that must
# also edit files outside them is reported, not half-applied.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/p/app"
cd "$TMP/p"
printf '[tool.asyncfix]\n' > pyproject.toml
: > app/__init__.py
cat > app/helpers.py <<'PY'
import time

import requests


def wait_a_bit():
    time.sleep(1)


def fetch(url):
    return requests.get(url).text


def load_user(user_id):
    wait_a_bit()
    return fetch("https://example.com/" + str(user_id))
PY
cat > app/users.py <<'PY'
from app.helpers import fetch, load_user, wait_a_bit


async def show(user_id):
    return load_user(user_id)


async def ping():
    wait_a_bit()
    return fetch("https://example.com/ping")
PY
cat > app/loader.py <<'PY'
async def fetch_row():
    return 1


def load():
    row = await fetch_row()
    return row
PY
cat > app/jobs.py <<'PY'
from app.loader import load


async def job():
    return load()
PY

users_lines() {  # users_lines FILE: the finding lines of app/users.py
  grep '^app/users.py:' "$1" | sort
}

# The whole project, then users.py alone: the same findings in users.py.
expect_exit 1 "$ASYNCFIX" check --no-cache --no-progress .
users_lines "$TMP/out" > "$TMP/full"
[ "$(wc -l < "$TMP/full")" -ge 3 ] || fail "the full run found too little in users.py: $(cat "$TMP/full")"
expect_exit 1 "$ASYNCFIX" check --no-cache --no-progress app/users.py
users_lines "$TMP/out" > "$TMP/one"
cmp -s "$TMP/full" "$TMP/one" || fail "users.py alone: $(diff "$TMP/full" "$TMP/one")"
grep -q '^app/helpers.py:' "$TMP/out" && fail "a file not given was reported"
# The same through --files-from (as `git diff --name-only` gives it), and with the cache.
printf 'app/users.py\n' | "$ASYNCFIX" check --no-progress --files-from - > "$TMP/listed" 2>&1 || true
users_lines "$TMP/listed" > "$TMP/listed_users"
cmp -s "$TMP/full" "$TMP/listed_users" || fail "--files-from: $(diff "$TMP/full" "$TMP/listed_users")"
expect_exit 1 "$ASYNCFIX" check --no-progress app/users.py
users_lines "$TMP/out" > "$TMP/cached"
cmp -s "$TMP/full" "$TMP/cached" || fail "users.py alone, from the cache: $(diff "$TMP/full" "$TMP/cached")"

# A fix whose plan edits another file: loader.py's load() becomes async only with jobs.py's
# call awaited. loader.py alone: reported, not applied, the other file named.
cp -r "$TMP/p" "$TMP/orig"
expect_exit 1 "$ASYNCFIX" check --no-cache --no-progress --fix app/loader.py
expect_contains "$TMP/out" "app/loader.py:6:11: AF202"
expect_contains "$TMP/out" "not applied: the fix also changes a file outside the ones given: app/jobs.py"
diff -r -x .asyncfix_cache "$TMP/orig" "$TMP/p" > /dev/null || fail "a fix was half-applied: $(diff -r -x .asyncfix_cache "$TMP/orig" "$TMP/p" | head -5)"
# Both files given: applied to both, as the whole run does.
expect_exit 0 "$ASYNCFIX" check --no-cache --no-progress --fix --select AF202 app/loader.py app/jobs.py
expect_contains app/loader.py "async def load():"
expect_contains app/jobs.py "return await load()"
cp -r "$TMP/orig" "$TMP/whole"
(cd "$TMP/whole" && "$ASYNCFIX" check --no-cache --no-progress --fix --select AF202 . > /dev/null 2>&1 || true)
diff -r -x .asyncfix_cache "$TMP/whole" "$TMP/p" > /dev/null || fail "the two files fixed differ from a whole run: $(diff -r -x .asyncfix_cache "$TMP/whole" "$TMP/p" | head -5)"
finish
