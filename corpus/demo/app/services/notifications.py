import asyncio
import logging
import time

import httpx

log = logging.getLogger(__name__)


async def send_webhook(url: str, payload: dict) -> None:
    async with httpx.AsyncClient() as client:
        for attempt in range(3):
            try:
                await client.post(url, json=payload)
                return
            except httpx.HTTPError:
                log.warning("webhook failed, retrying")
                time.sleep(2 ** attempt)


async def notify_all(urls: list[str], payload: dict) -> None:
    await asyncio.gather(*[send_webhook(u, payload) for u in urls])


def notify_later(url: str, payload: dict) -> None:
    asyncio.create_task(send_webhook(url, payload))


async def audit(event: str) -> None:
    try:
        await send_webhook("https://audit.example.com", {"event": event})
    except:
        log.exception("audit failed")
