"""Rule pack 2 sample: tasks, gather, sequential awaits, pools, cancellation. Each function
is run in its original and its fixed form by test_AF3_AF4_AF5_fixes_run.py."""
import asyncio

state = {"running": 0, "peak": 0, "log": []}


def reset():
    state.update(running=0, peak=0, log=[])


async def fetch(i):
    state["running"] += 1
    state["peak"] = max(state["peak"], state["running"])
    await asyncio.sleep(0.01)
    state["running"] -= 1
    if i == "boom":
        raise ValueError("boom")
    return i * 2


async def fetch_all(ids):
    return await asyncio.gather(*[fetch(i) for i in ids])


async def fetch_all_built(ids):
    coros = []
    for i in ids:
        coros.append(fetch(i))
    return await asyncio.gather(*coros, return_exceptions=True)


async def fail_later():
    await asyncio.sleep(0.01)
    raise RuntimeError("background failure")


async def finish_later():
    await asyncio.sleep(0.01)
    state["log"].append("finished")


async def spawn_background():
    asyncio.create_task(finish_later())
    asyncio.create_task(fail_later())


async def get_user(uid):
    return await fetch(uid)


async def get_posts(uid):
    return await fetch(uid + 1)


async def get_stats(uid):
    return await fetch(uid + 2)


async def dashboard(uid):
    user = await get_user(uid)
    posts = await get_posts(uid)
    stats = await get_stats(uid)
    return {"user": user, "posts": posts, "stats": stats}


async def query(pool, fail):
    conn = await pool.acquire()
    rows = await conn.fetch(fail)
    await pool.release(conn)
    return rows


async def poll_forever(ticks):
    while len(ticks) < 40:  # (bounded, so that the swallowing original ends by itself)
        try:
            await asyncio.sleep(0.005)
            ticks.append(1)
        except BaseException:
            ticks.append("swallowed")
