# The CLI runs its commands synchronously (typer calls them): a command works from the
# command line and when a test calls it as a function.
from typer.testing import CliRunner

from roster.cli import add_player, cli


def test_add_player_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["Ada", "ADA@example.com"])
    assert result.exit_code == 0, result.output
    assert "added Ada <ada@example.com>" in result.output


def test_add_player_called_directly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = add_player("Grace", "grace@example.com", quiet=True)
    assert made.email == "grace@example.com"
