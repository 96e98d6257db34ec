#!/usr/bin/env bash
# migrate (issue 15, item 15): in diff mode the findings that would remain are listed (on
# stderr: stdout is the patch), not only counted; --output-format reports the migration's
# findings in that format, as the docs promise.
source "$(dirname "$0")/lib.sh"

cp -r "$SOURCE_DIR/corpus/apps/blog" "$TMP/blog"
cd "$TMP/blog"
expect_exit 1 "$ASYNCFIX" migrate async-sqlalchemy --no-progress .
expect_contains "$TMP/err" "1 would remain"
expect_contains "$TMP/err" "Would remain (lines as the diff leaves them):"
expect_contains "$TMP/err" "app/maintenance.py:15:21: AF602"
head -1 "$TMP/out" | grep -q '^--- a/' || fail "stdout is not the patch alone"
git init -q . && git apply --check "$TMP/out" || fail "the migration's diff does not apply"

expect_exit 1 "$ASYNCFIX" migrate async-sqlalchemy --no-progress --output-format json .
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['findings'] and all(f['rule'] in ('AF601','AF602','AF303') for f in d['findings']), d['findings'][:2]" "$TMP/out" \
  || fail "migrate --output-format json: not the migration's findings"
expect_exit 2 "$ASYNCFIX" migrate async-sqlalchemy --diff --output-format json .

# A second run is not noisier either: an `@contextmanager` session helper the first run made an
# `@asynccontextmanager` async generator gives a context manager, not a coroutine. The `with`
# that enters it where nothing can await (under __main__) is reported by both runs, and the
# second run does not wrap the call in asyncio.run(); so is a plain `for` over the session
# generator that became an async one, and a call of a function that became async in a generator
# that returns a value (it stays sync).
mkdir -p "$TMP/cm/svc"
cat > "$TMP/cm/svc/__init__.py" <<'PY'
PY
cat > "$TMP/cm/svc/db.py" <<'PY'
from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

engine = create_engine("sqlite:///./svc.db")


@contextmanager
def session_scope():
    with Session(engine) as session:
        yield session


def count_rows(table):
    with session_scope() as session:
        return session.execute(f"select count(*) from {table}").scalar()


def names():
    with session_scope() as session:
        for row in session.execute("select name from t"):
            yield row.name


if __name__ == "__main__":
    with session_scope() as session:
        print(session.get_bind())
    for name in names():
        print(name)


def tally(table):
    total = count_rows(table)
    yield total
    return total


def authenticate(get_count, table):
    return get_count(table) > 0


async def login(table):
    return authenticate(count_rows, table)
PY
cd "$TMP/cm"
expect_exit 1 "$ASYNCFIX" migrate async-sqlalchemy --no-progress --target-sqlalchemy 2.0 --fix .
expect_contains "$TMP/out" "svc/db.py:27:5: AF602"
expect_contains "$TMP/out" "svc/db.py:29:17: AF602"
expect_contains "$TMP/out" "svc/db.py:34:13: AF602"
grep -q '^@asynccontextmanager' svc/db.py || fail "session_scope did not become an async context manager"
grep -q 'return await get_count(table) > 0' svc/db.py || fail "authenticate does not await the function it is given"
expect_exit 1 "$ASYNCFIX" migrate async-sqlalchemy --no-progress --target-sqlalchemy 2.0 .
[ ! -s "$TMP/out" ] || fail "the second run still changes: $(cat "$TMP/out")"
expect_contains "$TMP/err" "Would fix 0 findings in 0 files; 3 would remain."
expect_contains "$TMP/err" "svc/db.py:34:13: AF602"
expect_contains "$TMP/err" "svc/db.py:27:5: AF602"
expect_contains "$TMP/err" "svc/db.py:29:17: AF602"
finish
