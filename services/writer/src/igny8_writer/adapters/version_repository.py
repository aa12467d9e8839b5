"""Content versions in PostgreSQL: every change of an article's title or HTML is kept as the
next version (generated, edited, or restored from an earlier one)."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.writer import ContentVersionView
from igny8_writer.adapters.orm import content_versions

_VERSION_COLUMNS = (content_versions.c.version, content_versions.c.title,
                    content_versions.c.html, content_versions.c.source,
                    content_versions.c.restored_from, content_versions.c.created_by,
                    content_versions.c.created_at)


class VersionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *, content_id: uuid.UUID, account_id: uuid.UUID, version: int,
                  title: str, html: str, source: str, restored_from: int | None = None,
                  created_by: uuid.UUID | None = None) -> None:
        await self.session.execute(insert(content_versions).values(
            id=uuid.uuid4(), content_id=content_id, account_id=account_id, version=version,
            title=title, html=html, source=source, restored_from=restored_from,
            created_by=created_by))

    async def of_content(self, content_id: uuid.UUID) -> list[ContentVersionView]:
        query = (select(*_VERSION_COLUMNS).where(content_versions.c.content_id == content_id)
                 .order_by(content_versions.c.version))
        return [ContentVersionView.model_validate(dict(row._mapping))
                for row in await self.session.execute(query)]

    async def get(self, content_id: uuid.UUID, number: int) -> ContentVersionView | None:
        query = select(*_VERSION_COLUMNS).where(content_versions.c.content_id == content_id,
                                                content_versions.c.version == number)
        row = (await self.session.execute(query)).first()
        return ContentVersionView.model_validate(dict(row._mapping)) if row else None
