# A module that never names the ORM or its classes: what create_session returns is known from
# its annotation in base.py, so the file must be read all the same.
from .base import create_async_session, create_session


async def start_scheduler():
    db = None
    try:
        db = create_session()
    finally:
        db.close()  # AF106


async def start_async_scheduler():
    session = create_async_session()
    try:
        await session.commit()  # ok: annotated async in base.py
    finally:
        await session.close()  # ok
