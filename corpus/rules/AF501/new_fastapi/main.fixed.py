"""An app with startup and shutdown handlers, some async, some not."""
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI

DSN = "postgresql://app@db/app"


@asynccontextmanager
async def lifespan(app):
    await open_pool()
    load_settings()
    yield
    flush_metrics()
    await close_pool()


app = FastAPI(title="orders", lifespan=lifespan)


async def open_pool():
    app.state.pool = await asyncpg.create_pool(DSN)


def load_settings():
    app.state.settings = {"debug": False}


def flush_metrics():
    pass


async def close_pool():
    await app.state.pool.close()


@app.get("/health")
async def health():
    return {"ok": True}
