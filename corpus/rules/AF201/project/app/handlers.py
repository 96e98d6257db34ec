from . import events
from .events import publish as emit


async def on_created(user_id: int) -> None:
    events.publish("users", {"id": user_id})  # AF201
    emit("audit", {"id": user_id})  # AF201
    events.publish_sync("users")  # ok: a plain function
    await events.publish("done", {})  # ok
