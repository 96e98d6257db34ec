# A plain module: it writes no coroutine function and none of the async libraries' names, only
# the names of the objects db.py holds.
from app.db import bus, ticker


def schedule(user_id: int) -> None:
    bus.publish("users", {"id": user_id})  # AF201
    bus.publish_later("users")  # ok: a plain method
    ticker.tick()  # ok: only its dunders are async
