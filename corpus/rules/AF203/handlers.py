import asyncio
import asyncio as aio
from asyncio import run

from fastapi import APIRouter

router = APIRouter()


async def archive_reports() -> str:
    return "done"


@router.post("/archive")
async def archive():
    output = asyncio.run(archive_reports())  # AF203
    return {"output": output}


@router.post("/archive2")
async def archive_debug():
    return aio.run(archive_reports(), debug=True).upper()  # AF203


async def nested():
    run(archive_reports())  # AF203

    def sync_inner():
        return asyncio.run(archive_reports())  # ok: a plain def may start a loop

    return sync_inner


def main():
    asyncio.run(archive_reports())  # ok: the program's entry point


if __name__ == "__main__":
    asyncio.run(archive_reports())  # ok
