"""Images in PostgreSQL. Every read and write is limited to one account and, when given, the
sites the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.writer_images import (
    ImageFilters,
    ImageOrdering,
    ImageView,
    image_src,
)
from igny8_writer.adapters.image_tables import images
from igny8_writer.adapters.task_repository import scope

_VIEW_COLUMNS = tuple(c for c in images.c if c.name not in ("account_id", "operation_id"))


def image_view(row: Any) -> ImageView:
    values = dict(row._mapping)
    return ImageView.model_validate({**values, "src": image_src(values["id"])})


def _filters(account_id: uuid.UUID, f: ImageFilters) -> list[ColumnElement[bool]]:
    clauses = scope(images, account_id, f.visible_site_ids)
    for column, value in ((images.c.site_id, f.site_id), (images.c.sector_id, f.sector_id),
                          (images.c.task_id, f.task_id), (images.c.content_id, f.content_id),
                          (images.c.role, f.role)):
        if value is not None:
            clauses.append(column == value)
    return clauses


class ImageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- images ----------------------------------------------------------------------------

    async def page(self, account_id: uuid.UUID, filters: ImageFilters, ordering: ImageOrdering,
                   page: int, page_size: int) -> tuple[list[ImageView], int]:
        clauses = _filters(account_id, filters)
        column = images.c[ordering.lstrip("-")]
        order = column.desc() if ordering.startswith("-") else column.asc()
        query = (select(*_VIEW_COLUMNS).where(*clauses).order_by(order, images.c.id)
                 .offset((page - 1) * page_size).limit(page_size))
        rows = [image_view(row) for row in await self.session.execute(query)]
        count = await self.session.scalar(select(func.count()).select_from(images).where(*clauses))
        return rows, int(count or 0)

    async def get(self, account_id: uuid.UUID, image_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None = None, *,
                  lock: bool = False) -> ImageView | None:
        query = select(*_VIEW_COLUMNS).where(images.c.id == image_id,
                                             *scope(images, account_id, visible_site_ids))
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return image_view(row) if row else None

    async def of_content(self, account_id: uuid.UUID, content_id: uuid.UUID) -> list[ImageView]:
        query = (select(*_VIEW_COLUMNS)
                 .where(images.c.account_id == account_id, images.c.content_id == content_id)
                 .order_by(images.c.position, images.c.id))
        return [image_view(row) for row in await self.session.execute(query)]

    async def made_by(self, account_id: uuid.UUID, task_id: uuid.UUID,
                      operation_id: uuid.UUID) -> list[uuid.UUID]:
        """The task's images this operation already made (a redelivered command skips it)."""
        query = (select(images.c.id).where(images.c.account_id == account_id,
                                           images.c.task_id == task_id,
                                           images.c.operation_id == operation_id)
                 .order_by(images.c.position))
        return list((await self.session.execute(query)).scalars())

    async def made_by_operation(self, image_id: uuid.UUID, operation_id: uuid.UUID) -> bool:
        found = await self.session.scalar(select(images.c.id).where(
            images.c.id == image_id, images.c.operation_id == operation_id))
        return found is not None

    async def add(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(images), list(rows))

    async def change(self, image_id: uuid.UUID, values: dict[str, Any]) -> None:
        await self.session.execute(update(images).where(images.c.id == image_id)
                                   .values(**values, updated_at=func.now()))

    async def storage_keys_of_content(self, account_id: uuid.UUID,
                                      content_ids: Sequence[uuid.UUID]) -> list[str]:
        """Where the files of the content's images are (read, and locked, before the content
        is deleted: its image rows go with it)."""
        result = await self.session.execute(
            select(images.c.storage_key).where(images.c.account_id == account_id,
                                               images.c.content_id.in_(list(content_ids)))
            .with_for_update())
        return list(result.scalars())

    async def delete_of_task(self, account_id: uuid.UUID, task_id: uuid.UUID) -> list[str]:
        """Delete the task's images; their storage keys (for removing the bytes)."""
        result = await self.session.execute(
            delete(images).where(images.c.account_id == account_id, images.c.task_id == task_id)
            .returning(images.c.storage_key))
        return list(result.scalars())
