"""Writer tasks in PostgreSQL. Every read and write is limited to one account and, when given,
the sites the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    delete,
    func,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.writer import TaskFilters, TaskOrdering, TaskRef, TaskView
from igny8_writer.adapters.orm import content, tasks

# The keyword texts of a task's keywords (searching them, not the JSON around them).
_KEYWORD_TEXTS: ColumnElement[Any] = literal_column("'$[*].keyword'::jsonpath")
_TASK_COLUMNS = (*(c for c in tasks.c if c.name not in ("account_id", "operation_id")),
                 content.c.id.label("content_id"))


def scope(table: Any, account_id: uuid.UUID,
          visible_site_ids: Sequence[uuid.UUID] | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [table.c.account_id == account_id]
    if visible_site_ids is not None:
        clauses.append(table.c.site_id.in_(list(visible_site_ids)))
    return clauses


def _filters(account_id: uuid.UUID, f: TaskFilters) -> list[ColumnElement[bool]]:
    clauses = scope(tasks, account_id, f.visible_site_ids)
    for column, value in ((tasks.c.site_id, f.site_id), (tasks.c.sector_id, f.sector_id),
                          (tasks.c.idea_id, f.idea_id), (tasks.c.cluster_id, f.cluster_id),
                          (tasks.c.status, f.status), (tasks.c.content_type, f.content_type)):
        if value is not None:
            clauses.append(column == value)
    if f.search and f.search.strip():
        text = f.search.strip()
        clauses.append(or_(tasks.c.title.icontains(text, autoescape=True),
                           func.jsonb_path_query_array(tasks.c.keywords, _KEYWORD_TEXTS)
                           .cast(Text).icontains(text, autoescape=True)))
    return clauses


def _with_content(*clauses: ColumnElement[bool]) -> Select[Any]:
    joined = tasks.outerjoin(content, content.c.task_id == tasks.c.id)
    return select(*_TASK_COLUMNS).select_from(joined).where(*clauses)


def _order(ordering: TaskOrdering) -> list[Any]:
    column = tasks.c[ordering.lstrip("-")]
    return [column.desc() if ordering.startswith("-") else column.asc(), tasks.c.id]


def task_view(row: Any) -> TaskView:
    return TaskView.model_validate(dict(row._mapping))


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, rows: Sequence[dict[str, Any]]) -> list[uuid.UUID]:
        """Insert tasks; one coming from an idea that already has its task is skipped.
        Answers the ids inserted."""
        if not rows:
            return []
        result = await self.session.execute(
            pg_insert(tasks).values(list(rows))
            .on_conflict_do_nothing(index_elements=["account_id", "idea_id"])
            .returning(tasks.c.id))
        return [row.id for row in result]

    async def page(self, account_id: uuid.UUID, filters: TaskFilters, ordering: TaskOrdering,
                   page: int, page_size: int) -> tuple[list[TaskView], int]:
        clauses = _filters(account_id, filters)
        query = (_with_content(*clauses).order_by(*_order(ordering))
                 .offset((page - 1) * page_size).limit(page_size))
        rows = [task_view(row) for row in await self.session.execute(query)]
        count = await self.session.scalar(select(func.count()).select_from(tasks).where(*clauses))
        return rows, int(count or 0)

    async def get(self, account_id: uuid.UUID, task_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None = None) -> TaskView | None:
        query = _with_content(tasks.c.id == task_id, *scope(tasks, account_id, visible_site_ids))
        row = (await self.session.execute(query)).first()
        return task_view(row) if row else None

    async def many(self, account_id: uuid.UUID, task_ids: Sequence[uuid.UUID],
                   visible_site_ids: Sequence[uuid.UUID] | None = None) -> list[TaskView]:
        """The tasks in scope among ``task_ids``, in the order asked."""
        query = _with_content(tasks.c.id.in_(list(task_ids)),
                              *scope(tasks, account_id, visible_site_ids))
        found = {view.id: view for view in map(task_view, await self.session.execute(query))}
        return [found[i] for i in dict.fromkeys(task_ids) if i in found]

    async def refs(self, account_id: uuid.UUID, task_ids: Sequence[uuid.UUID],
                   visible_site_ids: Sequence[uuid.UUID] | None = None) -> list[TaskRef]:
        return [TaskRef(id=t.id, site_id=t.site_id, sector_id=t.sector_id,
                        word_count=t.word_count, status=t.status)
                for t in await self.many(account_id, task_ids, visible_site_ids)]

    async def change(self, task_id: uuid.UUID, values: dict[str, Any]) -> None:
        await self.session.execute(update(tasks).where(tasks.c.id == task_id)
                                   .values(**values, updated_at=func.now()))

    async def set_status(self, account_id: uuid.UUID, task_ids: Sequence[uuid.UUID],
                         status: str, visible_site_ids: Sequence[uuid.UUID] | None = None,
                         **values: Any) -> int:
        result = await self.session.execute(
            update(tasks).where(tasks.c.id.in_(list(task_ids)),
                                *scope(tasks, account_id, visible_site_ids))
            .values(status=status, updated_at=func.now(), **values).returning(tasks.c.id))
        return len(result.all())

    async def delete(self, account_id: uuid.UUID, task_ids: Sequence[uuid.UUID],
                     visible_site_ids: Sequence[uuid.UUID] | None = None) -> int:
        result = await self.session.execute(
            delete(tasks).where(tasks.c.id.in_(list(task_ids)),
                                *scope(tasks, account_id, visible_site_ids))
            .returning(tasks.c.id))
        return len(result.all())

    async def generation_state(self, account_id: uuid.UUID, task_ids: Sequence[uuid.UUID]
                               ) -> dict[uuid.UUID, tuple[uuid.UUID | None, str, str]]:
        """Per task: the operation that last worked on it, its status and error."""
        query = select(tasks.c.id, tasks.c.operation_id, tasks.c.status, tasks.c.error).where(
            tasks.c.account_id == account_id, tasks.c.id.in_(list(task_ids)))
        return {row.id: (row.operation_id, row.status, row.error)
                for row in await self.session.execute(query)}
