# Fixtures in the style of SQLModel's tutorial: a module-wide in-memory database, the app's
# session dependency overridden with the fixture's session, a first player made through CRUD.
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, create_engine
from sqlmodel.pool import StaticPool

from roster import crud
from roster.db import get_session
from roster.main import app
from roster.models import PlayerCreate


@pytest.fixture(name="session", scope="module")
def session_fixture():
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session


@pytest.fixture(name="client", scope="module")
def client_fixture(session: Session):
    def get_session_override():
        return session

    app.dependency_overrides[get_session] = get_session_override
    crud.player.create(session, PlayerCreate(name="Ada", email="ada@example.com"))
    yield TestClient(app)
    app.dependency_overrides.clear()
