from fastapi import Depends, Header, HTTPException
from sqlalchemy.orm import Session

from . import models
from .database import get_session
from .repositories import CustomerRepository
from .services.checkout import CheckoutService


def get_checkout(session: Session = Depends(get_session)) -> CheckoutService:
    return CheckoutService(session)


def current_customer(
    x_customer_id: int = Header(...), session: Session = Depends(get_session)
) -> models.Customer:
    customer = CustomerRepository(session).get(x_customer_id)
    if customer is None:
        raise HTTPException(status_code=401, detail="unknown customer")
    return customer
