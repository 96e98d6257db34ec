import asyncpg
from fastapi import FastAPI

from . import models
from .config import POSTGRES_DSN
from .database import engine
from . import auth
from .routers import jobs, pool, users

models.Base.metadata.create_all(bind=engine)

app = FastAPI(title="demo")
app.include_router(users.router)
app.include_router(jobs.router)
app.include_router(pool.router)
app.include_router(auth.router)


@app.on_event("startup")
async def open_pool():
    pool.pool = await asyncpg.create_pool(POSTGRES_DSN)


@app.on_event("shutdown")
async def close_pool():
    await pool.pool.close()
