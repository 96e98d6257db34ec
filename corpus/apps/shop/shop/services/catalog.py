from decimal import Decimal

from sqlalchemy.orm import Session

from .. import models
from ..repositories import ProductRepository

STARTER_CATALOG = [
    ("MUG-01", "Enamel mug", Decimal("9.50"), 40),
    ("TEE-01", "Cotton tee", Decimal("18.00"), 25),
    ("BAG-01", "Canvas bag", Decimal("12.00"), 5),
]


def seed(session: Session) -> int:
    if ProductRepository(session).count():
        return 0
    for sku, title, price, stock in STARTER_CATALOG:
        session.add(models.Product(sku=sku, title=title, price=price, stock=stock))
    session.commit()
    return len(STARTER_CATALOG)
