from typing import List

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from .. import models, schemas
from ..database import get_session
from ..deps import current_customer, get_checkout
from ..repositories import OrderRepository
from ..services.checkout import CheckoutService, OutOfStock

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", response_model=schemas.OrderOut, status_code=201)
async def place_order(
    data: schemas.OrderIn,
    customer: models.Customer = Depends(current_customer),
    checkout: CheckoutService = Depends(get_checkout),
):
    try:
        return checkout.place_order(customer, [(line.sku, line.quantity) for line in data.lines])
    except LookupError as e:
        raise HTTPException(status_code=404, detail=f"no product {e}")
    except OutOfStock as e:
        raise HTTPException(status_code=409, detail=f"out of stock: {e}")


@router.get("", response_model=List[schemas.OrderOut])
async def my_orders(customer: models.Customer = Depends(current_customer), session: Session = Depends(get_session)):
    return OrderRepository(session).for_customer(customer.id)


@router.get("/{order_id}", response_model=schemas.OrderOut)
def read_order(order_id: int, session: Session = Depends(get_session)):
    order = OrderRepository(session).get(order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="no such order")
    return order


@router.delete("/{order_id}", status_code=204)
async def cancel_order(
    order_id: int,
    customer: models.Customer = Depends(current_customer),
    session: Session = Depends(get_session),
    checkout: CheckoutService = Depends(get_checkout),
):
    order = OrderRepository(session).get(order_id)
    if order is None or order.customer_id != customer.id:
        raise HTTPException(status_code=404, detail="no such order")
    checkout.cancel(order)
