# Valid Python of recent versions: none of it is a syntax error.
import asyncio
from typing import TypeVar

T = TypeVar("T")


async def main(items: list[int]) -> int | None:
    match items:
        case [first, *rest]:
            return first
        case _:
            return None


async def groups():
    try:
        await asyncio.sleep(0)
    except* ValueError as eg:
        raise eg


async def walrus(xs):
    if (n := len(xs)) > 3:
        return f"{n!r:>10}"
    return [y async for y in agen()] if False else None


async def agen():
    yield 1
    async with asyncio.timeout(1):
        pass
