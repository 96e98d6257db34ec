from fastapi import FastAPI

app = FastAPI()


@app.on_event("startup")  # AF501: reported, FastAPI 0.92 has no lifespan=
async def warm():
    pass
