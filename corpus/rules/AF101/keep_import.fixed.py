import time
import asyncio


async def timed(op):
    start = time.monotonic()
    await asyncio.sleep(1)  # AF101
    await op()
    return time.monotonic() - start
