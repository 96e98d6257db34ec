import os
import sys

import pytest


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "shop.db"
    return f"sqlite:///{db}"


@pytest.fixture(scope="session")
def client(database_url):
    os.environ["SHOP_DATABASE_URL"] = database_url
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        del sys.modules[name]
    from fastapi.testclient import TestClient

    from shop.main import app

    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def customer(client):
    r = client.post("/customers", json={"name": "Ada", "email": "ada@example.com"})
    assert r.status_code == 201, r.text
    return r.json()
