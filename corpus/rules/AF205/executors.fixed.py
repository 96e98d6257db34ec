import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

POOL = ThreadPoolExecutor(4)


def work(items, scale=1):
    return sum(items) * scale


async def crunch(items):
    total = await asyncio.to_thread(work, items)  # AF205
    scaled = await asyncio.to_thread(functools.partial(work, scale=2), items)
    return total + scaled


async def custom_pool(items):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(POOL, work, items)  # ok: an explicit executor


async def started_early(items):
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, work, items)  # ok: not awaited at once (starts now)
    await asyncio.sleep(0)
    return await fut


def sync_caller(loop, items):
    return loop.run_in_executor(None, work, items)  # ok: not in a coroutine
