import logging

import httpx
import requests

log = logging.getLogger(__name__)
API = "https://api.example.com"


async def current_weather(city: str) -> dict:
    async with httpx.AsyncClient(follow_redirects=True) as client:
        response = await client.get(f"{API}/current/{city}", timeout=5)  # AF102
    response.raise_for_status()
    return response.json()


async def forecast(city: str, days: int = 3) -> dict:
    try:
        async with httpx.AsyncClient(follow_redirects=True) as client:
            response = await client.get(  # AF102
                f"{API}/forecast/{city}",
                params={"days": days},
                timeout=httpx.Timeout(10, connect=3),
            )
        if response.is_error:
            log.warning("forecast failed: %s", response.reason_phrase)
        return response.json()
    except httpx.TimeoutException:
        return {"error": "timeout"}
    except (httpx.HTTPError, ValueError):
        return {"error": "unavailable"}


async def notify(url: str, payload: dict) -> int:
    async with httpx.AsyncClient(verify=False, timeout=None) as client:
        result = await client.post(url, json=payload, follow_redirects=False)  # AF102
    return result.status_code


async def chained(url: str) -> dict:
    async with httpx.AsyncClient(follow_redirects=True) as client:
        return (await client.get(url, timeout=2)).json()  # AF102


def sync_fetch(url: str) -> dict:
    return requests.get(url).json()  # ok: a plain def may run in a thread


async def not_a_call():
    getter = requests.get  # ok: a reference, not a call
    text = "requests.get(url)"  # ok: a string
    # requests.get(url) in a comment
    return getter, text


async def truth(url: str) -> int:
    async with httpx.AsyncClient(follow_redirects=True) as client:
        r = await client.get(url, timeout=5)  # AF102
    if r.is_error:
        return 0
    ok = not r.is_error
    return r.status_code if not r.is_error else 500 + ok


async def form_and_body(url: str, token: str) -> int:
    payload = {"token": token}
    async with httpx.AsyncClient(follow_redirects=True) as client:
        first = await client.post(url, data=payload, timeout=5)  # AF102
    body = '{"token": "%s"}' % token
    async with httpx.AsyncClient(follow_redirects=True) as client:
        second = await client.post(url, content=token.encode(), timeout=5)  # AF102
    return first.status_code + second.status_code + len(body)
