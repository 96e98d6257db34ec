import asyncpg


async def plain(pool):
    conn = await pool.acquire()  # AF301
    rows = await conn.fetch("SELECT 1")
    # a comment between stays
    total = len(rows)
    await pool.release(conn)
    return total


async def try_finally(app):
    conn = await app.state.pool.acquire()  # AF301
    try:
        await conn.execute("DELETE FROM sessions")
        return "ok"
    finally:
        await app.state.pool.release(conn)


async def nothing_between(pool):
    conn = await pool.acquire()  # AF301
    await pool.release(conn)


async def released_in_a_branch(pool, flag):
    conn = await pool.acquire()  # AF301: reported, the release is not in the same block
    if flag:
        await pool.release(conn)


async def never_released(pool):
    conn = await pool.acquire()  # AF301: reported
    return await conn.fetch("SELECT 1")


async def rebound(pool):
    conn = await pool.acquire()  # AF301: reported, `conn` changes before the release
    conn = conn.with_options()
    await pool.release(conn)


async def already_managed(pool):
    async with pool.acquire() as conn:  # ok
        return await conn.fetch("SELECT 1")


async def a_lock(lock):
    token = await lock.acquire()  # ok: a lock, not a pool
    lock.release()
    return token
