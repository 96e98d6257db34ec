def total(items):
    return sum(items  # AF000


async def later():
    pass
