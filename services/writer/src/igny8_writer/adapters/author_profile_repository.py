"""Author profiles in PostgreSQL (account-wide: every read and write is limited to one
account)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.writer import AuthorProfileView
from igny8_writer.adapters.orm import author_profiles

_PROFILE_COLUMNS = tuple(c for c in author_profiles.c if c.name != "account_id")


class AuthorProfileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(self, account_id: uuid.UUID, is_active: bool | None, page: int,
                   page_size: int) -> tuple[list[AuthorProfileView], int]:
        clauses: list[ColumnElement[bool]] = [author_profiles.c.account_id == account_id]
        if is_active is not None:
            clauses.append(author_profiles.c.is_active == is_active)
        query = (select(*_PROFILE_COLUMNS).where(*clauses)
                 .order_by(author_profiles.c.name, author_profiles.c.id)
                 .offset((page - 1) * page_size).limit(page_size))
        rows = [AuthorProfileView.model_validate(dict(r._mapping))
                for r in await self.session.execute(query)]
        count = await self.session.scalar(select(func.count()).select_from(author_profiles)
                                          .where(*clauses))
        return rows, int(count or 0)

    async def get(self, account_id: uuid.UUID,
                  profile_id: uuid.UUID) -> AuthorProfileView | None:
        query = select(*_PROFILE_COLUMNS).where(author_profiles.c.id == profile_id,
                                                author_profiles.c.account_id == account_id)
        row = (await self.session.execute(query)).first()
        return AuthorProfileView.model_validate(dict(row._mapping)) if row else None

    async def add(self, values: dict[str, Any]) -> None:
        await self.session.execute(insert(author_profiles).values(**values))

    async def change(self, profile_id: uuid.UUID, values: dict[str, Any]) -> None:
        await self.session.execute(update(author_profiles)
                                   .where(author_profiles.c.id == profile_id)
                                   .values(**values, updated_at=func.now()))

    async def delete(self, account_id: uuid.UUID, profile_id: uuid.UUID) -> int:
        result = await self.session.execute(
            delete(author_profiles).where(author_profiles.c.id == profile_id,
                                          author_profiles.c.account_id == account_id)
            .returning(author_profiles.c.id))
        return len(result.all())
