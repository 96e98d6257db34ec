from sqlalchemy.orm import Session as OrmSession

from .db import Session
from .models import Customer, Order


def customer_orders(db: OrmSession, customer_id: int) -> int:  # AF602
    customer = db.query(Customer).get(customer_id)
    return len(customer.orders)


def place(db: OrmSession, customer_id: int) -> Order:  # AF602
    order = Order(customer_id=customer_id)
    db.add(order)
    db.commit()  # AF602
    return order


def place_in_transaction(customer_id: int) -> None:  # AF602
    with Session.begin() as db:  # AF602
        db.add(Order(customer_id=customer_id))
        db.execute(Order.__table__.delete().where(Order.customer_id == -1))  # AF602
