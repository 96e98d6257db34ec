import asyncio

import httpx


async def dashboard(user_id, client):
    # AF403
    user, posts, stats = await asyncio.gather(
        get_user(user_id),
        get_posts(user_id),
        client.get_stats(user_id),
    )
    return user, posts, stats


async def bare(user_id):
    # AF403
    _, profile = await asyncio.gather(warm_cache(user_id), load_profile(user_id))
    return profile


async def dependent(user_id):
    user = await get_user(user_id)  # ok: the next call reads `user`
    posts = await get_posts(user.id)
    return posts


async def one_session(db, user_id):
    user = await db.get(User, user_id)  # ok: one session, one query at a time
    orders = await db.scalars(select(Order))
    return user, orders


async def session_as_argument(session, a, b):
    x = await find_user(session, a)  # ok: both use `session`
    y = await find_user(session, b)
    return x, y


async def writes(order, payment):
    await save_order(order)  # ok: writes, in an order that may matter
    await charge(payment)
    await send_receipt(order)


async def locked(lock, a, b):
    async with lock:
        x = await get_user(a)  # ok: under a lock
        y = await get_user(b)
    return x, y


async def with_comment(a, b):
    # AF403: the comments move above the merged statement
    # the second lookup
    x, y = await asyncio.gather(get_user(a), get_user(b))
    return x, y


async def long_calls(account_identifier, other_account_identifier, region):
    # AF403
    primary_account, secondary_account = await asyncio.gather(
        fetch_account_details(account_identifier, region=region, include_history=True),
        fetch_account_details(
            other_account_identifier, region=region, include_history=True
        ),
    )
    return primary_account, secondary_account


def sync(a):
    return a  # ok: no awaits


async def same_object(gen, repo):
    a = await gen.asend(None)  # ok: protocol steps, in order
    b = await gen.asend(1)
    c = await repo.get_user(1)  # ok: one object, its state shared
    d = await repo.get_user(2)
    return a, b, c, d


async def shared_client(client: httpx.AsyncClient):
    # AF403: an httpx client is made to be shared
    a, b = await asyncio.gather(
        client.get("https://a.example.com"),
        client.get("https://b.example.com"),
    )
    return a, b


async def effects():
    await mock_sleep()  # ok: bare awaits that do not say they only read
    await hit_me()


async def asyncio_calls():
    await asyncio.sleep(1)  # ok: asyncio's own calls are about timing
    await asyncio.sleep(2)
