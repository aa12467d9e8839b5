"""Reads and writes of identity objects.

Every method takes the account id and filters by it, so a foreign id is simply not found
(tenant isolation by construction). The one exception is ``UserRepository.by_email``: signing
in is how a caller's account becomes known.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, delete, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert, Update

from igny8_gateway.adapters.identity_cache import note_identity_change
from igny8_gateway.adapters.orm import accounts, sectors, site_access, sites, users
from igny8_gateway.domain.errors import Conflict
from igny8_gateway.domain.grants import SiteAccessGrant
from igny8_gateway.domain.model import Account, Role, Sector, Site, SiteAccess, User, utcnow

SiteIds = frozenset[uuid.UUID] | None
"""A set of site ids to restrict a listing to, or ``None`` for every site of the account."""


async def _write(
    session: AsyncSession, statement: Insert | Update, constraint: str, conflict: Conflict
) -> None:
    """Execute; a violation of ``constraint`` (a concurrent duplicate) becomes ``conflict``."""
    try:
        await session.execute(statement)
    except IntegrityError as exc:
        diag = getattr(exc.orig, "diag", None)
        if getattr(diag, "constraint_name", None) == constraint:
            raise conflict from exc
        raise


async def _page(
    session: AsyncSession, query: Select[Any], table: Table, offset: int, limit: int
) -> tuple[Sequence[Row[Any]], int]:
    count = (await session.execute(
        select(func.count()).select_from(query.subquery())
    )).scalar_one()
    rows = (await session.execute(
        query.order_by(table.c.created_at, table.c.id).offset(offset).limit(limit)
    )).all()
    return rows, int(count)


def _account(row: Row[Any]) -> Account:
    return Account(id=row.id, name=row.name, plan_slug=row.plan_slug, max_sites=row.max_sites,
                   max_users=row.max_users, is_active=row.is_active, created_at=row.created_at)


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, account: Account) -> None:
        await self.session.execute(accounts.insert().values(
            id=account.id, name=account.name, plan_slug=account.plan_slug,
            max_sites=account.max_sites, max_users=account.max_users,
            is_active=account.is_active, created_at=account.created_at,
        ))

    async def get(self, account_id: uuid.UUID, *, lock: bool = False) -> Account | None:
        """``lock=True`` holds the account row until commit: take it before counting users
        or sites against the plan, so parallel requests cannot both pass the limit."""
        query = select(accounts).where(accounts.c.id == account_id)
        row = (await self.session.execute(query.with_for_update() if lock else query)).first()
        return _account(row) if row is not None else None

    async def set_plan(
        self, account_id: uuid.UUID, plan_slug: str, max_sites: int, max_users: int
    ) -> bool:
        note_identity_change(self.session.info, account_id)
        result = await self.session.execute(
            update(accounts).where(accounts.c.id == account_id)
            .values(plan_slug=plan_slug, max_sites=max_sites, max_users=max_users)
            .returning(accounts.c.id)
        )
        return result.first() is not None


def _user(row: Row[Any]) -> User:
    return User(id=row.id, account_id=row.account_id, email=row.email,
                password_hash=row.password_hash, role=Role(row.role),
                first_name=row.first_name, last_name=row.last_name, is_active=row.is_active,
                created_at=row.created_at)


_DUPLICATE_EMAIL = Conflict("A user with this email address already exists.", field="email")


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, user: User) -> None:
        await _write(self.session, users.insert().values(
            id=user.id, account_id=user.account_id, email=user.email,
            password_hash=user.password_hash, role=user.role.value,
            first_name=user.first_name, last_name=user.last_name, is_active=user.is_active,
            created_at=user.created_at, updated_at=user.created_at,
        ), "uq_users_email", _DUPLICATE_EMAIL)

    async def email_taken(self, email: str) -> bool:
        query = select(users.c.id).where(users.c.email == email)
        return (await self.session.execute(query)).first() is not None

    async def by_email(self, email: str) -> User | None:
        """Across accounts: only for signing in (emails are unique system-wide)."""
        row = (await self.session.execute(select(users).where(users.c.email == email))).first()
        return _user(row) if row is not None else None

    async def get(self, account_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
        row = (await self.session.execute(
            select(users).where(users.c.account_id == account_id, users.c.id == user_id)
        )).first()
        return _user(row) if row is not None else None

    async def get_with_account(
        self, account_id: uuid.UUID, user_id: uuid.UUID
    ) -> tuple[User, Account] | None:
        """The user and their account in one round trip (every authenticated request)."""
        account_columns = [c.label(f"acct_{c.name}") for c in accounts.c]
        row = (await self.session.execute(
            select(users, *account_columns)
            .join(accounts, accounts.c.id == users.c.account_id)
            .where(users.c.account_id == account_id, users.c.id == user_id)
        )).first()
        if row is None:
            return None
        account = Account(id=row.acct_id, name=row.acct_name, plan_slug=row.acct_plan_slug,
                          max_sites=row.acct_max_sites, max_users=row.acct_max_users,
                          is_active=row.acct_is_active, created_at=row.acct_created_at)
        return _user(row), account

    async def list(self, account_id: uuid.UUID, offset: int, limit: int) -> tuple[list[User], int]:
        query = select(users).where(users.c.account_id == account_id)
        rows, count = await _page(self.session, query, users, offset, limit)
        return [_user(row) for row in rows], count

    async def count_active(self, account_id: uuid.UUID, role: Role | None = None) -> int:
        conditions: list[ColumnElement[bool]] = [users.c.account_id == account_id,
                                                 users.c.is_active]
        if role is not None:
            conditions.append(users.c.role == role.value)
        query = select(func.count()).select_from(users).where(*conditions)
        return int((await self.session.execute(query)).scalar_one())

    async def save(self, user: User) -> None:
        note_identity_change(self.session.info, user.account_id)
        await self.session.execute(
            update(users).where(users.c.account_id == user.account_id, users.c.id == user.id)
            .values(role=user.role.value, first_name=user.first_name, last_name=user.last_name,
                    is_active=user.is_active, password_hash=user.password_hash,
                    updated_at=utcnow())
        )


def _site(row: Row[Any]) -> Site:
    return Site(id=row.id, account_id=row.account_id, name=row.name, domain=row.domain,
                is_active=row.is_active, created_at=row.created_at)


class SiteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, site: Site) -> None:
        await self.session.execute(sites.insert().values(
            id=site.id, account_id=site.account_id, name=site.name, domain=site.domain,
            is_active=site.is_active, created_at=site.created_at,
        ))

    async def get(
        self, account_id: uuid.UUID, site_id: uuid.UUID, *, lock: bool = False
    ) -> Site | None:
        """``lock=True`` holds the site row until commit (counting its active sectors)."""
        query = select(sites).where(sites.c.account_id == account_id, sites.c.id == site_id)
        row = (await self.session.execute(query.with_for_update() if lock else query)).first()
        return _site(row) if row is not None else None

    async def list(
        self, account_id: uuid.UUID, only: SiteIds, offset: int, limit: int
    ) -> tuple[list[Site], int]:
        query = select(sites).where(sites.c.account_id == account_id)
        if only is not None:
            query = query.where(sites.c.id.in_(only))
        rows, count = await _page(self.session, query, sites, offset, limit)
        return [_site(row) for row in rows], count

    async def count_active(self, account_id: uuid.UUID) -> int:
        query = select(func.count()).select_from(sites).where(
            sites.c.account_id == account_id, sites.c.is_active)
        return int((await self.session.execute(query)).scalar_one())

    async def save(self, site: Site) -> None:
        await self.session.execute(
            update(sites).where(sites.c.account_id == site.account_id, sites.c.id == site.id)
            .values(name=site.name, domain=site.domain, is_active=site.is_active)
        )

    async def delete(self, site: Site) -> None:
        """Its sectors and access grants go with it (ON DELETE CASCADE)."""
        await self.session.execute(
            delete(sites).where(sites.c.account_id == site.account_id, sites.c.id == site.id))


def _sector(row: Row[Any]) -> Sector:
    return Sector(id=row.id, account_id=row.account_id, site_id=row.site_id, name=row.name,
                  is_active=row.is_active, created_at=row.created_at)


_DUPLICATE_SECTOR = Conflict("This site already has an active sector with this name.",
                             field="name")


class SectorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, sector: Sector) -> None:
        await _write(self.session, sectors.insert().values(
            id=sector.id, account_id=sector.account_id, site_id=sector.site_id,
            name=sector.name, is_active=sector.is_active, created_at=sector.created_at,
        ), "uq_sectors_active_name_per_site", _DUPLICATE_SECTOR)

    async def get(self, account_id: uuid.UUID, sector_id: uuid.UUID) -> Sector | None:
        row = (await self.session.execute(
            select(sectors).where(sectors.c.account_id == account_id, sectors.c.id == sector_id)
        )).first()
        return _sector(row) if row is not None else None

    async def list(
        self, account_id: uuid.UUID, only: SiteIds, site_id: uuid.UUID | None,
        offset: int, limit: int,
    ) -> tuple[list[Sector], int]:
        query = select(sectors).where(sectors.c.account_id == account_id)
        if only is not None:
            query = query.where(sectors.c.site_id.in_(only))
        if site_id is not None:
            query = query.where(sectors.c.site_id == site_id)
        rows, count = await _page(self.session, query, sectors, offset, limit)
        return [_sector(row) for row in rows], count

    async def count_active(self, account_id: uuid.UUID, site_id: uuid.UUID) -> int:
        query = select(func.count()).select_from(sectors).where(
            sectors.c.account_id == account_id, sectors.c.site_id == site_id,
            sectors.c.is_active)
        return int((await self.session.execute(query)).scalar_one())

    async def save(self, sector: Sector) -> None:
        await _write(self.session,
                     update(sectors)
                     .where(sectors.c.account_id == sector.account_id, sectors.c.id == sector.id)
                     .values(name=sector.name, is_active=sector.is_active),
                     "uq_sectors_active_name_per_site", _DUPLICATE_SECTOR)

    async def delete(self, sector: Sector) -> None:
        await self.session.execute(delete(sectors).where(
            sectors.c.account_id == sector.account_id, sectors.c.id == sector.id))


def _grant(row: Row[Any]) -> SiteAccessGrant:
    return SiteAccessGrant(id=row.id, access=SiteAccess(row.account_id, row.site_id, row.user_id),
                           created_at=row.created_at)


_DUPLICATE_GRANT = Conflict("This user already has access to this site.")


class SiteAccessRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, grant: SiteAccessGrant) -> None:
        await _write(self.session, site_access.insert().values(
            id=grant.id, account_id=grant.account_id, site_id=grant.site_id,
            user_id=grant.user_id, created_at=grant.created_at,
        ), "pk_site_access", _DUPLICATE_GRANT)

    async def exists(self, access: SiteAccess) -> bool:
        query = select(site_access.c.id).where(
            site_access.c.account_id == access.account_id,
            site_access.c.site_id == access.site_id, site_access.c.user_id == access.user_id)
        return (await self.session.execute(query)).first() is not None

    async def get(self, account_id: uuid.UUID, grant_id: uuid.UUID) -> SiteAccessGrant | None:
        row = (await self.session.execute(select(site_access).where(
            site_access.c.account_id == account_id, site_access.c.id == grant_id))).first()
        return _grant(row) if row is not None else None

    async def list(
        self, account_id: uuid.UUID, *, user_id: uuid.UUID | None, site_id: uuid.UUID | None,
        offset: int, limit: int,
    ) -> tuple[list[SiteAccessGrant], int]:
        query = select(site_access).where(site_access.c.account_id == account_id)
        if user_id is not None:
            query = query.where(site_access.c.user_id == user_id)
        if site_id is not None:
            query = query.where(site_access.c.site_id == site_id)
        rows, count = await _page(self.session, query, site_access, offset, limit)
        return [_grant(row) for row in rows], count

    async def site_ids_of(self, account_id: uuid.UUID, user_id: uuid.UUID) -> frozenset[uuid.UUID]:
        rows = await self.session.execute(select(site_access.c.site_id).where(
            site_access.c.account_id == account_id, site_access.c.user_id == user_id))
        return frozenset(rows.scalars())

    async def delete(self, grant: SiteAccessGrant) -> None:
        await self.session.execute(delete(site_access).where(
            site_access.c.account_id == grant.account_id, site_access.c.id == grant.id))
