import asyncio

_keep_task = "a name the module already uses"


async def run():
    asyncio.create_task(tick())  # AF401
