import httpx


async def with_client(urls: list[str]) -> list[int]:
    codes = []
    async with httpx.AsyncClient(timeout=10) as client:
        for url in urls:
            response = await client.get(url, timeout=3, follow_redirects=True)  # AF102
            codes.append(response.status_code)
    return codes


async def with_parameter(client: httpx.AsyncClient, url: str) -> str:
    return (
        await client.post(url, content="ping", timeout=1, follow_redirects=True)
    ).text  # AF102


async def sessions(urls: list[str]) -> list[str]:
    out = []
    async with httpx.AsyncClient(follow_redirects=True, timeout=None) as s:
        s.headers.update({"User-Agent": "demo"})
        for url in urls:
            out.append((await s.get(url, timeout=5)).text)  # AF102
    return out


async def sync_httpx(url: str) -> bytes:
    async with httpx.AsyncClient(base_url=url) as c:
        r = await c.get("/health")  # AF102
    return r.content


async def module_level_httpx(url: str) -> int:
    return (await HTTP.get(url)).status_code  # AF102


HTTP = httpx.AsyncClient(timeout=30)
AUTHED = httpx.AsyncClient(headers={"Authorization": "Bearer secret"})


async def shared_module_client(url: str) -> int:
    return (
        await HTTP.get(url, follow_redirects=True, timeout=None)
    ).status_code  # AF102: HTTP is shared, AUTHED would send its header
