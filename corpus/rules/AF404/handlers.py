import asyncio
import logging

log = logging.getLogger(__name__)


async def poll_forever():
    while True:
        try:
            await poll_once()
        except BaseException:  # AF404
            log.exception("poll failed")


async def bare():
    try:
        await poll_once()
    except ValueError:
        pass
    except:  # AF404
        log.warning("ignored")


async def tuple_form():
    try:
        await poll_once()
    except (KeyError, BaseException) as e:  # AF404
        log.error("failed: %s", e)


async def swallowed_on_purpose():
    try:
        await poll_once()
    except asyncio.CancelledError:  # ok: a decision, written down
        log.info("cancelled")


async def reraises():
    try:
        await poll_once()
    except BaseException:  # ok: re-raised
        log.exception("failed")
        raise


async def handled_first():
    try:
        await poll_once()
    except asyncio.CancelledError:  # ok: re-raised
        raise
    except BaseException:  # ok: cancellation handled above
        log.exception("failed")


async def exception_only():
    try:
        await poll_once()
    except Exception:  # ok: does not catch CancelledError
        log.exception("failed")


async def no_await():
    try:
        compute()
    except BaseException:  # ok: nothing awaited, nothing to cancel here
        pass


def sync():
    try:
        compute()
    except BaseException:  # ok: not a coroutine
        pass


async def forwards(fut, errors):
    try:
        await poll_once()
    except BaseException as exc:  # ok: handed to a future, which raises it where awaited
        fut.set_exception(exc)
    try:
        await poll_once()
    except BaseException as e:  # ok: kept for the caller
        errors.append(e)
    try:
        await poll_once()
    except:  # ok: saved and re-raised later
        saved = sys.exc_info()
    return saved


async def star_handlers():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(poll_once())
    except* ValueError:
        log.warning("bad value")
    except* BaseException:  # AF404
        log.exception("group failed")


async def star_handled():
    try:
        await poll_once()
    except* asyncio.CancelledError:  # ok: re-raised
        raise
    except* BaseException:  # ok: cancellation handled above
        log.exception("failed")
