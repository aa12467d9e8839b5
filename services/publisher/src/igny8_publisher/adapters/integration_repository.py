"""Integrations and publishing records (tables in ``integration_tables``). Every read is
filtered by account and, when given, by the sites the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_publisher.adapters.integration_tables import integrations, publishing_records

Row = dict[str, Any]


def _scoped(statement: Select[Any], table: Any, account_id: uuid.UUID,
            visible_site_ids: Sequence[uuid.UUID] | None) -> Select[Any]:
    statement = statement.where(table.c.account_id == account_id)
    if visible_site_ids is not None:
        statement = statement.where(table.c.site_id.in_(list(visible_site_ids)))
    return statement


class IntegrationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: Row) -> Row | None:
        """Inserts the integration; None when the site already has one."""
        result = await self.session.execute(
            pg_insert(integrations).values(row).on_conflict_do_nothing(
                constraint="uq_integrations_site_id_platform").returning(*integrations.c))
        found = result.mappings().first()
        return dict(found) if found else None

    async def get(self, account_id: uuid.UUID, integration_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None = None, *,
                  for_update: bool = False) -> Row | None:
        statement = _scoped(select(integrations).where(integrations.c.id == integration_id),
                            integrations, account_id, visible_site_ids)
        if for_update:
            statement = statement.with_for_update()
        found = (await self.session.execute(statement)).mappings().first()
        return dict(found) if found else None

    async def for_site(self, account_id: uuid.UUID, site_id: uuid.UUID) -> Row | None:
        found = (await self.session.execute(select(integrations).where(
            integrations.c.account_id == account_id, integrations.c.site_id == site_id,
            integrations.c.platform == "wordpress"))).mappings().first()
        return dict(found) if found else None

    async def page(self, account_id: uuid.UUID, visible_site_ids: Sequence[uuid.UUID] | None,
                   site_id: uuid.UUID | None, page: int, size: int) -> tuple[list[Row], int]:
        statement = _scoped(select(integrations), integrations, account_id, visible_site_ids)
        if site_id is not None:
            statement = statement.where(integrations.c.site_id == site_id)
        count = await self.session.scalar(select(func.count()).select_from(statement.subquery()))
        rows = (await self.session.execute(
            statement.order_by(integrations.c.created_at.desc(), integrations.c.id)
            .limit(size).offset((page - 1) * size))).mappings().all()
        return [dict(r) for r in rows], int(count or 0)

    async def change(self, integration_id: uuid.UUID, values: Row) -> Row:
        result = await self.session.execute(
            update(integrations).where(integrations.c.id == integration_id)
            .values(**values, updated_at=func.now()).returning(*integrations.c))
        return dict(result.mappings().one())

    async def delete(self, integration_id: uuid.UUID) -> None:
        await self.session.execute(integrations.delete().where(integrations.c.id == integration_id))


class RecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def begin_attempt(self, row: Row) -> None:
        """The (integration, content) record exists (created before WordPress is called) and
        counts one more attempt, committed before the attempt starts: an attempt that finds
        ``attempts == 1`` under the lock is the very first, nothing can be in WordPress yet."""
        statement = pg_insert(publishing_records).values({**row, "attempts": 1})
        await self.session.execute(statement.on_conflict_do_update(
            constraint="uq_publishing_records_integration_id_content_id",
            set_={"attempts": publishing_records.c.attempts + 1, "updated_at": func.now()}))

    async def lock(self, integration_id: uuid.UUID, content_id: uuid.UUID) -> Row:
        """The record, row-locked until the transaction ends: one article is published by one
        worker at a time (a double click or a redelivery waits, then updates the same post)."""
        found = (await self.session.execute(select(publishing_records).where(
            publishing_records.c.integration_id == integration_id,
            publishing_records.c.content_id == content_id).with_for_update())).mappings().one()
        return dict(found)

    async def change(self, record_id: uuid.UUID, values: Row) -> None:
        await self.session.execute(update(publishing_records).where(
            publishing_records.c.id == record_id).values(**values, updated_at=func.now()))

    async def follow_wordpress_status(self, integration_id: uuid.UUID, content_id: uuid.UUID,
                                      wordpress_status: str) -> None:
        """The record shows the post's status as WordPress last reported it (a webhook)."""
        await self.session.execute(update(publishing_records).where(
            publishing_records.c.integration_id == integration_id,
            publishing_records.c.content_id == content_id).values(
                wordpress_status=wordpress_status[:40], updated_at=func.now()))

    async def published_post(self, integration_id: uuid.UUID, content_id: uuid.UUID) -> str | None:
        """The id of the post the integration published the content as (None: never published)."""
        external_id: str | None = (await self.session.execute(
            select(publishing_records.c.external_id).where(
                publishing_records.c.integration_id == integration_id,
                publishing_records.c.content_id == content_id))).scalar_one_or_none()
        return external_id

    async def get(self, account_id: uuid.UUID, record_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None) -> Row | None:
        statement = _scoped(select(publishing_records).where(publishing_records.c.id == record_id),
                            publishing_records, account_id, visible_site_ids)
        found = (await self.session.execute(statement)).mappings().first()
        return dict(found) if found else None

    async def page(self, account_id: uuid.UUID, visible_site_ids: Sequence[uuid.UUID] | None,
                   filters: Row, page: int, size: int) -> tuple[list[Row], int]:
        statement = _scoped(select(publishing_records), publishing_records, account_id,
                            visible_site_ids)
        for column, value in filters.items():
            if value is not None:
                statement = statement.where(publishing_records.c[column] == value)
        count = await self.session.scalar(select(func.count()).select_from(statement.subquery()))
        rows = (await self.session.execute(
            statement.order_by(publishing_records.c.updated_at.desc(), publishing_records.c.id)
            .limit(size).offset((page - 1) * size))).mappings().all()
        return [dict(r) for r in rows], int(count or 0)
