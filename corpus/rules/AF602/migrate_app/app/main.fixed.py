import asyncio
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession

from . import models, services
from .crud import teams
from .database import SessionLocal, engine, get_db
from .schemas import TeamOut


@asynccontextmanager
async def lifespan(app):
    async with engine.begin() as conn:
        await conn.run_sync(models.Base.metadata.create_all)
    yield


app = FastAPI(title="teams", lifespan=lifespan)


@app.middleware("http")
async def session_per_request(request: Request, call_next):
    request.state.db = SessionLocal()
    try:
        return await call_next(request)
    finally:
        await request.state.db.close()  # AF602


@app.get("/teams/{team_id}", response_model=TeamOut)
async def read_team(team_id: int, db: AsyncSession = Depends(get_db)):  # AF602
    return await teams.get_team(db, team_id)  # AF602


@app.put("/teams/{team_id}", response_model=TeamOut)
async def put_team(
    team_id: int, name: str, db: AsyncSession = Depends(get_db)
):  # AF602
    return await services.rename_team(db, team_id, name)  # AF602


async def nightly() -> None:  # AF602
    async with SessionLocal() as db:  # AF602
        await teams.rename(db, await teams.get_team(db, 1), "nightly")  # AF602


def report():  # ok: no session
    async def inner(db: AsyncSession):  # AF602
        return await teams.get_team(db, 1)  # AF602
    return inner


nightly()  # AF602: module-level code cannot await
scheduler_jobs = [nightly]  # AF602: passed as a value
# Must NOT fire: FastAPI calls what it registers, awaiting the async ones.
app.get("/nightly")(nightly)
app.add_api_route("/nightly2", nightly, methods=["POST"])
app.add_event_handler("startup", nightly)

if __name__ == "__main__":
    asyncio.run(nightly())  # AF602
