"""An app with startup and shutdown handlers (AF501)."""
from fastapi import FastAPI

events = []

app = FastAPI()


@app.on_event("startup")
async def open_resources():
    events.append("open db")


@app.on_event("startup")
def load_config():
    events.append("load config")


@app.on_event("shutdown")
async def close_resources():
    events.append("close db")


def flush():
    events.append("flush")


app.add_event_handler("shutdown", flush)


@app.get("/events")
async def read_events():
    return events
