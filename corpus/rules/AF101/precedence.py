import time


async def chained():
    value = time.sleep(0).real  # AF101
    first = time.sleep(0)[0]  # AF101
    called = time.sleep(0)()  # AF101
    total = 1 + time.sleep(0)  # AF101
    neg = -time.sleep(0)  # AF101
    return value, first, called, total, neg
