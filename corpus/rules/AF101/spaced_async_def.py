"""The only coroutine is spelled `async` and `def` across a line continuation: the prefilter
must still let the file through."""
import time


async \
    def poll():
    time.sleep(0.5)  # AF101


def sync_poll():
    time.sleep(0.5)
