import asyncio
import hashlib
from getpass import getpass

import bcrypt


async def login(password: bytes, stored: bytes) -> bool:
    return await asyncio.to_thread(bcrypt.checkpw, password, stored)  # AF107


async def derive(password: bytes, salt: bytes) -> bytes:
    return await asyncio.to_thread(
        hashlib.pbkdf2_hmac, "sha256", password, salt, 600_000
    )  # AF107


async def ask() -> str:
    name = await asyncio.to_thread(input, "name? ")  # AF107
    secret = await asyncio.to_thread(getpass)  # AF107
    return name + secret


def sync_ask() -> str:
    return input("name? ")  # ok: a plain def


async def fast(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()  # ok: cheap


async def shadowed(input):
    return input("x")  # ok: a parameter, not the builtin
