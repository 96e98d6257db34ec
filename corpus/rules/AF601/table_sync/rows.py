"""One function per row of shared/data/sqlalchemy_query_to_select.tsv (the legacy column),
with a sync Session. tests/runtime runs each before and after the fix and compares results."""
from sqlalchemy import exists, func, or_, text
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload, with_parent

from .models import Account, AccountAddress, Address, Item, Keyword, Node, Obj, Order, User


def row01(session: Session):
    return session.query(User).get(42)  # AF601


def row02(session: Session):
    return session.query(Obj).get((1, 2))  # AF601


def row03(session: Session):
    return session.query(User).options(selectinload(User.addresses)).get(5)  # AF601


def row04(session: Session):
    user = session.query(User).get(5)  # AF601: caller raises if None
    if user is None:
        raise LookupError(5)
    return user


def row05(session: Session):
    return session.query(User).all()  # AF601


def row06(session: Session):
    names = []
    for user in session.query(User):  # AF601
        names.append(user.name)
    return names


def row07(session: Session):
    return session.query(User).filter_by(name="some user").one()  # AF601


def row08(session: Session):
    return session.query(User).filter_by(name="some user").first()  # AF601


def row09(session: Session):
    return session.query(User).filter(User.id == 5).one_or_none()  # AF601


def row10(session: Session):
    return session.query(User).filter(User.name == "x").all()  # AF601


def row11(session: Session):
    return session.query(User).options(joinedload(User.addresses)).all()  # AF601


def row12(session: Session):
    return session.query(User).options(joinedload(User.addresses)).order_by(User.id).all()  # AF601


def row13(session: Session):
    return session.query(User).options(selectinload(User.addresses)).all()  # AF601


def row14(session: Session):
    return session.query(User).join(Address).filter(Address.email == "e@sa.us").all()  # AF601


def row15(session: Session):
    q = session.query(User).join("addresses")  # AF601
    return q.all()  # part of the query begun above: one finding there


def row16(session: Session):
    q = session.query(User).join("orders", "items", "keywords")  # AF601
    return q.all()  # part of the query begun above: one finding there


def row17(session: Session):
    q = session.query(User).options(joinedload("addresses"))  # AF601
    return q.all()  # part of the query begun above: one finding there


def row18(session: Session):
    u1 = session.query(User).get(1)  # AF601
    q = session.query(Address).filter(with_parent(u1, "addresses"))  # AF601
    return q.all()  # part of the query begun above: one finding there


def row19(session: Session):
    q = session.query(Node).join("children", aliased=True).filter(Node.name == "x")  # AF601
    return q.all()  # part of the query begun above: one finding there


def row20(session: Session):
    return session.query(User).from_statement(text("select * from users")).all()  # AF601


def row21(session: Session):
    return (
        session.query(User)  # AF601
        .join(User.addresses)
        .options(contains_eager(User.addresses))
        .populate_existing()
        .all()
    )


def row22(session: Session):
    return session.query(User).filter(User.name == "foo").update({"fullname": "Foo Bar"}, synchronize_session="evaluate")  # AF601


def row23(session: Session):
    return session.query(User).filter(User.age == 25).delete(synchronize_session=False)  # AF601


def row24(session: Session):
    return session.query(User).count()  # AF601


def row25(session: Session):
    return session.query(User).filter(User.name == "x").count()  # AF601


def row26(session: Session):
    return session.query(func.count(User.id)).group_by(User.name).all()  # AF601


def row27(session: Session):
    return session.query(func.max(User.id)).scalar()  # AF601


def row28(session: Session):
    return session.query(User.name).filter(User.id == 5).scalar()  # AF601


def row29(session: Session):
    q = session.query(User).filter(User.name == "fred")  # AF601
    return session.query(q.exists()).scalar()  # AF601


def row30(session: Session):
    return session.query(exists().where(User.name == "fred")).scalar()  # AF601


def row31(session: Session):
    return session.query(User.id, User.name).all()  # AF601


def row32(session: Session):
    return session.query(User.id).all()  # AF601


def row33(session: Session):
    return session.query(User).with_entities(User.id, User.name).all()  # AF601


def row34(session: Session):
    return session.query(User, Address).join(User.addresses).all()  # AF601


def row35(session: Session):
    return session.query(User).order_by(User.id).offset(10).limit(5).all()  # AF601


def row36(session: Session):
    return session.query(User).order_by(User.id)[10:20]  # AF601


def row37(session: Session):
    return session.query(User.name).distinct().all()  # AF601


def row38(session: Session):
    return session.query(User).join(User.addresses).distinct().order_by(Address.email_address).all()  # AF601


def row39(session: Session):
    return (
        session.query(User.name, func.count(Address.id))  # AF601
        .join(User.addresses)
        .group_by(User.name)
        .having(func.count(Address.id) > 2)
        .all()
    )


def row40(session: Session):
    return session.query(User).outerjoin(User.addresses).filter(Address.id == None).all()  # AF601  # noqa: E711


def row41(session: Session):
    return session.query(User).filter(User.id == 5).with_for_update().one()  # AF601


def row42(session: Session):
    names = []
    for u in session.query(User).yield_per(100):  # AF601
        names.append(u.name)
    return names


def row43(session: Session):
    q = session.query(User, Address.email_address).join(User.addresses).from_self(User).order_by(Address.email_address)  # AF601
    return q.all()  # part of the query begun above: one finding there


def row44(session: Session):
    return session.query(User).select_entity_from(session.query(User).filter(User.id == 5).subquery()).first()  # AF601


def row45(session: Session):
    sq = session.query(User).filter(User.id == 5).subquery()  # AF601
    return session.query(sq.c.id, sq.c.name).all()  # AF601


def row46(session: Session):
    user = session.get(User, 1)
    return [a.email for a in user.addresses]  # ok: a lazy load; the migration makes it eager


def row47(session: Session):
    user = session.get(User, 1)
    return session.query(Address).with_parent(user, User.addresses).all()  # AF601


def row48(session: Session):
    account = session.get(Account, 1)
    return account.addresses.filter(AccountAddress.email.startswith("p")).all()  # AF601


def row49(session: Session):
    # The entity through a local name, the query kept and narrowed: rows are still Users.
    user = User
    q = session.query(user)  # AF601
    q = q.filter(user.age > 20)  # part of the query begun above: one finding there
    return q.order_by(user.id).all()  # part of the query begun above: one finding there


def row50(session: Session):
    # Query.where(), filter()'s synonym since 1.4, with a criterion built by or_().
    return session.query(User).where(or_(User.id == 1, User.name == "bob")).order_by(User.id).all()  # AF601


def row51(session: Session):
    # What a terminal gives is no query: the list is iterated and counted as it is.
    users = session.query(User).all()  # AF601
    first = session.query(User).filter(User.age > 20).first()  # AF601
    names = [u.name for u in users]
    for user in users:
        names.append(user.name)
    return names, len(users), first.name
