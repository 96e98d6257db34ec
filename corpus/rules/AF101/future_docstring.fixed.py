"""A module with a docstring and a future import, and no other imports."""
from __future__ import annotations
import asyncio


async def pause(seconds: float) -> None:
    __import__("time").sleep(seconds)  # ok: not resolvable through imports

    await asyncio.sleep(seconds)  # AF101
