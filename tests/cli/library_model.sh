#!/usr/bin/env bash
# A user's library-model file (docs/library-model.md): facts about their own wrappers, from the
# command line (--library-model) or the configuration (library-model = [...]); a bad file is an
# error that names the place; without the file the wrapper is not known.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/p/app"
: > "$TMP/p/app/__init__.py"
cat > "$TMP/p/app/api.py" <<'PY'
from mysdk import Client, fetch_report
from mysdk.db import session_scope


async def report(user_id):
    return fetch_report(user_id)


async def listed(client: Client):
    return client.list_items()


async def stored():
    with session_scope() as s:
        s.commit()


def sync_report(user_id):
    return fetch_report(user_id)
PY
cat > "$TMP/mysdk.yml" <<'YML'
asyncfix-library-model: 1
functions:
  - {name: mysdk.fetch_report, blocks: AF102, instead: mysdk.aio.fetch_report}
  - {name: mysdk.db.session_scope, returns: sqlalchemy.orm.Session}
classes:
  - name: mysdk.Client
    methods:
      list_items: {blocks: AF102, instead: mysdk.aio.Client.list_items}
YML

# Without the model: nothing is known of mysdk.
expect_exit 0 "$ASYNCFIX" check --no-progress "$TMP/p"

expect_exit 1 "$ASYNCFIX" check --no-progress --library-model "$TMP/mysdk.yml" "$TMP/p"
expect_contains "$TMP/out" "app/api.py:6:12: AF102"
expect_contains "$TMP/out" "no automatic rewrite for \`mysdk.fetch_report\`: use \`mysdk.aio.fetch_report\`"
expect_contains "$TMP/out" "app/api.py:10:12: AF102"
expect_contains "$TMP/out" "app/api.py:15:9: AF106"
n=$(grep -c "^$TMP/p/app/api.py:[0-9]*:[0-9]*: AF" "$TMP/out" || true)
[ "$n" = 3 ] || fail "want 3 findings (not the plain def), got $n"

# The same from the configuration, relative to it.
cp "$TMP/mysdk.yml" "$TMP/p/mysdk.yml"
printf '[tool.asyncfix]\nlibrary-model = ["mysdk.yml"]\n' > "$TMP/p/pyproject.toml"
expect_exit 1 "$ASYNCFIX" check --no-progress "$TMP/p"
expect_contains "$TMP/out" "app/api.py:6:12: AF102"
expect_contains "$TMP/out" "app/api.py:15:9: AF106"
rm "$TMP/p/pyproject.toml"

# A bad file: what and where, exit 2, nothing checked.
printf 'asyncfix-library-model: 1\nfunctions:\n  - {name: mysdk.x, blocks: AF401}\n' > "$TMP/bad.yml"
expect_exit 2 "$ASYNCFIX" check --no-progress --library-model "$TMP/bad.yml" "$TMP/p"
expect_contains "$TMP/err" "bad.yml:3:29: \`blocks: AF401\`: a call blocks under one of AF101-AF107"
expect_exit 2 "$ASYNCFIX" check --no-progress --library-model "$TMP/none.yml" "$TMP/p"
expect_contains "$TMP/err" "cannot read the library model $TMP/none.yml"
finish
