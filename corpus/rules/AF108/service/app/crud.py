from . import clients
from .clients import format_name


def get_user(user_id: int) -> dict:
    user = clients.fetch_user(user_id)
    return {"id": user_id, "name": format_name(user)}


def throttled(user_id: int) -> dict:
    clients.slow_down()
    return get_user(user_id)


def pure(user_id: int) -> int:
    return user_id * 2


def iter_rows(path: str):
    # A generator: a call only makes it; the file is read as it is iterated.
    with open(path) as f:
        yield from f


class Tx:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def open_tx(user_id: int) -> Tx:
    # Blocks before it hands back a context manager.
    clients.slow_down()
    return Tx()


def schedule(user_id: int):
    # Blocks, then returns an awaitable for the caller to await.
    clients.slow_down()
    return clients.fetch_async(user_id)
