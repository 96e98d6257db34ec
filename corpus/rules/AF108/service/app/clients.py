import time

import requests

API = "https://users.example.com"


def fetch_user(user_id: int) -> dict:
    return requests.get(f"{API}/users/{user_id}", timeout=5).json()


def slow_down() -> None:
    time.sleep(0.1)


def format_name(user: dict) -> str:
    return user["first"] + " " + user["last"]


async def fetch_async(user_id: int) -> dict:
    return {"id": user_id}
