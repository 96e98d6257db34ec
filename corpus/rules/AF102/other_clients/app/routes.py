import httpx2

from .clients import async_client, client, pool


async def proxy(url: str):
    r = pool.request("GET", url)  # AF102
    return r.data


async def profile(user_id: int):
    r = client.get(f"/users/{user_id}")  # AF102
    again = await async_client.get(f"/users/{user_id}")  # ok: the async client
    return r.json(), again.json()


async def ping():
    return httpx2.get("https://example.com/health")  # AF102


def sync_proxy(url: str):
    return pool.request("GET", url).data  # ok: a plain def
