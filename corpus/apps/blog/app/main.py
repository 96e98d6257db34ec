from fastapi import FastAPI

from . import models
from .database import engine
from .routers import posts, users

models.Base.metadata.create_all(bind=engine)

app = FastAPI(title="blog")
app.include_router(users.router)
app.include_router(posts.router)


@app.get("/health")
def health():
    return {"ok": True}
