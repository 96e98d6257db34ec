# A comment that says the blocking is on purpose: the finding stays, without a fix.
import asyncio
import time


async def test_delayed_job_still_runs(scheduler):
    await scheduler.add(job, at=1)
    # purposely block the loop so that the job is late when the loop comes back
    time.sleep(2)  # AF101
    await asyncio.sleep(1)
    assert scheduler.ran == 1


async def stall_worker(worker):
    time.sleep(0.5)  # AF101: deliberately blocking: simulates a stuck event loop
    await worker.poll()


async def pause(seconds):
    # wait before retrying
    time.sleep(seconds)  # AF101
