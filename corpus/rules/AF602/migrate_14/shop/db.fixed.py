from sqlalchemy import orm
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

engine = create_async_engine("sqlite+aiosqlite:///./shop.db", echo=False)  # AF602
Session = orm.sessionmaker(
    bind=engine, class_=AsyncSession, expire_on_commit=False
)  # AF602
Base = orm.declarative_base()
