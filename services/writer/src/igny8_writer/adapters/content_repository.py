"""Content (articles) in PostgreSQL. Every read and write is limited to one account and, when
given, the sites the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.writer import ContentFilters, ContentOrdering, ContentView
from igny8_writer.adapters.orm import content
from igny8_writer.adapters.task_repository import scope
from igny8_writer.domain.articles import GeneratedContent

_VIEW_COLUMNS = tuple(c for c in content.c if c.name not in
                      ("account_id", "keyword_ids", "operation_id"))


def _filters(account_id: uuid.UUID, f: ContentFilters) -> list[ColumnElement[bool]]:
    clauses = scope(content, account_id, f.visible_site_ids)
    for column, value in ((content.c.site_id, f.site_id), (content.c.sector_id, f.sector_id),
                          (content.c.task_id, f.task_id), (content.c.status, f.status)):
        if value is not None:
            clauses.append(column == value)
    if f.search and f.search.strip():
        text = f.search.strip()
        clauses.append(or_(content.c.title.icontains(text, autoescape=True),
                           content.c.focus_keyword.icontains(text, autoescape=True)))
    return clauses


def content_view(row: Any) -> ContentView:
    return ContentView.model_validate(dict(row._mapping))


class ContentRef(NamedTuple):
    id: uuid.UUID
    version: int


def _generated_columns(generated: GeneratedContent) -> dict[str, Any]:
    return {**asdict(generated.article), "site_id": generated.site_id,
            "sector_id": generated.sector_id, "cluster_id": generated.cluster_id,
            "keyword_ids": [str(k) for k in generated.keyword_ids],
            "focus_keyword": generated.focus_keyword,
            "author_profile_id": generated.author_profile_id, "status": "draft",
            "offline": generated.offline, "operation_id": generated.operation_id}


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

    async def of_task(self, task_id: uuid.UUID, *, lock: bool = False) -> ContentRef | None:
        """The task's content (id and current version), if it has some."""
        query = select(content.c.id, content.c.version).where(content.c.task_id == task_id)
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return ContentRef(row.id, row.version) if row else None

    async def add_generated(self, content_id: uuid.UUID, generated: GeneratedContent) -> None:
        """The task's first content (version 1)."""
        await self.session.execute(insert(content).values(
            id=content_id, account_id=generated.account_id, task_id=generated.task_id,
            version=1, **_generated_columns(generated)))

    async def replace_generated(self, content_id: uuid.UUID, version: int,
                                generated: GeneratedContent) -> None:
        """The task's content written again, as ``version``."""
        await self.change(content_id, {**_generated_columns(generated), "version": version})

    async def change(self, content_id: uuid.UUID, values: dict[str, Any]) -> None:
        await self.session.execute(update(content).where(content.c.id == content_id)
                                   .values(**values, updated_at=func.now()))
