# CRUD on a database of the test's own: a plain fixture named `db` (no annotation) made in
# this module, the tables created and dropped around each test.
import pytest
from sqlmodel import Session, SQLModel, create_engine
from sqlmodel.pool import StaticPool

from roster import crud
from roster.db import get_session
from roster.models import Player, PlayerCreate


@pytest.fixture
def db():
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    SQLModel.metadata.create_all(engine)
    session = Session(engine)
    yield session
    session.close()
    SQLModel.metadata.drop_all(engine)


def test_create_then_get(db):
    made = crud.player.create(db, PlayerCreate(name="Ada", email="ada@example.com"))
    assert crud.player.get(db, made.id).email == "ada@example.com"


def test_commit_then_find_by_email(db):
    db.add(Player(name="Grace", email="grace@example.com"))
    db.commit()
    assert crud.player.get_by_email(db, "GRACE@example.com").name == "Grace"


def test_update_through_the_subclass(db):
    made = crud.player.create(db, PlayerCreate(name="Linus", email="linus@example.com"))
    updated = crud.player.update(db, made.id, {"email": "Linus@Example.COM", "active": False})
    assert updated.email == "linus@example.com" and updated.active is False
    assert crud.player.update(db, 9999, {"active": True}) is None


def test_the_session_dependency_gives_a_session():
    for session in get_session():
        assert isinstance(session, Session)
