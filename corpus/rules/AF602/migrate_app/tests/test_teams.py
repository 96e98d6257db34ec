# A test module in the style of FastAPI's tutorial: its own engine and sync session factory,
# the tables made at import, the app's get_db overridden.
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from app.database import Base, get_db
from app.main import app

engine = create_engine("sqlite:///./test.db", connect_args={"check_same_thread": False})  # AF602
TestingSessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)  # AF602

Base.metadata.create_all(bind=engine)  # AF602


def override_get_db():
    db = TestingSessionLocal()
    try:
        yield db
    finally:
        db.close()


# FastAPI awaits an async override: not a sync callback.
app.dependency_overrides[get_db] = override_get_db
client = TestClient(app)


def test_missing_team():
    assert client.get("/teams/1").status_code == 404
