import json
import os
import subprocess

from ..config import REPORT_DIR


async def load_report(name: str) -> dict:
    path = os.path.join(REPORT_DIR, name + ".json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


async def save_report(name: str, data: dict) -> None:
    os.makedirs(REPORT_DIR, exist_ok=True)
    with open(os.path.join(REPORT_DIR, name + ".json"), "w") as f:
        json.dump(data, f)


async def archive_reports() -> str:
    result = subprocess.run(["tar", "czf", "reports.tgz", REPORT_DIR], capture_output=True, text=True)
    return result.stdout
