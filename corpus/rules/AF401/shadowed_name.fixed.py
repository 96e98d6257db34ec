import asyncio


_background_tasks = set()


def _keep_task_1(task):
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


_keep_task = "a name the module already uses"


async def run():
    _keep_task_1(asyncio.create_task(tick()))  # AF401
