"""Mapped classes for the table fixtures (rows of shared/data/sqlalchemy_query_to_select.tsv)."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    fullname = Column(String)
    age = Column(Integer)
    addresses = relationship("Address", back_populates="user", order_by="Address.id")
    orders = relationship("Order", order_by="Order.id")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    email = Column(String)
    email_address = Column(String)
    user = relationship("User", back_populates="addresses")


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    items = relationship("Item", order_by="Item.id")


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"))
    keywords = relationship("Keyword", order_by="Keyword.id")


class Keyword(Base):
    __tablename__ = "keywords"
    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("items.id"))
    word = Column(String)


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String)
    children = relationship("Node")


class Obj(Base):
    __tablename__ = "objs"
    a = Column(Integer, primary_key=True)
    b = Column(Integer, primary_key=True)
    label = Column(String)


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    addresses = relationship("AccountAddress", lazy="dynamic", order_by="AccountAddress.id")


class AccountAddress(Base):
    __tablename__ = "account_addresses"
    id = Column(Integer, primary_key=True)
    account_id = Column(Integer, ForeignKey("accounts.id"))
    email = Column(String)
