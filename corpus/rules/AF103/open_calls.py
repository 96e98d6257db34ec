import io
import json
from pathlib import Path

CONFIG = Path("/etc/demo/config.json")


async def get_config() -> dict:
    with open("config.json") as f:  # AF103
        return json.load(f)


async def save(name: str, data: dict) -> None:
    with open(name, "w", encoding="utf-8") as out:  # AF103
        json.dump(data, out, indent=2)
        out.write("\n")


async def count_lines(path: str) -> int:
    n = 0
    with io.open(path, "rb") as fh:  # AF103
        for _line in fh:
            n += 1
    return n


async def copy(src: str, dst: str) -> None:
    with open(src, "rb") as a, open(dst, "wb") as b:  # AF103
        b.write(a.read())


async def one_liner(path: str) -> str:
    text = open(path).read()  # AF103
    return text.strip()


async def loaded(path: str) -> dict:
    data = json.load(open(path))  # AF103
    return data


async def pathlib_calls() -> str:
    raw = CONFIG.read_text()  # AF103
    Path("/tmp/out.txt").write_text(raw)  # AF103
    with CONFIG.open() as f:  # AF103
        return f.readline()


def sync_reader(path: str) -> str:
    with open(path) as f:  # ok: a plain def
        return f.read()


async def nested():
    def helper(path):
        with open(path) as f:  # ok: nested def
            return f.read()

    return helper
