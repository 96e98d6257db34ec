def normalize_tag(tag: str) -> str:
    return tag.strip().lower()
