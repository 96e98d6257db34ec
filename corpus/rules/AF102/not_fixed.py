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
    request = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(request) as r:  # AF102: a Request object: reported only
        return r.read()


async def splat(url: str, **kwargs) -> int:
    return requests.get(url, **kwargs).status_code  # AF102


async def upload(url: str, path: str) -> int:
    with open(path, "rb") as f:
        return requests.post(url, data=f, timeout=5).status_code  # AF102: a sync file: not for httpx's AsyncClient


async def maybe_response(url: str, retry: bool) -> int:
    r = None
    if retry:
        r = requests.get(url, timeout=5)  # AF102: r may be None where its truth is tested
    return 1 if r else 0
