from gettext import gettext as _


async def page(user_id):
    await warm_cache(user_id)  # AF403
    title = await load_title(user_id)
    return _(title)
