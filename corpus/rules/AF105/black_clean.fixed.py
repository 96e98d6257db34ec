# Black-formatted input: the fixed file must stay black-formatted (tests/cli/black_accepts_the_fixes.sh).
import asyncio
import subprocess


async def archive(directory: str, destination: str) -> int:
    result = await asyncio.to_thread(
        subprocess.run, ["tar", "czf", destination, directory], check=True
    )  # AF105
    return result.returncode
