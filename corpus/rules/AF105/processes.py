import os
import shlex
import subprocess
from subprocess import check_output
from typing import Sequence


async def archive(directory: str) -> bytes:
    result = subprocess.run(["tar", "czf", "-", directory], capture_output=True, check=True)  # AF105
    return result.stdout


async def version() -> str:
    out = check_output(["git", "--version"])  # AF105
    return out.decode()


async def restart(service: str) -> None:
    subprocess.run(["systemctl", "restart", service])  # AF105
    subprocess.check_call(["systemctl", "is-active", service], cwd="/")  # AF105
    os.system("sync")  # AF105


async def with_timeout(cmd: list[str]) -> int:
    return subprocess.run(cmd, timeout=30).returncode  # AF105


async def text_output(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True)  # AF105
    return done.stdout


async def spawn(cmd: list[str]):
    proc = subprocess.Popen(cmd)  # AF105
    return proc


async def reap(pid: int):
    return os.waitpid(pid, 0)  # AF105


def sync_helper() -> None:
    subprocess.run(["true"])  # ok: a plain def


async def untyped(cmd):
    subprocess.run(cmd)  # AF105: a thread; *cmd would run a string's first character


async def split_command(line: str):
    argv = shlex.split(line)
    subprocess.run(argv)  # AF105: an argument list, made by shlex.split


async def joined(extra: Sequence[str]):
    subprocess.run(["git", "status"] + list(extra))  # AF105
