"""Content and its versions in PostgreSQL; author profiles. Every read and write is limited to
one account and, when given, the sites the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.writer import (
    AuthorProfileView,
    ContentFilters,
    ContentOrdering,
    ContentVersionView,
    ContentView,
)
from igny8_writer.adapters.orm import author_profiles, content, content_versions
from igny8_writer.adapters.task_repository import scope

_VIEW_COLUMNS = tuple(c for c in content.c if c.name not in
                      ("account_id", "keyword_ids", "operation_id"))
_PROFILE_COLUMNS = tuple(c for c in author_profiles.c if c.name != "account_id")
_VERSION_COLUMNS = (content_versions.c.version, content_versions.c.title,
                    content_versions.c.html, content_versions.c.source,
                    content_versions.c.restored_from, content_versions.c.created_by,
                    content_versions.c.created_at)


def _filters(account_id: uuid.UUID, f: ContentFilters) -> list[ColumnElement[bool]]:
    clauses = scope(content, account_id, f.visible_site_ids)
    for column, value in ((content.c.site_id, f.site_id), (content.c.sector_id, f.sector_id),
                          (content.c.task_id, f.task_id), (content.c.status, f.status)):
        if value is not None:
            clauses.append(column == value)
    if f.search and f.search.strip():
        escaped = f.search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        clauses.append(or_(content.c.title.ilike(pattern, escape="\\"),
                           content.c.focus_keyword.ilike(pattern, escape="\\")))
    return clauses


def content_view(row: Any) -> ContentView:
    return ContentView.model_validate(dict(row._mapping))


class ContentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(self, account_id: uuid.UUID, filters: ContentFilters,
                   ordering: ContentOrdering, page: int,
                   page_size: int) -> tuple[list[ContentView], int]:
        clauses = _filters(account_id, filters)
        column = content.c[ordering.lstrip("-")]
        order = column.desc() if ordering.startswith("-") else column.asc()
        query = (select(*_VIEW_COLUMNS).where(*clauses).order_by(order, content.c.id)
                 .offset((page - 1) * page_size).limit(page_size))
        rows = [content_view(row) for row in await self.session.execute(query)]
        count = await self.session.scalar(select(func.count()).select_from(content)
                                          .where(*clauses))
        return rows, int(count or 0)

    async def get(self, account_id: uuid.UUID, content_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None = None, *,
                  lock: bool = False) -> ContentView | None:
        query = select(*_VIEW_COLUMNS).where(content.c.id == content_id,
                                             *scope(content, account_id, visible_site_ids))
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return content_view(row) if row else None

    async def lock_in_scope(self, account_id: uuid.UUID, content_ids: Sequence[uuid.UUID],
                            visible_site_ids: Sequence[uuid.UUID] | None = None
                            ) -> list[uuid.UUID]:
        """The ids among ``content_ids`` in the scope, their rows locked (image generation
        locks the content too before it replaces the images)."""
        result = await self.session.execute(
            select(content.c.id).where(content.c.id.in_(list(content_ids)),
                                       *scope(content, account_id, visible_site_ids))
            .order_by(content.c.id).with_for_update())
        return list(result.scalars())

    async def delete_many(self, account_id: uuid.UUID,
                          content_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
        """Delete the account's content among ``content_ids`` (versions and image rows go with
        it, by foreign key); the ids deleted."""
        result = await self.session.execute(
            delete(content).where(content.c.id.in_(list(content_ids)),
                                  content.c.account_id == account_id)
            .returning(content.c.id))
        return list(result.scalars())

    async def row(self, account_id: uuid.UUID, content_id: uuid.UUID) -> Any:
        """Every column of one content row (for the publisher), or None."""
        query = select(content).where(content.c.id == content_id,
                                      content.c.account_id == account_id)
        return (await self.session.execute(query)).first()

    async def by_task(self, task_id: uuid.UUID, *, lock: bool = False) -> Any:
        query = select(content.c.id, content.c.version).where(content.c.task_id == task_id)
        if lock:
            query = query.with_for_update()
        return (await self.session.execute(query)).first()

    async def add(self, values: dict[str, Any]) -> None:
        await self.session.execute(insert(content).values(**values))

    async def change(self, content_id: uuid.UUID, values: dict[str, Any]) -> None:
        await self.session.execute(update(content).where(content.c.id == content_id)
                                   .values(**values, updated_at=func.now()))

    # -- versions --------------------------------------------------------------------------

    async def add_version(self, *, content_id: uuid.UUID, account_id: uuid.UUID, version: int,
                          title: str, html: str, source: str, restored_from: int | None = None,
                          created_by: uuid.UUID | None = None) -> None:
        await self.session.execute(insert(content_versions).values(
            id=uuid.uuid4(), content_id=content_id, account_id=account_id, version=version,
            title=title, html=html, source=source, restored_from=restored_from,
            created_by=created_by))

    async def versions(self, content_id: uuid.UUID) -> list[ContentVersionView]:
        query = (select(*_VERSION_COLUMNS).where(content_versions.c.content_id == content_id)
                 .order_by(content_versions.c.version))
        return [ContentVersionView.model_validate(dict(row._mapping))
                for row in await self.session.execute(query)]

    async def version(self, content_id: uuid.UUID, number: int) -> ContentVersionView | None:
        query = select(*_VERSION_COLUMNS).where(content_versions.c.content_id == content_id,
                                                content_versions.c.version == number)
        row = (await self.session.execute(query)).first()
        return ContentVersionView.model_validate(dict(row._mapping)) if row else None


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
