import asyncpg


async def plain(pool):
    async with pool.acquire() as conn:  # AF301
        rows = await conn.fetch("SELECT 1")
        # a comment between stays
        total = len(rows)
    return total


async def try_finally(app):
    async with app.state.pool.acquire() as conn:  # AF301
        await conn.execute("DELETE FROM sessions")
        return "ok"


async def nothing_between(pool):
    async with pool.acquire() as conn:  # AF301
        pass


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
