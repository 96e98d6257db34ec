# A `src/` layout: imported as `corestore.blobs`, from libs/store/src.
import shutil


def copy_blob(src: str, dst: str) -> None:
    shutil.copyfile(src, dst)


def blob_key(name: str) -> str:
    return "blob/" + name
