# Jobs run outside requests, on the app's own database.
from roster.cli import add_player
from roster.db import create_db_and_tables
from roster.jobs import active_count, deactivate


def test_deactivate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    create_db_and_tables()
    before = active_count()
    add_player("Ada", "ada.jobs@example.com", quiet=True)
    add_player("Grace", "grace.jobs@example.com", quiet=True)
    assert active_count() == before + 2
    assert deactivate("ada.jobs@example.com") is True
    assert deactivate("nobody@example.com") is False
    assert active_count() == before + 1
