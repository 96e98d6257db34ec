# Code that parses (tree-sitter and `ast.parse` accept it) but that Python refuses to compile.
import asyncio


async def rows():
    yield 1
    return 2  # AF000


async def relay(source):
    yield from source  # AF000


def groups():
    try:
        pass
    except* ValueError:
        pass
    except TypeError:  # AF000
        pass


def stop(xs):
    for x in xs:
        pass
    else:
        break  # AF000


def squares(xs):
    return [(yield x) for x in xs]  # AF000


class Config:
    return None  # AF000


async def fine():
    # A bare `return` in an async generator, a nested generator's `return 1`, a loop's
    # `break`, `yield` in a plain def: all compile.
    def inner():
        yield 1
        return 1

    for x in range(3):
        if x:
            break
    yield inner
    await asyncio.sleep(0)
    return
