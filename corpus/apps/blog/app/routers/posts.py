from typing import List

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from .. import schemas, services
from ..crud import posts as post_crud
from ..database import get_db

router = APIRouter(tags=["posts"])


@router.post("/users/{user_id}/posts", response_model=schemas.PostOut, status_code=201)
async def publish(user_id: int, data: schemas.PostCreate, db: Session = Depends(get_db)):
    return services.publish_new_post(db, user_id, data.title, data.body)


@router.post("/users/{user_id}/drafts", response_model=schemas.PostOut, status_code=201)
def draft(user_id: int, data: schemas.PostCreate, db: Session = Depends(get_db)):
    author = services.require_user(db, user_id)
    return post_crud.create_post(db, author, data.title, data.body)


@router.get("/posts", response_model=List[schemas.PostOut])
async def list_posts(all: bool = False, db: Session = Depends(get_db)):
    return post_crud.list_posts(db, published_only=not all)


@router.get("/posts/{post_id}", response_model=schemas.PostOut)
async def read_post(post_id: int, db: Session = Depends(get_db)):
    post = post_crud.get_post(db, post_id)
    if post is None:
        raise HTTPException(status_code=404, detail="post not found")
    return post


@router.post("/posts/{post_id}/comments", response_model=schemas.CommentOut, status_code=201)
async def comment(post_id: int, text: str, db: Session = Depends(get_db)):
    post = post_crud.get_post(db, post_id)
    if post is None:
        raise HTTPException(status_code=404, detail="post not found")
    return post_crud.add_comment(db, post, text)


@router.get("/stats", response_model=schemas.Stats)
def stats(db: Session = Depends(get_db)):
    return services.blog_stats(db)


@router.delete("/drafts")
async def purge_drafts(db: Session = Depends(get_db)):
    return {"deleted": post_crud.delete_drafts(db)}
