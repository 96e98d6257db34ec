# Black-formatted input: the fixed file must stay black-formatted (tests/cli/black_accepts_the_fixes.sh).
import httpx


async def fetch_profile(url: str, headers: dict) -> dict:
    async with httpx.AsyncClient(
        headers=headers, follow_redirects=True, timeout=5.0
    ) as c:  # AF304
        return (await c.get(url)).json()
