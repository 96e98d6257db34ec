#!/usr/bin/env bash
# migrate (issue 17, item 4): the SQLAlchemy and FastAPI versions the migration writes for
# come from the project's pins and lock files, else from what is installed for it (its .venv,
# else the search path of the python3 on PATH, read from *.dist-info / *.egg-info without
# importing anything), else the run stops and names the flags. Each case carries its own pins
# or a fake .venv / python3, so nothing here depends on what this machine has installed.
source "$(dirname "$0")/lib.sh"

app() {  # app DIR: a small sync app with no dependency file
  mkdir -p "$1/app"
  cat > "$1/app/db.py" <<'PY'
from fastapi import Depends, FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("sqlite:///./app.db")
SessionLocal = sessionmaker(bind=engine)
app = FastAPI()


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


@app.get("/n")
def count(db: Session = Depends(get_db)):
    return db.execute("select 1").scalar()
PY
  touch "$1/pytest.ini"
}

# No pin, no .venv, a python3 on PATH that has neither package: refused, naming the flags.
mkdir -p "$TMP/bin" "$TMP/empty-site"
cat > "$TMP/bin/python3" <<EOF2
#!/bin/sh
# A stand-in interpreter: asked for sys.path in isolated mode, it names one directory.
[ "\$1" = "-I" ] || exit 3
echo "$TMP/empty-site"
EOF2
chmod +x "$TMP/bin/python3"
app "$TMP/none"
cd "$TMP/none"
expect_exit 2 env PATH="$TMP/bin:/usr/bin:/bin" "$ASYNCFIX" migrate async-sqlalchemy --no-progress .
expect_contains "$TMP/err" "which SQLAlchemy and FastAPI the code runs on is not known"
expect_contains "$TMP/err" "none is installed for python3 ($TMP/bin/python3)"
expect_contains "$TMP/err" "--target-sqlalchemy 1.4|2.0 and --target-fastapi X.Y"
[ ! -s "$TMP/out" ] || fail "a refused migration printed a diff"
# With --fix too: refused before anything is written.
cp -r "$TMP/none" "$TMP/none-before"
expect_exit 2 env PATH="$TMP/bin:/usr/bin:/bin" "$ASYNCFIX" migrate async-sqlalchemy --no-progress --fix .
expect_contains "$TMP/err" "--target-sqlalchemy 1.4|2.0 and --target-fastapi X.Y"
diff -r -x .asyncfix_cache "$TMP/none-before" "$TMP/none" > /dev/null || fail "a refused migrate --fix changed files"
# The flags settle it, and say so.
expect_exit 1 env PATH="$TMP/bin:/usr/bin:/bin" "$ASYNCFIX" migrate async-sqlalchemy --no-progress \
  --target-sqlalchemy 2.0 --target-fastapi 0.110 .
expect_contains "$TMP/err" "Migrating for SQLAlchemy 2.0 (--target-sqlalchemy), FastAPI 0.110 (--target-fastapi)"
expect_contains "$TMP/out" "async_sessionmaker"

# A fake .venv in the project: its metadata decides (SQLAlchemy 1.4: no async_sessionmaker;
# FastAPI 0.92: no lifespan=).
app "$TMP/venv"
site="$TMP/venv/.venv/lib/python3.11/site-packages"
mkdir -p "$site/SQLAlchemy-1.4.46.dist-info" "$site/fastapi-0.92.0.dist-info"
printf 'Metadata-Version: 2.1\nName: SQLAlchemy\nVersion: 1.4.46\n' > "$site/SQLAlchemy-1.4.46.dist-info/METADATA"
printf 'Metadata-Version: 2.1\nName: fastapi\nVersion: 0.92.0\n' > "$site/fastapi-0.92.0.dist-info/METADATA"
cd "$TMP/venv"
expect_exit 1 env PATH="$TMP/bin:/usr/bin:/bin" "$ASYNCFIX" migrate async-sqlalchemy --no-progress .
expect_contains "$TMP/err" "Migrating for SQLAlchemy 1.4 (installed: $site/SQLAlchemy-1.4.46.dist-info)"
expect_contains "$TMP/err" "FastAPI 0.92 (installed: $site/fastapi-0.92.0.dist-info)"
expect_contains "$TMP/out" "class_=AsyncSession"
expect_not_contains "$TMP/out" "async_sessionmaker"
expect_not_contains "$TMP/out" "lifespan"
# A pin above what is installed: the code must run here too, so the older version decides.
printf 'SQLAlchemy==2.0.12\n' > "$TMP/venv/requirements.txt"
expect_exit 1 env PATH="$TMP/bin:/usr/bin:/bin" "$ASYNCFIX" migrate async-sqlalchemy --no-progress .
expect_contains "$TMP/err" "Migrating for SQLAlchemy 1.4 (installed: $site/SQLAlchemy-1.4.46.dist-info, older than requirements.txt: SQLAlchemy==2.0.12: the code must run on both)"
expect_exit 1 env PATH="$TMP/bin:/usr/bin:/bin" "$ASYNCFIX" migrate async-sqlalchemy --no-progress --target-sqlalchemy 2.0 .
expect_contains "$TMP/err" "Migrating for SQLAlchemy 2.0 (--target-sqlalchemy)"

# The python3 on PATH, when the project has no .venv.
app "$TMP/path"
mkdir -p "$TMP/path-site/SQLAlchemy-2.0.36.dist-info"
printf 'Name: SQLAlchemy\nVersion: 2.0.36\n' > "$TMP/path-site/SQLAlchemy-2.0.36.dist-info/METADATA"
sed -i "s#$TMP/empty-site#$TMP/path-site#" "$TMP/bin/python3"
cd "$TMP/path"
expect_exit 1 env PATH="$TMP/bin:/usr/bin:/bin" "$ASYNCFIX" migrate async-sqlalchemy --no-progress --target-fastapi 0.100 .
expect_contains "$TMP/err" "Migrating for SQLAlchemy 2.0 (installed: $TMP/path-site/SQLAlchemy-2.0.36.dist-info)"
expect_contains "$TMP/out" "async_sessionmaker"

# A pin beats what is installed; a range targets the lowest version it allows; a lock file
# is what is deployed.
printf 'SQLAlchemy>=1.4.40,<2\nfastapi==0.92.0\n' > "$TMP/path/requirements.txt"
expect_exit 1 env PATH="$TMP/bin:/usr/bin:/bin" "$ASYNCFIX" migrate async-sqlalchemy --no-progress .
expect_contains "$TMP/err" "Migrating for SQLAlchemy 1.4 (requirements.txt: SQLAlchemy>=1.4.40,<2), FastAPI 0.92 (requirements.txt: fastapi==0.92.0)"
printf '[[package]]\nname = "sqlalchemy"\nversion = "2.0.30"\n' > "$TMP/path/poetry.lock"
expect_exit 1 env PATH="$TMP/bin:/usr/bin:/bin" "$ASYNCFIX" migrate async-sqlalchemy --no-progress .
expect_contains "$TMP/err" "Migrating for SQLAlchemy 2.0 (poetry.lock: sqlalchemy 2.0.30)"
finish
