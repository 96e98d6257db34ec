#!/usr/bin/env bash
# Types that cross modules: a client made in one module and used in another is found even
# though the using file never names the library (the prefilter takes the names of project
# globals whose type names the library as triggers, whole words), and an async client from
# elsewhere is left alone.
source "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/p/app"
: > "$TMP/p/app/__init__.py"
cat > "$TMP/p/app/deps.py" <<'PY'
import httpx

client = httpx.Client()
aclient = httpx.AsyncClient()
PY
cat > "$TMP/p/app/api.py" <<'PY'
from app.deps import aclient, client
from app.deps import client as other


async def by_alias():
    c = client
    return c.get("https://example.com/a")


async def by_import_alias():
    return other.get("https://example.com/b")


async def async_client():
    return await aclient.get("https://example.com/d")


def sync_function():
    return client.get("https://example.com/e")


async def nested():
    def inner():
        return client.get("https://example.com/f")
    return inner


# client.get("https://example.com/g") in a comment
TEXT = 'client.get("https://example.com/h")'
PY

expect_exit 1 "$ASYNCFIX" check --no-progress "$TMP/p"
expect_contains "$TMP/out" "app/api.py:7:12: AF102"
expect_contains "$TMP/out" "app/api.py:11:12: AF102"
n=$(grep -c "AF102" "$TMP/out" || true)
[ "$n" = 2 ] || fail "want exactly 2 AF102 findings, got $n"

# Through the module (`deps.client`): its type is asked of a module the async code never calls.
mkdir -p "$TMP/q/app"
: > "$TMP/q/app/__init__.py"
printf 'import httpx\n\nclient = httpx.Client()\n' > "$TMP/q/app/deps.py"
cat > "$TMP/q/app/api.py" <<'PY'
from app import deps


async def through_module():
    c = deps.client
    return c.get("https://example.com/i")
PY
expect_exit 1 "$ASYNCFIX" check --no-progress "$TMP/q"
expect_contains "$TMP/out" "app/api.py:6:12: AF102"

# A blocking rule alone builds the project index too: the client's type comes from deps.py.
expect_exit 1 "$ASYNCFIX" check --no-progress --select AF102 "$TMP/p"
expect_contains "$TMP/out" "app/api.py:7:12: AF102"
expect_contains "$TMP/out" "app/api.py:11:12: AF102"

finish
