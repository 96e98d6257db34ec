from fastapi import FastAPI

from . import repo
from .db import Base, Session, engine

app = FastAPI()


@app.on_event("startup")
async def create_tables():
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)


@app.on_event("shutdown")
def bye():
    pass


@app.post("/customers/{customer_id}/orders")
async def order(customer_id: int):  # AF602
    async with Session() as db:  # AF602
        await repo.place(db, customer_id)  # AF602
        return {"orders": await repo.customer_orders(db, customer_id)}  # AF602
