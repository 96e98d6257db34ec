# aiofiles is not a dependency of this project: the fix is shown, never applied.
import json
import os

import aiohttp


async def post_status(url, text):
    payload = {"body": text}
    if "GITHUB_EVENT_PATH" in os.environ:
        with open(os.environ["GITHUB_EVENT_PATH"]) as fp:  # AF103
            event = json.loads(fp.read())
            payload["issue"] = event["number"]
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json=payload) as resp:
            return resp.status
