from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app):
    yield


app = FastAPI(lifespan=lifespan)


@app.on_event("startup")  # AF501: reported, the app has a lifespan already
async def warm():
    pass
