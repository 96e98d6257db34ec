# In a test, blocking may be the point: the fix stays, marked unsafe.
import asyncio


async def test_watchdog_notices_a_blocked_loop():
    asyncio.get_running_loop().call_later(0.05, print, "tick")
    await asyncio.sleep(0.2)  # AF101: the watchdog test needs a blocked loop
