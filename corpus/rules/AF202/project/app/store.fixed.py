import asyncio


async def load(key: str) -> str:
    await asyncio.sleep(0)  # AF202
    return key.upper()


async def load_many(keys: list[str]) -> list[str]:  # AF202
    return [await load(k) for k in keys]  # AF202


def unrelated() -> int:
    return 1
