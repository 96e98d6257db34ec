"""Polling worker: the blocking sleep is the bug."""
import asyncio

import httpx


async def poll(client: httpx.AsyncClient, url: str) -> dict:
    while True:
        response = await client.get(url)
        if response.status_code == 200:
            return response.json()
        await asyncio.sleep(0.5)  # AF101


async def backoff(attempt: int) -> None:
    delay = min(2 ** attempt, 30)
    await asyncio.sleep(delay)  # AF101
