from .player import player  # noqa: F401
