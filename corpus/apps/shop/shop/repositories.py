"""Data access: the only module that speaks SQLAlchemy queries."""
from typing import List, Optional

from sqlalchemy.orm import Session

from . import models


class CustomerRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, customer_id: int) -> Optional[models.Customer]:
        return self.session.query(models.Customer).get(customer_id)

    def by_email(self, email: str) -> Optional[models.Customer]:
        return self.session.query(models.Customer).filter_by(email=email).first()

    def add(self, name: str, email: str) -> models.Customer:
        customer = models.Customer(name=name, email=email)
        self.session.add(customer)
        self.session.flush()
        return customer


class ProductRepository:
    def __init__(self, session: Session):
        self.session = session

    def all(self) -> List[models.Product]:
        return self.session.query(models.Product).order_by(models.Product.sku).all()

    def by_sku(self, sku: str) -> Optional[models.Product]:
        return self.session.query(models.Product).filter(models.Product.sku == sku).one_or_none()

    def count(self) -> int:
        return self.session.query(models.Product).count()


class OrderRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, order_id: int) -> Optional[models.Order]:
        return self.session.get(models.Order, order_id)

    def for_customer(self, customer_id: int) -> List[models.Order]:
        return (
            self.session.query(models.Order)
            .filter(models.Order.customer_id == customer_id)
            .order_by(models.Order.id.desc())
            .all()
        )

    def open_orders(self) -> List[models.Order]:
        return self.session.query(models.Order).filter_by(status="open").all()

    def delete(self, order: models.Order) -> None:
        self.session.delete(order)
