import json
import urllib.error
import urllib.request
from urllib.request import Request, urlopen

BASE = "https://api.example.com"


async def fetch_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as r:  # AF102
        body = r.read()
        status = r.status
    return body if status == 200 else b""


async def fetch_text(path: str) -> str:
    page = urlopen(BASE + path).read()  # AF102
    return page.decode()


async def post_raw(url: str, payload: dict) -> int:
    r = urlopen(url, data=json.dumps(payload).encode())  # AF102
    return r.getcode()


async def guarded(url: str) -> bytes:
    try:
        with urlopen(url) as r:  # AF102
            return r.read()
    except urllib.error.HTTPError:
        return b"status"
    except urllib.error.URLError:
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
