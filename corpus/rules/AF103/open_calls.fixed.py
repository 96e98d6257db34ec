import asyncio
import io
import json
from pathlib import Path

import aiofiles

CONFIG = Path("/etc/demo/config.json")


async def get_config() -> dict:
    async with aiofiles.open("config.json") as f:  # AF103
        return json.loads(await f.read())


async def save(name: str, data: dict) -> None:
    async with aiofiles.open(name, "w", encoding="utf-8") as out:  # AF103
        await out.write(json.dumps(data, indent=2))
        await out.write("\n")


async def count_lines(path: str) -> int:
    n = 0
    async with aiofiles.open(path, "rb") as fh:  # AF103
        async for _line in fh:
            n += 1
    return n


async def copy(src: str, dst: str) -> None:
    async with aiofiles.open(src, "rb") as a, aiofiles.open(dst, "wb") as b:  # AF103
        await b.write(await a.read())


async def one_liner(path: str) -> str:
    async with aiofiles.open(path) as f_1:
        text = await f_1.read()  # AF103
    return text.strip()


async def loaded(path: str) -> dict:
    async with aiofiles.open(path) as f_1:
        data = json.loads(await f_1.read())  # AF103
    return data


async def pathlib_calls() -> str:
    raw = await asyncio.to_thread(CONFIG.read_text)  # AF103
    await asyncio.to_thread(Path("/tmp/out.txt").write_text, raw)  # AF103
    async with aiofiles.open(CONFIG) as f:  # AF103
        return await f.readline()


def sync_reader(path: str) -> str:
    with open(path) as f:  # ok: a plain def
        return f.read()


async def nested():
    def helper(path):
        with open(path) as f:  # ok: nested def
            return f.read()

    return helper
