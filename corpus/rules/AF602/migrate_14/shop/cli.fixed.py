import asyncio
import sys

from . import repo


async def main(argv):  # AF602
    await repo.place_in_transaction(int(argv[1]))  # AF602
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv)))  # AF602
