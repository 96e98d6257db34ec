from fastapi import FastAPI

from . import repo
from .db import Base, Session, engine

app = FastAPI()
Base.metadata.create_all(engine)  # AF602


@app.on_event("shutdown")
def bye():
    pass


@app.post("/customers/{customer_id}/orders")
def order(customer_id: int):  # AF602
    with Session() as db:  # AF602
        repo.place(db, customer_id)  # AF602
        return {"orders": repo.customer_orders(db, customer_id)}  # AF602
