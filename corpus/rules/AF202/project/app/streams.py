import asyncio


def drain(queue) -> None:
    async with queue.lock:  # AF202
        queue.clear()


def copy_rows(source, sink) -> None:
    async for row in source:  # AF202
        sink.append(row)


def collect(source) -> list:
    return [row async for row in source]  # AF202


def lazy(source):
    # A generator expression may await anywhere: it is an async generator, not an error.
    return (await row for row in source)


def first_iterable_of_a_generator(source):
    return ((row for row in await part) for part in source)


async def already_async(source) -> list:
    async with asyncio.timeout(1):
        return [row async for row in source]
