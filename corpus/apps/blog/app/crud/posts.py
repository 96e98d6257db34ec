from typing import List, Optional

from sqlalchemy.orm import Session

from .. import models


def get_post(db: Session, post_id: int) -> Optional[models.Post]:
    return db.query(models.Post).filter(models.Post.id == post_id).one_or_none()


def list_posts(db: Session, published_only: bool = True) -> List[models.Post]:
    query = db.query(models.Post)
    if published_only:
        query = query.filter(models.Post.published == True)  # noqa: E712
    return query.order_by(models.Post.id).all()


def posts_by(db: Session, author_id: int) -> List[models.Post]:
    return db.query(models.Post).filter_by(author_id=author_id).order_by(models.Post.id).all()


def count_posts(db: Session, published: bool = False) -> int:
    if published:
        return db.query(models.Post).filter(models.Post.published == True).count()  # noqa: E712
    return db.query(models.Post).count()


def create_post(db: Session, author: models.User, title: str, body: str) -> models.Post:
    post = models.Post(title=title, body=body, author=author)
    db.add(post)
    db.commit()
    db.refresh(post)
    return post


def set_published(db: Session, post: models.Post, published: bool) -> models.Post:
    post.published = published
    db.commit()
    db.refresh(post)
    return post


def add_comment(db: Session, post: models.Post, text: str) -> models.Comment:
    comment = models.Comment(text=text, post=post)
    db.add(comment)
    db.commit()
    db.refresh(comment)
    return comment


def delete_drafts(db: Session) -> int:
    deleted = db.query(models.Post).filter(models.Post.published == False).delete(synchronize_session=False)  # noqa: E712
    db.commit()
    return deleted
