from fastapi import APIRouter

router = APIRouter()


@router.on_event("startup")  # ok: a router's events, not an app's
async def warm():
    pass
