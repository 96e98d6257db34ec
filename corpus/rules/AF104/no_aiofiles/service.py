import os


async def ready(path: str) -> bool:
    return os.path.isfile(path)  # AF104
