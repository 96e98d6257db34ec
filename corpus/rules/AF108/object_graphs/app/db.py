# Interfaces, their implementations, and a session held by objects (issue 16, idioms 2, 4, 7).
from sqlalchemy.orm import Session


class DBInterface:
    def store_run(self, session, run):
        """Stores a run."""
        raise NotImplementedError()

    def list_runs(self, session):
        pass


class SQLDB(DBInterface):
    def store_run(self, session, run):
        self._upsert(session, run)

    def _upsert(self, session, obj):
        session.merge(obj)
        session.commit()

    def list_runs(self, session):
        return session.execute("select 1").all()


class MemoryDB(DBInterface):
    def list_runs(self, session):
        return []  # not every implementation blocks: list_runs does not


class UsersTable:
    def __init__(self, session: Session):
        self.session = session

    def get_user_by_id(self, user_id):
        return self.session.get("User", user_id)


def open_session() -> Session:
    return Session()


Users = UsersTable(open_session())
