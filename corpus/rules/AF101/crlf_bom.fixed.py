import asyncio


async def tick():
    await asyncio.sleep(1)  # AF101
    return "tock"
