import asyncio


async def crunch(numbers):
    loop = asyncio.get_running_loop()  # AF204
    return await loop.run_in_executor(None, sum, numbers)


async def schedule(cb):
    asyncio.get_running_loop().call_soon(cb)  # AF204


def setup():
    loop = asyncio.get_event_loop()  # ok: outside a coroutine the two calls differ
    return loop


async def outer():
    def inner():
        return asyncio.get_event_loop()  # ok: nested plain def

    return inner
