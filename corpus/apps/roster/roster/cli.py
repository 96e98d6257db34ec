import typer
from sqlmodel import Session

from roster import crud
from roster.db import create_db_and_tables, engine
from roster.models import PlayerCreate

cli = typer.Typer(name="roster")


@cli.command()
def add_player(name: str, email: str, *, quiet: bool = False):
    """Add a player to the roster."""
    create_db_and_tables()
    with Session(engine) as session:
        made = crud.player.create(session, PlayerCreate(name=name, email=email.lower()))
        if not quiet:
            typer.echo(f"added {made.name} <{made.email}>")
        return made


if __name__ == "__main__":
    cli()
