async def publish(topic: str, payload: dict) -> None:
    return None


def publish_sync(topic: str) -> None:
    return None
