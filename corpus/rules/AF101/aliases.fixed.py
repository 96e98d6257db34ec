import asyncio as aio


async def retry(op):
    for attempt in range(3):
        try:
            return await op()
        except ConnectionError:
            await aio.sleep(attempt)  # AF101
    await aio.sleep(1)  # AF101
    await aio.sleep(seconds := 2)  # AF101
    await aio.sleep(seconds)  # ok: already async
