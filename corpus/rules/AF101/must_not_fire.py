import time

import other


def sync_handler():
    time.sleep(1)  # ok: a plain def may run in a thread


async def handler():
    def nested():
        time.sleep(1)  # ok: nested def

    cb = lambda: time.sleep(1)  # ok: lambda
    other.sleep(1)  # ok: not time.sleep
    f = time.sleep  # ok: a reference, not a call
    text = "time.sleep(1)"  # ok: a string
    # time.sleep(1) in a comment
    return nested, cb, f, text


async def shadowed(time):
    time.sleep(1)  # ok: the parameter is not the module


class Worker:
    time.sleep(0)  # ok: class body at import time

    async def run(self):
        sleep = self.sleep
        sleep(1)  # ok: a local name, not time.sleep

    def sleep(self, n):
        pass
