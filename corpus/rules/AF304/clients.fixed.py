import aiohttp
import httpx
from httpx import AsyncClient


async def fetch(url):
    async with httpx.AsyncClient(timeout=5.0) as client:  # AF304
        return await client.get(url)


async def fetch_json(url, headers):
    async with AsyncClient(
        headers=headers, follow_redirects=True, timeout=5.0
    ) as client:  # AF304
        return (await client.get(url)).json()


async def crawl(url):
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=300, sock_connect=30)
    ) as session:  # AF304
        async with session.get(url) as r:
            return await r.text()


async def fine(url, options):
    async with httpx.AsyncClient(timeout=5.0) as c1:  # ok
        pass
    async with httpx.AsyncClient(**options) as c2:  # ok: the options may hold one
        pass
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as s:  # ok
        pass
    with httpx.Client() as sync_client:  # ok: not async
        pass


async def in_process(app):
    # In-process test clients: the app is called through ASGI, no network to wait for.
    async with httpx.AsyncClient(app=app, base_url="http://test") as c3:  # ok
        pass
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c4:  # ok
        pass
    transport = httpx.ASGITransport(app=app)
    async with AsyncClient(transport=transport) as c5:  # ok
        pass
    async with httpx.AsyncClient(
        transport=httpx.AsyncHTTPTransport(retries=2), timeout=5.0
    ) as c6:  # AF304: a real network transport
        pass


async def per_request(url, config_url):
    async with httpx.AsyncClient() as client:  # ok: every request sets its own timeout
        config = await client.get(config_url, timeout=10.0)
        return await client.post(url, json=config.json(), timeout=30)


async def some_per_request(url):
    async with httpx.AsyncClient(
        timeout=5.0
    ) as client:  # AF304: the second request has the default
        await client.get(url, timeout=10.0)
        return await client.get(url + "/more")


async def handed_on(url, work):
    session = aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=300, sock_connect=30)
    )  # AF304: used elsewhere, where requests may set none
    return await work(session, url)
