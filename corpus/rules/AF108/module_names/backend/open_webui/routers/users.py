from corestore.blobs import blob_key, copy_blob
from open_webui.models.users import display_name, get_user_by_id
from open_webui.repository import normalize_tag, save_message


async def read_user(user_id: int):
    user = get_user_by_id(user_id)  # AF108
    return display_name(user)  # ok: no blocking call inside


async def post_message(message: dict):
    save_message(message)  # AF108
    return normalize_tag(message["tag"])  # ok: star-imported too, and it does not block


async def backup(name: str):
    copy_blob(name, name + ".bak")  # AF108
    return blob_key(name)  # ok
