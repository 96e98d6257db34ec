"""The flagship migration, proven by the apps' own tests.

For every app in corpus/apps/ (a sync FastAPI + SQLAlchemy service with its own pytest
tests), on a copy:
  1. the original's tests pass;
  2. the dry-run diff of `asyncfix migrate async-sqlalchemy` applies with `git apply` and
     gives the same files as `--fix`;
  3. `--fix` migrates it, reporting the sync callers it cannot make async (and nothing else);
  4. the migrated copy's tests, unchanged, pass (SQLite + aiosqlite, Debian's FastAPI 0.92
     and SQLAlchemy 1.4);
  5. no sync session use remains (checked on the syntax tree, independently of asyncfix);
  6. a second run finds nothing to do.

Run by ctest (tests/CMakeLists.txt) with Debian's python3.
"""
import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ASYNCFIX = os.environ["ASYNCFIX"]
APPS = Path(__file__).resolve().parents[2] / "corpus" / "apps"

# What each migration must report and leave for a human: the sync callers of code that
# becomes async (file, the name in the message).
EXPECTED_REPORTS = {
    "blog": [("app/maintenance.py", "purge_drafts_at_exit")],
    "shop": [("shop/reports.py", "export_open_orders")],
    "roster": [],
}

# Apps whose tests use the session themselves (fixtures that open it, tests that commit):
# the migration moves them too (async tests and fixtures on anyio's pytest plugin). The
# others' tests only go through the API and must be left as they are.
TESTS_MIGRATE = {"roster"}

# Session methods that are coroutines on an AsyncSession; `query` does not exist there.
AWAITED = {"commit", "refresh", "flush", "delete", "execute", "scalars", "scalar", "get", "close",
           "rollback", "merge", "stream", "stream_scalars", "run_sync"}
SESSION_NAMES = {"db", "session"}


def app_names():
    return sorted(p.name for p in APPS.iterdir() if (p / "tests").is_dir())


def run(cmd, cwd, **kw):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, **kw)


def pytest_in(d):
    return run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore"], d)


def copy_app(name, dest):
    shutil.copytree(APPS / name, dest, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.db"))
    return dest


def sources(root):
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.py"))}


def session_receiver(node):
    """`db`, `session`, `self.session`, `request.state.db`: a name that holds a session."""
    if isinstance(node, ast.Name):
        return node.id in SESSION_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr in SESSION_NAMES
    return False


def sync_session_uses(root):
    """Everything in the app code that still uses SQLAlchemy synchronously."""
    problems = []
    for rel, text in sources(root).items():
        if rel.startswith("tests/"):
            continue
        tree = ast.parse(text)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        sync_session = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                        and node.module in ("sqlalchemy.orm", "sqlalchemy.orm.session")
                        for a in node.names if a.name == "Session"}
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Name) and node.id in sync_session:
                problems.append(f"{where}: the sync Session is used")
            if not isinstance(node, ast.Call):
                continue
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else ""
            if name == "create_engine":
                problems.append(f"{where}: sync engine")
            if name == "sessionmaker" and not any(k.arg == "class_" for k in node.keywords):
                problems.append(f"{where}: sync session factory")
            if isinstance(fn, ast.Attribute) and session_receiver(fn.value):
                if fn.attr == "query":
                    problems.append(f"{where}: legacy session.query()")
                elif fn.attr in AWAITED and not isinstance(parents.get(node), ast.Await):
                    problems.append(f"{where}: {fn.attr}() not awaited")
            if isinstance(fn, ast.Attribute) and fn.attr == "create_all":
                problems.append(f"{where}: create_all() called directly")
    return problems


@pytest.mark.parametrize("name", app_names())
def test_migration_passes_the_apps_own_tests(name, tmp_path):
    original = copy_app(name, tmp_path / "original")
    r = pytest_in(original)
    assert r.returncode == 0, f"the original {name} fails its own tests:\n{r.stdout}\n{r.stderr}"

    # 2. The dry-run diff applies and is what --fix writes.
    diff = run([ASYNCFIX, "migrate", "async-sqlalchemy", "."], original)
    assert diff.returncode == 1, diff.stderr  # changes to make, and reports
    assert diff.stdout.startswith("--- a/"), diff.stdout[:200]
    applied = copy_app(name, tmp_path / "applied")
    ap = subprocess.run(["git", "apply", "--unsafe-paths", "-p1", "-"], cwd=applied, input=diff.stdout,
                        capture_output=True, text=True)
    assert ap.returncode == 0, ap.stderr

    # 3. --fix, with the reports.
    migrated = copy_app(name, tmp_path / "migrated")
    fix = run([ASYNCFIX, "migrate", "async-sqlalchemy", "--fix", "."], migrated)
    # the reported sync callers remain (exit 1), or nothing does (exit 0)
    assert fix.returncode == (1 if EXPECTED_REPORTS[name] else 0), f"{fix.stdout}\n{fix.stderr}"
    reports = [line for line in fix.stdout.splitlines() if re.match(r"^\S+:\d+:\d+: AF\d{3} ", line)]
    got = sorted((line.split(":")[0].lstrip("./"), re.search(r"`(\w+)", line).group(1)) for line in reports)
    assert got == sorted(EXPECTED_REPORTS[name]), fix.stdout
    assert all(" AF602 " in line for line in reports), fix.stdout
    assert sources(applied) == sources(migrated), "git apply of the diff differs from --fix"

    # The tests themselves are untouched, unless they use the session.
    tests_after = {k: v for k, v in sources(migrated).items() if k.startswith("tests/")}
    tests_before = {k: v for k, v in sources(original).items() if k.startswith("tests/")}
    if name in TESTS_MIGRATE:
        assert tests_after != tests_before, "the tests use the session: they must be migrated too"
    else:
        assert tests_after == tests_before

    # 4. The migrated app passes its own tests.
    r = pytest_in(migrated)
    assert r.returncode == 0, f"the migrated {name} fails its own tests:\n{r.stdout}\n{r.stderr}"

    # 5. No sync session use remains.
    assert sync_session_uses(migrated) == []
    assert sync_session_uses(original), "the checker finds nothing in the original: it cannot fail"

    # 6. A second run has nothing to do, and still reports what is left (never quieter).
    again = run([ASYNCFIX, "migrate", "async-sqlalchemy", "."], migrated)
    assert again.stdout == "", again.stdout
    assert f"Would fix 0 findings in 0 files{'; ' + str(len(EXPECTED_REPORTS[name])) + ' would remain' if EXPECTED_REPORTS[name] else ''}." \
        in again.stderr, again.stderr
    left = [line for line in again.stderr.splitlines() if re.match(r"^\S+:\d+:\d+: AF\d{3} ", line)]
    assert sorted((line.split(":")[0].lstrip("./"), re.search(r"`(\w+)", line).group(1)) for line in left) == \
        sorted(EXPECTED_REPORTS[name]), again.stderr
