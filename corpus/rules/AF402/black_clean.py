# Black-formatted input: the fixed file must stay black-formatted (tests/cli/black_accepts_the_fixes.sh).
import asyncio


async def fetch_account(account_identifier: int) -> int:
    return account_identifier


async def fetch_all(account_ids: list[int]) -> list[int]:
    return await asyncio.gather(*[fetch_account(i) for i in account_ids])  # AF402
