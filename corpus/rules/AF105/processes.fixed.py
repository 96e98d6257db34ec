import asyncio
import os
import shlex
import subprocess
from typing import Sequence


async def archive(directory: str) -> bytes:
    proc_1 = await asyncio.create_subprocess_exec(
        "tar",
        "czf",
        "-",
        directory,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await proc_1.communicate()
    result = subprocess.CompletedProcess(
        ["tar", "czf", "-", directory], proc_1.returncode, stdout, stderr
    )
    result.check_returncode()  # AF105
    return result.stdout


async def version() -> str:
    proc_1 = await asyncio.create_subprocess_exec(
        "git", "--version", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc_1.communicate()
    if proc_1.returncode:
        raise subprocess.CalledProcessError(
            proc_1.returncode, ["git", "--version"], out
        )  # AF105
    return out.decode()


async def restart(service: str) -> None:
    proc_1 = await asyncio.create_subprocess_exec("systemctl", "restart", service)
    await proc_1.wait()  # AF105
    proc_1 = await asyncio.create_subprocess_exec(
        "systemctl", "is-active", service, cwd="/"
    )
    await proc_1.wait()
    if proc_1.returncode:
        raise subprocess.CalledProcessError(
            proc_1.returncode, ["systemctl", "is-active", service]
        )  # AF105
    proc_1 = await asyncio.create_subprocess_shell("sync")
    await proc_1.wait()  # AF105


async def with_timeout(cmd: list[str]) -> int:
    return (
        await asyncio.to_thread(subprocess.run, cmd, timeout=30)
    ).returncode  # AF105


async def text_output(cmd: list[str]) -> str:
    proc_1 = await asyncio.create_subprocess_exec(
        *cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await proc_1.communicate()
    done = subprocess.CompletedProcess(
        cmd, proc_1.returncode, stdout.decode(), stderr.decode()
    )  # AF105
    return done.stdout


async def spawn(cmd: list[str]):
    proc = subprocess.Popen(cmd)  # AF105
    return proc


async def reap(pid: int):
    return await asyncio.to_thread(os.waitpid, pid, 0)  # AF105


def sync_helper() -> None:
    subprocess.run(["true"])  # ok: a plain def


async def untyped(cmd):
    await asyncio.to_thread(
        subprocess.run, cmd
    )  # AF105: a thread; *cmd would run a string's first character


async def split_command(line: str):
    argv = shlex.split(line)
    proc_1 = await asyncio.create_subprocess_exec(*argv)
    await proc_1.wait()  # AF105: an argument list, made by shlex.split


async def joined(extra: Sequence[str]):
    proc_1 = await asyncio.create_subprocess_exec(*["git", "status"] + list(extra))
    await proc_1.wait()  # AF105
