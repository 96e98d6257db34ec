# A report that reads another database with an engine of its own, synchronously (as pandas'
# read_sql does): that engine is not the app's and stays sync. The app's engine, made by a
# function and returned, is migrated.
import sqlalchemy
from sqlalchemy import create_engine, text


def table_sizes(db_path, tables):
    engine = sqlalchemy.create_engine(db_path)
    sizes = {}
    with engine.connect() as con:
        for t in tables:
            sizes[t] = con.execute(text(f"select count(*) from {t}")).scalar()
    engine.dispose()
    return sizes


def make_engine(url):
    engine = create_engine(url)  # AF602
    return engine
