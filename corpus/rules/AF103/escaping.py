import csv


async def export(rows, path: str) -> None:
    with open(path, "w", newline="") as f:  # AF103: reported; csv.writer needs a sync file
        writer = csv.writer(f)
        writer.writerows(rows)


async def keep_handle(path: str):
    with open(path) as f:  # AF103: reported; the file is used after the block
        first = f.readline()
    return first, f.closed


async def mixed(path: str, lock) -> str:
    with lock, open(path) as f:  # AF103: reported; `lock` is not an async context manager
        return f.read()
