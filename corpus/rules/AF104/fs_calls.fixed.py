import asyncio
import glob
import os
import os.path
import shutil
from pathlib import Path

import aiofiles.os

ROOT = "/var/lib/demo"


async def load(name: str) -> bool:
    path = os.path.join(ROOT, name)  # ok: path arithmetic does no I/O
    if not await aiofiles.os.path.exists(path):  # AF104
        return False
    size = await aiofiles.os.path.getsize(path)  # AF104
    return size > 0 and await aiofiles.os.path.exists(path + ".lock")  # AF104


async def cleanup(name: str) -> None:
    await aiofiles.os.makedirs(ROOT, exist_ok=True)  # AF104
    await aiofiles.os.remove(os.path.join(ROOT, name))  # AF104
    await asyncio.to_thread(
        shutil.rmtree, os.path.join(ROOT, "tmp"), ignore_errors=True
    )  # AF104


async def listing() -> list:
    names = await asyncio.to_thread(glob.glob, ROOT + "/*.json")  # AF104
    for dirpath, dirs, files in await asyncio.to_thread(list, os.walk(ROOT)):  # AF104
        names.extend(files)
    return names


async def with_pathlib() -> bool:
    p = Path(ROOT) / "state"
    await asyncio.to_thread(p.mkdir, exist_ok=True)  # AF104
    return await asyncio.to_thread(p.exists)  # AF104


def sync_cleanup() -> None:
    os.remove("/tmp/x")  # ok: a plain def


async def dirname_only(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))  # ok: no file-system access to speak of


async def resolved_exists(x: str) -> bool:
    # One thread call for the chain: the inner resolve() would block in the loop otherwise.
    return await asyncio.to_thread(
        lambda: Path(x).resolve().exists()
    )  # AF104: both calls, one fix at the outer
