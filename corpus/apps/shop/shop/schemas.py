from decimal import Decimal
from typing import List

from pydantic import BaseModel, Field


class CustomerIn(BaseModel):
    name: str
    email: str


class CustomerOut(CustomerIn):
    id: int

    class Config:
        orm_mode = True


class ProductOut(BaseModel):
    id: int
    sku: str
    title: str
    price: Decimal
    stock: int

    class Config:
        orm_mode = True


class LineIn(BaseModel):
    sku: str
    quantity: int = Field(gt=0)


class OrderIn(BaseModel):
    lines: List[LineIn]


class OrderItemOut(BaseModel):
    quantity: int
    unit_price: Decimal
    product: ProductOut

    class Config:
        orm_mode = True


class OrderOut(BaseModel):
    id: int
    status: str
    total: Decimal
    items: List[OrderItemOut]

    class Config:
        orm_mode = True
