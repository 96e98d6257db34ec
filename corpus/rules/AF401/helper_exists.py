"""A module asyncfix fixed before: the helper is reused, not added twice."""
import asyncio

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
            {"message": "background task failed", "exception": task.exception(), "task": task}
        )


async def notify(user):
    _keep_task(asyncio.create_task(send(user)))  # ok: kept already
    asyncio.create_task(send(user))  # AF401
