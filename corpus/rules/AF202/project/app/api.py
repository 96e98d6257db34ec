from fastapi import APIRouter, Depends

from .store import load, load_many, unrelated

router = APIRouter()


def dependency() -> str:  # AF202
    return load("dep")  # AF202


@router.get("/item/{key}")
async def item(key: str, dep: str = Depends(dependency)):
    value = load(key)  # AF202
    return {"value": value, "n": unrelated()}


@router.get("/items")
def items():  # AF202
    return load_many(["a", "b"])  # AF202
