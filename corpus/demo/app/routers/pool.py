import asyncpg
import httpx
from fastapi import APIRouter

from ..config import POSTGRES_DSN

router = APIRouter(prefix="/pool")
pool: asyncpg.Pool | None = None


@router.get("/orders/{order_id}")
async def get_order(order_id: int):
    conn = await pool.acquire()
    row = await conn.fetchrow("SELECT * FROM orders WHERE id = $1", order_id)
    await pool.release(conn)
    return dict(row)


@router.get("/stats")
async def stats():
    local_pool = await asyncpg.create_pool(POSTGRES_DSN)
    async with local_pool.acquire() as conn:
        count = await conn.fetchval("SELECT count(*) FROM orders")
    await local_pool.close()
    return {"orders": count}


@router.get("/status")
async def upstream_status():
    async with httpx.AsyncClient() as client:
        response = await client.get("https://status.example.com")
    return response.json()
