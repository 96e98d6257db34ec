"""An app with startup and shutdown handlers, some async, some not."""
import asyncpg
from fastapi import FastAPI

DSN = "postgresql://app@db/app"

app = FastAPI(title="orders")


@app.on_event("startup")  # AF501
async def open_pool():
    app.state.pool = await asyncpg.create_pool(DSN)


@app.on_event("startup")
def load_settings():
    app.state.settings = {"debug": False}


def flush_metrics():
    pass


app.add_event_handler("shutdown", flush_metrics)


@app.on_event("shutdown")
async def close_pool():
    await app.state.pool.close()


@app.get("/health")
async def health():
    return {"ok": True}
