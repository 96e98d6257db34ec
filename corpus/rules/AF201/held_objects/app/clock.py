# Control: a Ticker has no async method called by name.
from app.db import ticker


def tick() -> None:
    ticker.tick()  # ok
