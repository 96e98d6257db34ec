# Black-formatted input: the fixed file must stay black-formatted (tests/cli/black_accepts_the_fixes.sh).
import logging

log = logging.getLogger(__name__)


async def poll_forever(poll_once):
    while True:
        try:
            await poll_once()
        except BaseException:  # AF404
            log.exception("poll failed")
