import asyncio


async def chained():
    value = (await asyncio.sleep(0)).real  # AF101
    first = (await asyncio.sleep(0))[0]  # AF101
    called = (await asyncio.sleep(0))()  # AF101
    total = 1 + await asyncio.sleep(0)  # AF101
    neg = -await asyncio.sleep(0)  # AF101
    return value, first, called, total, neg
