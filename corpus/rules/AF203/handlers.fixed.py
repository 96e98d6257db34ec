import asyncio
import asyncio as aio

from fastapi import APIRouter

router = APIRouter()


async def archive_reports() -> str:
    return "done"


@router.post("/archive")
async def archive():
    output = await archive_reports()  # AF203
    return {"output": output}


@router.post("/archive2")
async def archive_debug():
    return (await archive_reports()).upper()  # AF203


async def nested():
    await archive_reports()  # AF203

    def sync_inner():
        return asyncio.run(archive_reports())  # ok: a plain def may start a loop

    return sync_inner


def main():
    asyncio.run(archive_reports())  # ok: the program's entry point


if __name__ == "__main__":
    asyncio.run(archive_reports())  # ok
