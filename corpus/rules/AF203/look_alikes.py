import subprocess


class Runner:
    def run(self, coro):
        return coro


async def handler(runner: Runner, asyncio):
    runner.run(work())  # ok: not asyncio.run
    asyncio.run(work())  # ok: `asyncio` here is a parameter
    subprocess.run(["ls"])  # ok: another module's run
    text = "asyncio.run(work())"  # ok: a string
    return text


async def work():
    return 1
