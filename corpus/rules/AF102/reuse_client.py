import httpx
import requests


async def with_client(urls: list[str]) -> list[int]:
    codes = []
    async with httpx.AsyncClient(timeout=10) as client:
        for url in urls:
            response = requests.get(url, timeout=3)  # AF102
            codes.append(response.status_code)
    return codes


async def with_parameter(client: httpx.AsyncClient, url: str) -> str:
    return requests.post(url, data="ping", timeout=1).text  # AF102


async def sessions(urls: list[str]) -> list[str]:
    out = []
    with requests.Session() as s:
        s.headers.update({"User-Agent": "demo"})
        for url in urls:
            out.append(s.get(url, timeout=5).text)  # AF102
    return out


async def sync_httpx(url: str) -> bytes:
    with httpx.Client(base_url=url) as c:
        r = c.get("/health")  # AF102
    return r.content


async def module_level_httpx(url: str) -> int:
    return httpx.get(url).status_code  # AF102


HTTP = httpx.AsyncClient(timeout=30)
AUTHED = httpx.AsyncClient(headers={"Authorization": "Bearer secret"})


async def shared_module_client(url: str) -> int:
    return requests.get(url).status_code  # AF102: HTTP is shared, AUTHED would send its header
