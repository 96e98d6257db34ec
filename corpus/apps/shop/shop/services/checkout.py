from typing import List, Tuple

from sqlalchemy.orm import Session

from .. import models
from ..repositories import CustomerRepository, OrderRepository, ProductRepository
from . import pricing


class OutOfStock(Exception):
    pass


class CheckoutService:
    def __init__(self, session: Session):
        self.session = session
        self.customers = CustomerRepository(session)
        self.products = ProductRepository(session)
        self.orders = OrderRepository(session)

    def place_order(self, customer: models.Customer, lines: List[Tuple[str, int]]) -> models.Order:
        order = models.Order(customer=customer, status="open")
        for sku, quantity in lines:
            product = self.products.by_sku(sku)
            if product is None:
                raise LookupError(sku)
            if product.stock < quantity:
                raise OutOfStock(sku)
            product.stock -= quantity
            price = pricing.unit_price(self.session, sku, quantity)
            order.items.append(models.OrderItem(product=product, quantity=quantity, unit_price=price))
        self.session.add(order)
        self.session.commit()
        self.session.refresh(order)
        return order

    def cancel(self, order: models.Order) -> None:
        for item in order.items:
            item.product.stock += item.quantity
        self.orders.delete(order)
        self.session.commit()
