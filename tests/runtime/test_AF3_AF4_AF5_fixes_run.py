"""Rule pack 2, run for real: asyncfix fixes a copy of sample2/ (all fixes, unsafe
included, FastAPI target from the copy's requirements), then the original and the fixed
functions run side by side.

Run by ctest (tests/CMakeLists.txt) with Debian's python3 and FastAPI 0.92 (which has no
`lifespan=`: the fixed app is run through Starlette's router.lifespan_context).
"""
import asyncio
import importlib
import os
import shutil
import subprocess
import sys

import pytest

ASYNCFIX = os.environ["ASYNCFIX"]
HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module")
def pkgs(tmp_path_factory):
    root = tmp_path_factory.mktemp("pack2")
    shutil.copytree(os.path.join(HERE, "sample2"), root / "original2")
    shutil.copytree(os.path.join(HERE, "sample2"), root / "fixed2")
    (root / "requirements.txt").write_text("fastapi>=0.110\n")
    run = subprocess.run([ASYNCFIX, "check", "--fix", "--unsafe-fixes", "--select", "AF3,AF4,AF5", str(root / "fixed2")],
                         capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    assert "internal error" not in run.stderr, run.stderr
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))


@pytest.fixture(scope="module")
def conc(pkgs):
    original = importlib.import_module("original2.concurrency")
    fixed = importlib.import_module("fixed2.concurrency")
    source = (pkgs / "fixed2" / "concurrency.py").read_text()
    return original, fixed, source


def run(mod, name, *args):
    mod.reset()
    return asyncio.run(getattr(mod, name)(*args))


def test_AF301_AF401_AF402_AF403_AF404_AF501_fixes_were_made(conc):
    source = conc[2]
    for expected in ("_bounded_gather(10, *[fetch(i) for i in ids])", "_keep_task(asyncio.create_task(",
                     "async with pool.acquire() as conn:", "except asyncio.CancelledError:",
                     "= await asyncio.gather("):
        assert expected in source, f"{expected!r} not in the fixed code:\n{source}"


def test_AF402_bounded_gather_keeps_the_limit_and_the_order(conc):
    original, fixed, _ = conc
    ids = list(range(50))
    assert run(original, "fetch_all", ids) == [i * 2 for i in ids]
    assert original.state["peak"] == 50
    assert run(fixed, "fetch_all", ids) == [i * 2 for i in ids]
    assert 1 < fixed.state["peak"] <= 10


def test_AF402_bounded_gather_keeps_return_exceptions(conc):
    original, fixed, _ = conc
    ids = [1, "boom", 3] * 10
    a = run(original, "fetch_all_built", ids)
    b = run(fixed, "fetch_all_built", ids)
    assert [repr(x) for x in a] == [repr(x) for x in b]
    assert fixed.state["peak"] <= 10


def test_AF401_kept_tasks_finish_and_their_exceptions_are_reported(conc):
    _, fixed, _ = conc
    reported = []

    async def main():
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda loop, ctx: reported.append(ctx))
        fixed.reset()
        await fixed.spawn_background()
        assert len(fixed._background_tasks) == 2  # referenced while they run
        await asyncio.sleep(0.05)
        assert len(fixed._background_tasks) == 0  # forgotten when done

    asyncio.run(main())
    assert fixed.state["log"] == ["finished"]
    assert len(reported) == 1
    assert reported[0]["message"] == "background task failed"
    assert isinstance(reported[0]["exception"], RuntimeError)


def test_AF403_merged_awaits_return_the_same_values_concurrently(conc):
    original, fixed, _ = conc
    assert run(original, "dashboard", 10) == run(fixed, "dashboard", 10) == {"user": 20, "posts": 22, "stats": 24}
    assert fixed.state["peak"] == 3


class FakePool:
    """asyncpg's shape: acquire() is awaitable and an async context manager."""

    def __init__(self):
        self.in_use = 0

    def acquire(self):
        pool = self

        class Acquire:
            def __await__(self):
                async def take():
                    pool.in_use += 1
                    return Conn()
                return take().__await__()

            async def __aenter__(self):
                pool.in_use += 1
                return Conn()

            async def __aexit__(self, *exc):
                pool.in_use -= 1

        return Acquire()

    async def release(self, conn):
        self.in_use -= 1


class Conn:
    async def fetch(self, fail):
        if fail:
            raise ConnectionError("query failed")
        return ["row"]


def test_AF301_acquired_connections_are_released_even_on_errors(conc):
    original, fixed, _ = conc
    for mod, leaks in ((original, 1), (fixed, 0)):
        pool = FakePool()
        assert run(mod, "query", pool, False) == ["row"]
        assert pool.in_use == 0
        with pytest.raises(ConnectionError):
            run(mod, "query", pool, True)
        assert pool.in_use == leaks


def test_AF404_cancellation_is_no_longer_swallowed(conc):
    original, fixed, _ = conc

    async def cancel(mod):
        ticks = []
        task = asyncio.create_task(mod.poll_forever(ticks))
        await asyncio.sleep(0.02)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        return ticks, task

    ticks, task = asyncio.run(asyncio.wait_for(cancel(original), 5))
    assert not task.cancelled() and "swallowed" in ticks  # it ran on to its end
    ticks, task = asyncio.run(asyncio.wait_for(cancel(fixed), 5))
    assert task.cancelled() and "swallowed" not in ticks and len(ticks) < 40


def test_AF501_lifespan_runs_the_handlers_in_the_same_order(pkgs, monkeypatch):
    import fastapi
    from fastapi.testclient import TestClient

    source = (pkgs / "fixed2" / "app.py").read_text()
    assert "on_event" not in source and "add_event_handler" not in source
    assert "lifespan=lifespan" in source

    original = importlib.import_module("original2.app")
    with TestClient(original.app) as client:
        assert client.get("/events").json() == ["open db", "load config"]
    want = list(original.events)

    class FastAPIWithLifespan(fastapi.FastAPI):
        """FastAPI 0.92 has no lifespan=; Starlette's router runs the same context manager."""

        def __init__(self, *args, lifespan=None, **kwargs):
            super().__init__(*args, **kwargs)
            if lifespan is not None:
                self.router.lifespan_context = lifespan

    monkeypatch.setattr(fastapi, "FastAPI", FastAPIWithLifespan)
    fixed = importlib.import_module("fixed2.app")
    with TestClient(fixed.app) as client:
        assert client.get("/events").json() == ["open db", "load config"]
    assert fixed.events == want == ["open db", "load config", "close db", "flush"]
