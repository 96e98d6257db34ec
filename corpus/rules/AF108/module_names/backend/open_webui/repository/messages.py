import json


def save_message(message: dict) -> None:
    with open("messages.jsonl", "a") as f:
        f.write(json.dumps(message) + "\n")


def _count_cache(messages: list) -> int:
    return len(messages)
