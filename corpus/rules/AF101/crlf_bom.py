import time


async def tick():
    time.sleep(1)  # AF101
    return "tock"
