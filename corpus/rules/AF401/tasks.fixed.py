"""Background tasks nobody keeps."""
import asyncio
from asyncio import create_task as spawn


_background_tasks = set()


def _keep_task(task):
    """Keeps a reference to a background task until it is done, and reports its
    exception instead of losing it (added by asyncfix)."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task):
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        task.get_loop().call_exception_handler(
            {
                "message": "background task failed",
                "exception": task.exception(),
                "task": task,
            }
        )


async def work(n):
    return n


async def fire_and_forget():
    _keep_task(asyncio.create_task(work(1)))  # AF401
    _keep_task(spawn(work(2)))  # AF401: an aliased import
    task = _keep_task(asyncio.ensure_future(work(3)))  # AF401: stored, never read
    _ = _keep_task(asyncio.create_task(work(4)))  # AF401
    _keep_task(asyncio.get_running_loop().create_task(work(5)))  # AF401


async def kept():
    task = asyncio.create_task(work(1))  # ok: awaited later
    await task
    tasks = [asyncio.create_task(work(i)) for i in range(3)]  # ok: in a list that is used
    await asyncio.gather(*tasks)
    self_kept = asyncio.create_task(work(2))  # ok: read by a closure
    return lambda: self_kept


async def grouped():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(work(1))  # ok: the group holds its tasks


def sync_scheduler(loop):
    _keep_task(loop.create_task(work(1)))  # AF401: sync code drops it too


starter = lambda: asyncio.create_task(work(1))  # ok: the lambda returns it
TEXT = "asyncio.create_task(work(1))"  # ok: a string
# asyncio.create_task(work(1))  <- ok: a comment


class Worker:
    def __init__(self):
        self.task = asyncio.create_task(work(1))  # ok: kept on the instance


async def branches(loop, coro, context=None):
    if context is None:
        task = loop.create_task(coro)  # ok: returned below (under either binding)
    else:
        task = loop.create_task(coro, context=context)  # ok
    return task


async def chained():
    task = other = asyncio.create_task(work(2))  # ok: `task` is awaited (issue 16)
    await task


async def chained_unused():
    a = b = _keep_task(asyncio.create_task(work(3)))  # AF401
