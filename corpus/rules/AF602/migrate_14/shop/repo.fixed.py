from sqlalchemy.ext.asyncio import AsyncSession

from .db import Session
from .models import Customer, Order


async def customer_orders(db: AsyncSession, customer_id: int) -> int:  # AF602
    customer = await db.get(Customer, customer_id)
    return len(customer.orders)


async def place(db: AsyncSession, customer_id: int) -> Order:  # AF602
    order = Order(customer_id=customer_id)
    db.add(order)
    await db.commit()  # AF602
    return order


async def place_in_transaction(customer_id: int) -> None:  # AF602
    async with Session.begin() as db:  # AF602
        db.add(Order(customer_id=customer_id))
        await db.execute(
            Order.__table__.delete().where(Order.customer_id == -1)
        )  # AF602
