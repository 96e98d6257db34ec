import asyncio
import time


async def handler():
    await asyncio.sleep(1)  # noqa: AF101  # AF001: fixed since; the comment stays
    time.sleep(1)  # noqa: AF101  # ok: it suppresses the AF101 on this line


async def other():
    await asyncio.sleep(2)  # type: ignore  # asyncfix: ignore[AF101]  # AF001
    time.sleep(2)  # asyncfix: ignore[AF101]  # ok
    print("x")  # noqa  # ok: a bare noqa belongs to every tool
    print("y")  # noqa: E501  # ok: another tool's code
