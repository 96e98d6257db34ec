import asyncio as aio
import time as t
from time import sleep
from time import sleep as nap


async def retry(op):
    for attempt in range(3):
        try:
            return await op()
        except ConnectionError:
            t.sleep(attempt)  # AF101
    sleep(1)  # AF101
    nap(seconds := 2)  # AF101
    await aio.sleep(seconds)  # ok: already async
