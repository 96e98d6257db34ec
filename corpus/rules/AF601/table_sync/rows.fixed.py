"""One function per row of shared/data/sqlalchemy_query_to_select.tsv (the legacy column),
with a sync Session. tests/runtime runs each before and after the fix and compares results."""
from sqlalchemy import exists, func, or_, text, delete, select, update
from sqlalchemy.orm import (
    Session,
    contains_eager,
    joinedload,
    selectinload,
    with_parent,
    aliased,
)

from .models import Account, AccountAddress, Address, Item, Keyword, Node, Obj, Order, User


def row01(session: Session):
    return session.get(User, 42)  # AF601


def row02(session: Session):
    return session.get(Obj, (1, 2))  # AF601


def row03(session: Session):
    return session.get(User, 5, options=[selectinload(User.addresses)])  # AF601


def row04(session: Session):
    user = session.get(User, 5)  # AF601: caller raises if None
    if user is None:
        raise LookupError(5)
    return user


def row05(session: Session):
    return session.scalars(select(User)).all()  # AF601


def row06(session: Session):
    names = []
    for user in session.scalars(select(User)):  # AF601
        names.append(user.name)
    return names


def row07(session: Session):
    return session.scalars(select(User).filter_by(name="some user")).one()  # AF601


def row08(session: Session):
    return session.scalars(
        select(User).filter_by(name="some user").limit(1)
    ).first()  # AF601


def row09(session: Session):
    return session.scalars(select(User).where(User.id == 5)).one_or_none()  # AF601


def row10(session: Session):
    return session.scalars(select(User).where(User.name == "x")).all()  # AF601


def row11(session: Session):
    return (
        session.scalars(select(User).options(joinedload(User.addresses))).unique().all()
    )  # AF601


def row12(session: Session):
    return (
        session.scalars(
            select(User).options(joinedload(User.addresses)).order_by(User.id)
        )
        .unique()
        .all()
    )  # AF601


def row13(session: Session):
    return session.scalars(
        select(User).options(selectinload(User.addresses))
    ).all()  # AF601


def row14(session: Session):
    return (
        session.scalars(select(User).join(Address).where(Address.email == "e@sa.us"))
        .unique()
        .all()
    )  # AF601


def row15(session: Session):
    q = select(User).join(User.addresses)  # AF601
    return (
        session.scalars(q).unique().all()
    )  # part of the query begun above: one finding there


def row16(session: Session):
    q = select(User).join(User.orders).join(Order.items).join(Item.keywords)  # AF601
    return (
        session.scalars(q).unique().all()
    )  # part of the query begun above: one finding there


def row17(session: Session):
    q = select(User).options(joinedload(User.addresses))  # AF601
    return (
        session.scalars(q).unique().all()
    )  # part of the query begun above: one finding there


def row18(session: Session):
    u1 = session.get(User, 1)  # AF601
    q = select(Address).where(with_parent(u1, User.addresses))  # AF601
    return session.scalars(q).all()  # part of the query begun above: one finding there


def row19(session: Session):
    n1 = aliased(Node)
    q = select(Node).join(Node.children.of_type(n1)).where(n1.name == "x")  # AF601
    return (
        session.scalars(q).unique().all()
    )  # part of the query begun above: one finding there


def row20(session: Session):
    return session.scalars(
        select(User).from_statement(text("select * from users"))
    ).all()  # AF601


def row21(session: Session):
    return (
        session.scalars(
            select(User)  # AF601
            .join(User.addresses)
            .options(contains_eager(User.addresses))
            .execution_options(populate_existing=True)
        )
        .unique()
        .all()
    )


def row22(session: Session):
    return session.execute(
        update(User)
        .where(User.name == "foo")
        .values(fullname="Foo Bar")
        .execution_options(synchronize_session="evaluate")
    ).rowcount  # AF601


def row23(session: Session):
    return session.execute(
        delete(User).where(User.age == 25).execution_options(synchronize_session=False)
    ).rowcount  # AF601


def row24(session: Session):
    return session.scalar(select(func.count()).select_from(User))  # AF601


def row25(session: Session):
    return session.scalar(
        select(func.count()).select_from(
            select(User).where(User.name == "x").subquery()
        )
    )  # AF601


def row26(session: Session):
    return session.execute(
        select(func.count(User.id)).group_by(User.name)
    ).all()  # AF601


def row27(session: Session):
    return session.scalar(select(func.max(User.id)))  # AF601


def row28(session: Session):
    return session.execute(
        select(User.name).where(User.id == 5)
    ).scalar_one_or_none()  # AF601


def row29(session: Session):
    q = select(User).where(User.name == "fred")  # AF601
    return session.scalar(select(q.exists()))  # AF601


def row30(session: Session):
    return session.scalar(select(exists().where(User.name == "fred")))  # AF601


def row31(session: Session):
    return session.execute(select(User.id, User.name)).all()  # AF601


def row32(session: Session):
    return session.execute(select(User.id)).all()  # AF601


def row33(session: Session):
    return session.execute(select(User.id, User.name)).all()  # AF601


def row34(session: Session):
    return session.execute(select(User, Address).join(User.addresses)).all()  # AF601


def row35(session: Session):
    return session.scalars(
        select(User).order_by(User.id).offset(10).limit(5)
    ).all()  # AF601


def row36(session: Session):
    return session.scalars(select(User).order_by(User.id).slice(10, 20)).all()  # AF601


def row37(session: Session):
    return session.execute(select(User.name).distinct()).all()  # AF601


def row38(session: Session):
    return (
        session.execute(
            select(User, Address.email_address)
            .join(User.addresses)
            .distinct()
            .order_by(Address.email_address)
        )
        .scalars()
        .unique()
        .all()
    )  # AF601


def row39(session: Session):
    return session.execute(
        select(User.name, func.count(Address.id))  # AF601
        .join(User.addresses)
        .group_by(User.name)
        .having(func.count(Address.id) > 2)
    ).all()


def row40(session: Session):
    return (
        session.scalars(
            select(User).outerjoin(User.addresses).where(Address.id.is_(None))
        )
        .unique()
        .all()
    )  # AF601  # noqa: E711


def row41(session: Session):
    return session.scalars(
        select(User).where(User.id == 5).with_for_update()
    ).one()  # AF601


def row42(session: Session):
    names = []
    for u in session.scalars(select(User).execution_options(yield_per=100)):  # AF601
        names.append(u.name)
    return names


def row43(session: Session):
    subq = select(User, Address.email_address).join(User.addresses).subquery()
    ua = aliased(User, subq)
    q = select(ua).order_by(subq.c.email_address)  # AF601
    return (
        session.scalars(q).unique().all()
    )  # part of the query begun above: one finding there


def row44(session: Session):
    ua = aliased(User, select(User).where(User.id == 5).subquery())
    return session.scalars(select(ua).limit(1)).first()  # AF601


def row45(session: Session):
    sq = select(User).where(User.id == 5).subquery()  # AF601
    return session.execute(select(sq.c.id, sq.c.name)).all()  # AF601


def row46(session: Session):
    user = session.get(User, 1)
    return [a.email for a in user.addresses]  # ok: a lazy load; the migration makes it eager


def row47(session: Session):
    user = session.get(User, 1)
    return session.scalars(
        select(Address).where(with_parent(user, User.addresses))
    ).all()  # AF601


def row48(session: Session):
    account = session.get(Account, 1)
    return session.scalars(
        account.addresses.statement.where(AccountAddress.email.startswith("p"))
    ).all()  # AF601


def row49(session: Session):
    # The entity through a local name, the query kept and narrowed: rows are still Users.
    user = User
    q = select(user)  # AF601
    q = q.where(user.age > 20)  # part of the query begun above: one finding there
    return session.scalars(
        q.order_by(user.id)
    ).all()  # part of the query begun above: one finding there


def row50(session: Session):
    # Query.where(), filter()'s synonym since 1.4, with a criterion built by or_().
    return session.scalars(
        select(User).where(or_(User.id == 1, User.name == "bob")).order_by(User.id)
    ).all()  # AF601


def row51(session: Session):
    # What a terminal gives is no query: the list is iterated and counted as it is.
    users = session.scalars(select(User)).all()  # AF601
    first = session.scalars(select(User).where(User.age > 20).limit(1)).first()  # AF601
    names = [u.name for u in users]
    for user in users:
        names.append(user.name)
    return names, len(users), first.name
