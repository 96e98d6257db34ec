"""A module with a docstring and a future import, and no other imports."""
from __future__ import annotations


async def pause(seconds: float) -> None:
    __import__("time").sleep(seconds)  # ok: not resolvable through imports
    from time import sleep

    sleep(seconds)  # AF101
