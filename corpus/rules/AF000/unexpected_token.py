import asyncio


async def fetch(client, url):
    return await client.get(url)


async def broken(client, url)  # AF000
    return await client.get(url)


def call(x):
    return compute(x,, 2)  # AF000


async def fine():
    await asyncio.sleep(1)  # ok
