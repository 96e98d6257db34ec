import asyncio
import time


async def timed(op):
    start = time.monotonic()
    await asyncio.sleep(1)  # AF101
    await op()
    return time.monotonic() - start
