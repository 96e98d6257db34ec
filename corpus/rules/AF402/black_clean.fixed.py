# Black-formatted input: the fixed file must stay black-formatted (tests/cli/black_accepts_the_fixes.sh).
import asyncio


async def _bounded_gather(limit, *aws, return_exceptions=False):
    """asyncio.gather() with at most `limit` of the awaitables running at once; the
    results in the same order (added by asyncfix)."""
    semaphore = asyncio.Semaphore(limit)

    async def bounded(aw):
        async with semaphore:
            return await aw

    return await asyncio.gather(
        *[bounded(aw) for aw in aws], return_exceptions=return_exceptions
    )


async def fetch_account(account_identifier: int) -> int:
    return account_identifier


async def fetch_all(account_ids: list[int]) -> list[int]:
    return await _bounded_gather(10, *[fetch_account(i) for i in account_ids])  # AF402
