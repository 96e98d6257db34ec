from .deps import async_cache, async_users, cache, lite, mongo, pg, users


async def report(day: str):
    cur = pg.cursor()  # ok: making a cursor does not touch the server
    cur.execute("SELECT * FROM orders WHERE day = %s", (day,))  # AF106
    rows = cur.fetchall()  # AF106
    pg.commit()  # AF106
    return rows


async def local_rows():
    cur = lite.execute("SELECT 1")  # AF106
    return cur.fetchone()  # AF106


async def cached(key: str):
    hit = cache.get(key)  # AF106
    again = await async_cache.get(key)  # ok: redis.asyncio
    return hit or again


async def user(name: str):
    found = users.find_one({"name": name})  # AF106
    other = await async_users.find_one({"name": name})  # ok: motor
    stats = mongo["app"].command("dbstats")  # AF106
    return found, other, stats


def sync_report(day: str):
    cur = pg.cursor()
    cur.execute("SELECT 1")  # ok: a plain def
    return cur.fetchall()  # ok
