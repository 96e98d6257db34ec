from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from .. import schemas
from ..database import get_session
from ..repositories import CustomerRepository

router = APIRouter(prefix="/customers", tags=["customers"])


@router.post("", response_model=schemas.CustomerOut, status_code=201)
async def register(data: schemas.CustomerIn, session: Session = Depends(get_session)):
    repo = CustomerRepository(session)
    if repo.by_email(data.email) is not None:
        raise HTTPException(status_code=409, detail="email taken")
    customer = repo.add(data.name, data.email)
    session.commit()
    return customer
