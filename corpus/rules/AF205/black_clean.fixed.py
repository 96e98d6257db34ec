# Black-formatted input: the fixed file must stay black-formatted (tests/cli/black_accepts_the_fixes.sh).
import asyncio


def summarise_all(items, weights):
    return sum(i * w for i, w in zip(items, weights))


async def crunch(items, weights):
    return await asyncio.to_thread(summarise_all, items, weights)  # AF205
