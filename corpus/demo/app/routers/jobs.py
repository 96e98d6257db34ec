import asyncio
import time

from fastapi import APIRouter

from ..services.reports import archive_reports, load_report

router = APIRouter(prefix="/jobs")


def crunch(numbers: list[int]) -> int:
    return sum(n * n for n in numbers)


@router.post("/warmup")
async def warmup():
    time.sleep(2)
    return {"status": "warm"}


@router.post("/archive")
async def archive():
    output = asyncio.run(archive_reports())
    return {"output": output}


@router.post("/crunch")
async def crunch_numbers(numbers: list[int]):
    loop = asyncio.get_event_loop()
    total = await loop.run_in_executor(None, crunch, numbers)
    return {"total": total}


@router.get("/reports/{name}")
async def report(name: str):
    first = await load_report(name)
    second = await load_report(name + "-previous")
    return {"current": first, "previous": second}
