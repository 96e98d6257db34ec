import json
import urllib.error
import urllib.request
from urllib.request import Request, urlopen

import httpx

BASE = "https://api.example.com"


async def fetch_bytes(url: str) -> bytes:
    async with httpx.AsyncClient(follow_redirects=True) as client:  # AF102
        r = await client.get(url, timeout=10)
        r.raise_for_status()
        body = r.content
        status = r.status_code
    return body if status == 200 else b""


async def fetch_text(path: str) -> str:
    async with httpx.AsyncClient(follow_redirects=True) as client:
        response = await client.get(BASE + path, timeout=None)
        response.raise_for_status()
        page = response.content  # AF102
    return page.decode()


async def post_raw(url: str, payload: dict) -> int:
    async with httpx.AsyncClient(follow_redirects=True) as client:
        r = await client.post(
            url, content=json.dumps(payload).encode(), timeout=None
        )  # AF102
        r.raise_for_status()
    return r.status_code


async def guarded(url: str) -> bytes:
    try:
        async with httpx.AsyncClient(follow_redirects=True) as client:  # AF102
            r = await client.get(url, timeout=None)
            r.raise_for_status()
            return r.content
    except httpx.HTTPStatusError:
        return b"status"
    except httpx.HTTPError:
        return b"network"


async def unknown_url(url) -> bytes:
    with urlopen(url) as r:  # AF102: url may be a Request: reported only
        return r.read()


async def with_request(url: str) -> bytes:
    with urlopen(Request(url, headers={"X": "1"})) as r:  # AF102: a Request: reported only
        return r.read()


async def reads_the_error(url: str) -> int:
    try:
        with urlopen(url) as r:  # AF102: the handler reads e.code: reported only
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


async def file_like(url: str) -> dict:
    with urlopen(url) as r:  # AF102: json.load(r) reads it as a file: reported only
        return json.load(r)
