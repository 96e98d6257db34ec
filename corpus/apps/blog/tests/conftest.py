import os
import sys

import pytest


@pytest.fixture(scope="session")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "blog.db"
    os.environ["BLOG_DATABASE_URL"] = f"sqlite:///{db}"
    for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
        del sys.modules[name]
    from fastapi.testclient import TestClient

    from app.main import app

    with TestClient(app) as c:
        yield c
