from fastapi import APIRouter, BackgroundTasks, WebSocket

from .mail import mailer, send_welcome_email

router = APIRouter()


@router.post("/signup")
async def signup(email: str):
    await send_welcome_email(email)  # AF502
    await mailer.send_message(email, "hi")  # AF502
    await post_webhook("signup", email)  # AF502
    return {"ok": True}


@router.post("/signup2")
async def signup_later(email: str, background_tasks: BackgroundTasks):
    background_tasks.add_task(send_welcome_email, email)  # ok: after the response
    return {"ok": True}


@router.get("/user")
async def read(uid: int):
    user = await load_user(uid)  # ok: the response needs it
    sent = await send_welcome_email(user.email)  # ok: its result is used
    return {"user": user, "sent": sent}


async def not_a_handler(email):
    await send_welcome_email(email)  # ok: not a route handler


@router.websocket("/chat")
async def chat(websocket: WebSocket):
    await websocket.accept()
    await mailer.send_message("room", await websocket.receive_text())  # ok: a websocket has no response to send first (issue 16)


@router.post("/relay")
async def relay(socket: WebSocket):
    await socket.send_message("x")  # ok: a WebSocket parameter: a websocket endpoint
