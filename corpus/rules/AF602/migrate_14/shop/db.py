import sqlalchemy as sa
from sqlalchemy import orm

engine = sa.create_engine("sqlite:///./shop.db", echo=False)  # AF602
Session = orm.sessionmaker(bind=engine)  # AF602
Base = orm.declarative_base()
