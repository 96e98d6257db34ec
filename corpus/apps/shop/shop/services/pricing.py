from decimal import Decimal

from sqlalchemy.orm import Session

from ..repositories import ProductRepository

BULK_THRESHOLD = 10
BULK_DISCOUNT = Decimal("0.90")


def unit_price(session: Session, sku: str, quantity: int) -> Decimal:
    product = ProductRepository(session).by_sku(sku)
    if product is None:
        raise LookupError(sku)
    price = Decimal(product.price)
    if quantity >= BULK_THRESHOLD:
        price = (price * BULK_DISCOUNT).quantize(Decimal("0.01"))
    return price
