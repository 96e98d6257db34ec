import logging

import requests
from requests import post as send

log = logging.getLogger(__name__)
API = "https://api.example.com"


async def current_weather(city: str) -> dict:
    response = requests.get(f"{API}/current/{city}", timeout=5)  # AF102
    response.raise_for_status()
    return response.json()


async def forecast(city: str, days: int = 3) -> dict:
    try:
        response = requests.get(  # AF102
            f"{API}/forecast/{city}",
            params={"days": days},
            timeout=(3, 10),
        )
        if not response.ok:
            log.warning("forecast failed: %s", response.reason)
        return response.json()
    except requests.exceptions.Timeout:
        return {"error": "timeout"}
    except (requests.RequestException, ValueError):
        return {"error": "unavailable"}


async def notify(url: str, payload: dict) -> int:
    result = send(url, json=payload, allow_redirects=False, verify=False)  # AF102
    return result.status_code


async def chained(url: str) -> dict:
    return requests.get(url, timeout=2).json()  # AF102


def sync_fetch(url: str) -> dict:
    return requests.get(url).json()  # ok: a plain def may run in a thread


async def not_a_call():
    getter = requests.get  # ok: a reference, not a call
    text = "requests.get(url)"  # ok: a string
    # requests.get(url) in a comment
    return getter, text


async def truth(url: str) -> int:
    r = requests.get(url, timeout=5)  # AF102
    if not r:
        return 0
    ok = bool(r)
    return r.status_code if r else 500 + ok


async def form_and_body(url: str, token: str) -> int:
    payload = {"token": token}
    first = requests.post(url, data=payload, timeout=5)  # AF102
    body = '{"token": "%s"}' % token
    second = requests.post(url, data=token.encode(), timeout=5)  # AF102
    return first.status_code + second.status_code + len(body)
