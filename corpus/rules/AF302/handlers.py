import aiohttp
import asyncpg
import httpx
from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import create_async_engine

app = FastAPI()
router = APIRouter()
shared = httpx.AsyncClient()  # ok: made once, at import


@app.get("/weather/{city}")
async def weather(city: str):
    async with httpx.AsyncClient(timeout=5.0) as client:  # AF302
        r = await client.get(f"https://api.example.com/{city}")
    return r.json()


@router.post("/items")
async def add(item: dict):
    pool = await asyncpg.create_pool("postgresql://db")  # AF302
    engine = create_async_engine("postgresql+asyncpg://db")  # AF302
    async with aiohttp.ClientSession() as s:  # AF302
        pass
    return {}


@app.get("/reuse")
async def reuse():
    return (await shared.get("https://api.example.com")).json()  # ok


async def startup():
    app.state.pool = await asyncpg.create_pool("postgresql://db")  # ok: not a handler
