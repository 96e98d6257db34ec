import asyncio
import time


async def fine():
    await asyncio.sleep(2)  # AF101


async def broken():
    x = (1,
    time.sleep(1)  # ok: inside code that does not parse (its function is lost): left alone
