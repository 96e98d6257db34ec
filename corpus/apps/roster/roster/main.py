from typing import List

from fastapi import Depends, FastAPI, HTTPException
from sqlmodel import Session

from roster import crud
from roster.db import create_db_and_tables, get_session
from roster.models import PlayerCreate, PlayerRead, PlayerUpdate

app = FastAPI()


@app.on_event("startup")
def on_startup():
    create_db_and_tables()


@app.post("/players/", response_model=PlayerRead)
def create_player(player: PlayerCreate, session: Session = Depends(get_session)):
    if crud.player.get_by_email(session, player.email):
        raise HTTPException(status_code=400, detail="email already registered")
    return crud.player.create(session, PlayerCreate(name=player.name, email=player.email.lower()))


@app.get("/players/", response_model=List[PlayerRead])
def list_players(session: Session = Depends(get_session)):
    return crud.player.get_multi(session)


@app.get("/players/{player_id}", response_model=PlayerRead)
def read_player(player_id: int, session: Session = Depends(get_session)):
    found = crud.player.get(session, player_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such player")
    return found


@app.patch("/players/{player_id}", response_model=PlayerRead)
def update_player(player_id: int, patch: PlayerUpdate, session: Session = Depends(get_session)):
    updated = crud.player.update(session, player_id, patch.dict(exclude_unset=True))
    if updated is None:
        raise HTTPException(status_code=404, detail="no such player")
    return updated
