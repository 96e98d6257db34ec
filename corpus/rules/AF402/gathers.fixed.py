import asyncio
from asyncio import gather


async def _bounded_gather(limit, *aws, return_exceptions=False):
    """asyncio.gather() with at most `limit` of the awaitables running at once; the
    results in the same order (added by asyncfix)."""
    semaphore = asyncio.Semaphore(limit)

    async def bounded(aw):
        async with semaphore:
            return await aw

    return await asyncio.gather(
        *[bounded(aw) for aw in aws], return_exceptions=return_exceptions
    )


async def fetch(i):
    return i


async def comprehension(ids):
    return await _bounded_gather(10, *[fetch(i) for i in ids])  # AF402


async def generator(ids):
    return await _bounded_gather(
        10, *(fetch(i) for i in ids), return_exceptions=True
    )  # AF402


async def mapped(ids):
    return await _bounded_gather(10, *map(fetch, ids))  # AF402


async def built_in_a_loop(ids):
    coros = []
    for i in ids:
        if i % 2:
            coros.append(fetch(i))
    return await _bounded_gather(10, *coros)  # AF402


async def built_by_comprehension(ids):
    jobs = [fetch(i) for i in ids]
    return await _bounded_gather(10, *jobs)  # AF402


async def tasks_already_running(ids):
    return await asyncio.gather(*[asyncio.create_task(fetch(i)) for i in ids])  # AF402: reported, no fix


async def fixed_size():
    return await asyncio.gather(fetch(1), fetch(2), fetch(3))  # ok: three, written out


async def from_parameter(coros):
    return await asyncio.gather(*coros)  # ok: size unknown here


async def list_used_elsewhere(ids):
    coros = [fetch(i) for i in ids]
    print(len(coros))
    return await asyncio.gather(*coros)  # ok: not only splatted


sem = asyncio.Semaphore(5)


async def limited(i):
    async with sem:
        return await fetch(i)


async def already_bounded(ids):
    return await asyncio.gather(*[limited(i) for i in ids])  # ok: limited() takes a semaphore


async def not_asyncio(ids, other):
    return await other.gather(*[fetch(i) for i in ids])  # ok: not asyncio.gather
