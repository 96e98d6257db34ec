import asyncio
from gettext import gettext as _


async def page(user_id):
    # AF403
    _unused, title = await asyncio.gather(warm_cache(user_id), load_title(user_id))
    return _(title)
