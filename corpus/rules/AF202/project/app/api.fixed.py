from fastapi import APIRouter, Depends

from .store import load, load_many, unrelated

router = APIRouter()


async def dependency() -> str:  # AF202
    return await load("dep")  # AF202


@router.get("/item/{key}")
async def item(key: str, dep: str = Depends(dependency)):
    value = await load(key)  # AF202
    return {"value": value, "n": unrelated()}


@router.get("/items")
async def items():  # AF202
    return await load_many(["a", "b"])  # AF202
