"""Housekeeping the app does outside requests."""
import atexit

from .crud import posts as post_crud
from .database import SessionLocal


def purge_drafts_at_exit() -> None:
    # Runs from atexit, a sync callback: after the migration it cannot await anything.
    with SessionLocal() as db:
        post_crud.delete_drafts(db)


def install() -> None:
    atexit.register(purge_drafts_at_exit)
