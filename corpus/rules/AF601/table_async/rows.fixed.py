"""One function per row of shared/data/sqlalchemy_query_to_select.tsv (the legacy column),
with an AsyncSession (the legacy column cannot even run on one: AsyncSession has no
query()). tests/runtime runs each before and after the fix and compares results."""
from sqlalchemy import exists, func, or_, text, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import (
    contains_eager,
    joinedload,
    selectinload,
    with_parent,
    aliased,
)

from .models import Account, AccountAddress, Address, Item, Keyword, Node, Obj, Order, User


async def row01(session: AsyncSession):
    return await session.get(User, 42)  # AF601


async def row02(session: AsyncSession):
    return await session.get(Obj, (1, 2))  # AF601


async def row03(session: AsyncSession):
    return await session.get(User, 5, options=[selectinload(User.addresses)])  # AF601


async def row04(session: AsyncSession):
    user = await session.get(User, 5)  # AF601: caller raises if None
    if user is None:
        raise LookupError(5)
    return user


async def row05(session: AsyncSession):
    return (await session.scalars(select(User))).all()  # AF601


async def row06(session: AsyncSession):
    names = []
    for user in await session.scalars(select(User)):  # AF601
        names.append(user.name)
    return names


async def row07(session: AsyncSession):
    return (
        await session.scalars(select(User).filter_by(name="some user"))
    ).one()  # AF601


async def row08(session: AsyncSession):
    return (
        await session.scalars(select(User).filter_by(name="some user").limit(1))
    ).first()  # AF601


async def row09(session: AsyncSession):
    return (
        await session.scalars(select(User).where(User.id == 5))
    ).one_or_none()  # AF601


async def row10(session: AsyncSession):
    return (await session.scalars(select(User).where(User.name == "x"))).all()  # AF601


async def row11(session: AsyncSession):
    return (
        (await session.scalars(select(User).options(joinedload(User.addresses))))
        .unique()
        .all()
    )  # AF601


async def row12(session: AsyncSession):
    return (
        (
            await session.scalars(
                select(User).options(joinedload(User.addresses)).order_by(User.id)
            )
        )
        .unique()
        .all()
    )  # AF601


async def row13(session: AsyncSession):
    return (
        await session.scalars(select(User).options(selectinload(User.addresses)))
    ).all()  # AF601


async def row14(session: AsyncSession):
    return (
        (
            await session.scalars(
                select(User).join(Address).where(Address.email == "e@sa.us")
            )
        )
        .unique()
        .all()
    )  # AF601


async def row15(session: AsyncSession):
    q = select(User).join(User.addresses)  # AF601
    return (
        (await session.scalars(q)).unique().all()
    )  # part of the query begun above: one finding there


async def row16(session: AsyncSession):
    q = select(User).join(User.orders).join(Order.items).join(Item.keywords)  # AF601
    return (
        (await session.scalars(q)).unique().all()
    )  # part of the query begun above: one finding there


async def row17(session: AsyncSession):
    q = select(User).options(joinedload(User.addresses))  # AF601
    return (
        (await session.scalars(q)).unique().all()
    )  # part of the query begun above: one finding there


async def row18(session: AsyncSession):
    u1 = await session.get(User, 1)  # AF601
    q = select(Address).where(with_parent(u1, User.addresses))  # AF601
    return (
        await session.scalars(q)
    ).all()  # part of the query begun above: one finding there


async def row19(session: AsyncSession):
    n1 = aliased(Node)
    q = select(Node).join(Node.children.of_type(n1)).where(n1.name == "x")  # AF601
    return (
        (await session.scalars(q)).unique().all()
    )  # part of the query begun above: one finding there


async def row20(session: AsyncSession):
    return (
        await session.scalars(select(User).from_statement(text("select * from users")))
    ).all()  # AF601


async def row21(session: AsyncSession):
    return (
        (
            await session.scalars(
                select(User)  # AF601
                .join(User.addresses)
                .options(contains_eager(User.addresses))
                .execution_options(populate_existing=True)
            )
        )
        .unique()
        .all()
    )


async def row22(session: AsyncSession):
    return (
        await session.execute(
            update(User)
            .where(User.name == "foo")
            .values(fullname="Foo Bar")
            .execution_options(synchronize_session="evaluate")
        )
    ).rowcount  # AF601


async def row23(session: AsyncSession):
    return (
        await session.execute(
            delete(User)
            .where(User.age == 25)
            .execution_options(synchronize_session=False)
        )
    ).rowcount  # AF601


async def row24(session: AsyncSession):
    return await session.scalar(select(func.count()).select_from(User))  # AF601


async def row25(session: AsyncSession):
    return await session.scalar(
        select(func.count()).select_from(
            select(User).where(User.name == "x").subquery()
        )
    )  # AF601


async def row26(session: AsyncSession):
    return (
        await session.execute(select(func.count(User.id)).group_by(User.name))
    ).all()  # AF601


async def row27(session: AsyncSession):
    return await session.scalar(select(func.max(User.id)))  # AF601


async def row28(session: AsyncSession):
    return (
        await session.execute(select(User.name).where(User.id == 5))
    ).scalar_one_or_none()  # AF601


async def row29(session: AsyncSession):
    q = select(User).where(User.name == "fred")  # AF601
    return await session.scalar(select(q.exists()))  # AF601


async def row30(session: AsyncSession):
    return await session.scalar(select(exists().where(User.name == "fred")))  # AF601


async def row31(session: AsyncSession):
    return (await session.execute(select(User.id, User.name))).all()  # AF601


async def row32(session: AsyncSession):
    return (await session.execute(select(User.id))).all()  # AF601


async def row33(session: AsyncSession):
    return (await session.execute(select(User.id, User.name))).all()  # AF601


async def row34(session: AsyncSession):
    return (
        await session.execute(select(User, Address).join(User.addresses))
    ).all()  # AF601


async def row35(session: AsyncSession):
    return (
        await session.scalars(select(User).order_by(User.id).offset(10).limit(5))
    ).all()  # AF601


async def row36(session: AsyncSession):
    return (
        await session.scalars(select(User).order_by(User.id).slice(10, 20))
    ).all()  # AF601


async def row37(session: AsyncSession):
    return (await session.execute(select(User.name).distinct())).all()  # AF601


async def row38(session: AsyncSession):
    return (
        (
            await session.execute(
                select(User, Address.email_address)
                .join(User.addresses)
                .distinct()
                .order_by(Address.email_address)
            )
        )
        .scalars()
        .unique()
        .all()
    )  # AF601


async def row39(session: AsyncSession):
    return (
        await session.execute(
            select(User.name, func.count(Address.id))  # AF601
            .join(User.addresses)
            .group_by(User.name)
            .having(func.count(Address.id) > 2)
        )
    ).all()


async def row40(session: AsyncSession):
    return (
        (
            await session.scalars(
                select(User).outerjoin(User.addresses).where(Address.id.is_(None))
            )
        )
        .unique()
        .all()
    )  # AF601  # noqa: E711


async def row41(session: AsyncSession):
    return (
        await session.scalars(select(User).where(User.id == 5).with_for_update())
    ).one()  # AF601


async def row42(session: AsyncSession):
    names = []
    async for u in await session.stream_scalars(
        select(User).execution_options(yield_per=100)
    ):  # AF601
        names.append(u.name)
    return names


async def row43(session: AsyncSession):
    subq = select(User, Address.email_address).join(User.addresses).subquery()
    ua = aliased(User, subq)
    q = select(ua).order_by(subq.c.email_address)  # AF601
    return (
        (await session.scalars(q)).unique().all()
    )  # part of the query begun above: one finding there


async def row44(session: AsyncSession):
    ua = aliased(User, select(User).where(User.id == 5).subquery())
    return (await session.scalars(select(ua).limit(1))).first()  # AF601


async def row45(session: AsyncSession):
    sq = select(User).where(User.id == 5).subquery()  # AF601
    return (await session.execute(select(sq.c.id, sq.c.name))).all()  # AF601


async def row46(session: AsyncSession):
    user = await session.get(User, 1)
    await session.refresh(user, ["addresses"])  # ok: loads the relationship before it is read
    return [a.email for a in user.addresses]


async def row47(session: AsyncSession):
    user = await session.get(User, 1)
    return (
        await session.scalars(select(Address).where(with_parent(user, User.addresses)))
    ).all()  # AF601


async def row48(session: AsyncSession):
    account = await session.get(Account, 1)
    return (
        await session.scalars(
            account.addresses.statement.where(AccountAddress.email.startswith("p"))
        )
    ).all()  # AF601


async def row49(session: AsyncSession):
    # The entity through a local name, the query kept and narrowed: rows are still Users.
    user = User
    q = select(user)  # AF601
    q = q.where(user.age > 20)  # part of the query begun above: one finding there
    return (
        await session.scalars(q.order_by(user.id))
    ).all()  # part of the query begun above: one finding there


async def row50(session: AsyncSession):
    # Query.where(), filter()'s synonym since 1.4, with a criterion built by or_().
    return (
        await session.scalars(
            select(User).where(or_(User.id == 1, User.name == "bob")).order_by(User.id)
        )
    ).all()  # AF601
