import asyncio


def fetch() -> int:
    await asyncio.sleep(0)  # AF202: it cannot become async: the module calls it at import time
    return 1


VALUE = fetch()


def helper() -> None:
    f = lambda: (await asyncio.sleep(0))  # AF202
    return f
