# A module of a namespace package (no __init__.py in open_webui/ nor in models/), imported
# from the folder that holds pyproject.toml: `open_webui.models.users`.
import sqlite3


def get_user_by_id(user_id: int):
    conn = sqlite3.connect("users.db")
    return conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()


def display_name(user: dict) -> str:
    return user["first"] + " " + user["last"]
