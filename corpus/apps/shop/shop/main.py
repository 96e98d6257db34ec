from fastapi import FastAPI

from .database import Base, SessionLocal, engine
from .routers import catalog as catalog_routes
from .routers import customers, orders
from .services import catalog

Base.metadata.create_all(bind=engine)

app = FastAPI(title="shop")
app.include_router(customers.router)
app.include_router(catalog_routes.router)
app.include_router(orders.router)


@app.on_event("startup")
def seed_catalog() -> None:
    with SessionLocal() as session:
        catalog.seed(session)


@app.get("/health")
def health():
    return {"status": "ok"}
