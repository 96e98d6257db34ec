import asyncio
import os


async def ready(path: str) -> bool:
    return await asyncio.to_thread(os.path.isfile, path)  # AF104
