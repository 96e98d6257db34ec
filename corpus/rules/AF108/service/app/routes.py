import asyncio

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from . import crud
from .clients import fetch_async, format_name
from .crud import throttled as limited

router = APIRouter()


@router.get("/users/{user_id}")
async def read_user(user_id: int):
    return crud.get_user(user_id)  # AF108


@router.get("/users/{user_id}/slow")
async def read_slow(user_id: int):
    user = limited(user_id)  # AF108
    return user


@router.get("/users/{user_id}/name")
async def name(user_id: int):
    user = await fetch_async(user_id)  # ok: async helper
    return format_name(user)  # ok: no blocking call inside


@router.get("/double/{n}")
async def double(n: int):
    return crud.pure(n)  # ok


@router.get("/threaded/{user_id}")
async def threaded(user_id: int):
    return await asyncio.to_thread(crud.get_user, user_id)  # ok: already off the loop


def sync_route(user_id: int):
    return crud.get_user(user_id)  # ok: a plain def


@router.get("/export")
async def export(path: str):
    return StreamingResponse(crud.iter_rows(path))  # ok: Starlette iterates it in a thread


@router.get("/count")
async def count_rows(path: str):
    n = 0
    for _ in crud.iter_rows(path):  # AF108
        n += 1
    return n + len(list(crud.iter_rows(path)))  # AF108


@router.post("/tx/{user_id}")
async def in_tx(user_id: int):
    with crud.open_tx(user_id) as tx:  # AF108
        return tx


@router.get("/scheduled/{user_id}")
async def scheduled(user_id: int):
    return await crud.schedule(user_id)  # AF108
