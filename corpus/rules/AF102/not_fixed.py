import urllib.request

import requests

SESSION = requests.Session()


async def streaming(url: str) -> int:
    response = requests.get(url, stream=True, timeout=5)  # AF102: reported, streaming is converted by hand
    total = 0
    for chunk in response.iter_content(1024):
        total += len(chunk)
    return total


async def shared_session(url: str) -> str:
    return SESSION.get(url, timeout=5).text  # AF102: a module-level session: reported only


async def legacy(url: str) -> bytes:
    with urllib.request.urlopen(url) as r:  # AF102
        return r.read()


async def splat(url: str, **kwargs) -> int:
    return requests.get(url, **kwargs).status_code  # AF102
