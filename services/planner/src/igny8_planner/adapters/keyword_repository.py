"""Keywords in PostgreSQL: filtered keyset pages, lookups, writes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.planner import KeywordFilters, KeywordView
from igny8_planner.adapters.orm import keywords
from igny8_planner.domain.cursors import Cursor
from igny8_planner.domain.keywords import normalize

_SORT_COLUMNS: dict[str, ColumnElement[Any]] = {
    "keyword": keywords.c.normalized,
    "volume": func.coalesce(keywords.c.volume, -1),
    "difficulty": func.coalesce(keywords.c.difficulty, -1),
    "created_at": keywords.c.created_at,
}
_VIEW_COLUMNS = [c for c in keywords.c if c.name not in ("account_id", "normalized")]


def view(row: RowMapping) -> KeywordView:
    return KeywordView.model_validate({c.name: row[c.name] for c in _VIEW_COLUMNS})


def filter_clauses(account_id: uuid.UUID, f: KeywordFilters) -> list[ColumnElement[bool]]:
    c = keywords.c
    clauses: list[ColumnElement[bool]] = [c.account_id == account_id]
    if f.visible_site_ids is not None:
        clauses.append(c.site_id.in_(f.visible_site_ids))
    for column, value in ((c.site_id, f.site_id), (c.sector_id, f.sector_id),
                          (c.status, f.status), (c.cluster_id, f.cluster_id),
                          (c.intent, f.intent)):
        if value is not None:
            clauses.append(column == value)
    if f.search and normalize(f.search):
        # autoescape: a % or _ in the search is a character to find, not a wildcard.
        clauses.append(c.normalized.contains(normalize(f.search), autoescape=True))
    for column, low, high in ((c.volume, f.volume_min, f.volume_max),
                              (c.difficulty, f.difficulty_min, f.difficulty_max)):
        if low is not None:
            clauses.append(column >= low)
        if high is not None:
            clauses.append(column <= high)
    return clauses


def scope_clauses(account_id: uuid.UUID,
                  visible_site_ids: list[uuid.UUID] | None) -> list[ColumnElement[bool]]:
    return filter_clauses(account_id, KeywordFilters(visible_site_ids=visible_site_ids))


class KeywordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, account_id: uuid.UUID, filters: KeywordFilters, ordering: str,
        cursor: Cursor | None, size: int,
    ) -> tuple[list[tuple[KeywordView, Any]], bool]:
        """Up to ``size`` rows in ``ordering`` from ``cursor``, and whether more lie beyond."""
        sort = _SORT_COLUMNS[ordering.lstrip("-")]
        descending = ordering.startswith("-")
        backwards = cursor is not None and cursor.direction == "before"
        query = select(*_VIEW_COLUMNS, sort.label("sort_value")).where(
            *filter_clauses(account_id, filters))
        if cursor is not None:
            key, mark = tuple_(sort, keywords.c.id), tuple_(cursor.value, cursor.id)
            query = query.where(key < mark if descending != backwards else key > mark)
        if descending != backwards:
            query = query.order_by(sort.desc(), keywords.c.id.desc())
        else:
            query = query.order_by(sort.asc(), keywords.c.id.asc())
        found = (await self.session.execute(query.limit(size + 1))).mappings().all()
        more = len(found) > size
        rows = [(view(row), row["sort_value"]) for row in found[:size]]
        return (rows[::-1] if backwards else rows), more

    async def count(self, account_id: uuid.UUID, filters: KeywordFilters) -> int:
        query = select(func.count()).select_from(keywords).where(
            *filter_clauses(account_id, filters))
        return int((await self.session.execute(query)).scalar_one())

    async def get(self, account_id: uuid.UUID, keyword_id: uuid.UUID,
                  visible_site_ids: list[uuid.UUID] | None, *, lock: bool = False
                  ) -> KeywordView | None:
        query = select(*_VIEW_COLUMNS).where(
            keywords.c.id == keyword_id, *scope_clauses(account_id, visible_site_ids))
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).mappings().first()
        return view(row) if row is not None else None

    async def add_new(self, rows: Sequence[dict[str, Any]]) -> list[KeywordView]:
        """Insert ``rows``; those whose (sector, normalized) exists already are skipped."""
        statement = (pg_insert(keywords).values(list(rows))
                     .on_conflict_do_nothing(index_elements=["sector_id", "normalized"])
                     .returning(*_VIEW_COLUMNS))
        return [view(row) for row in (await self.session.execute(statement)).mappings()]

    async def exists(self, sector_id: uuid.UUID, normalized: str,
                     other_than: uuid.UUID) -> bool:
        query = select(keywords.c.id).where(keywords.c.sector_id == sector_id,
                                            keywords.c.normalized == normalized,
                                            keywords.c.id != other_than)
        return (await self.session.execute(query)).first() is not None

    async def change(self, keyword_id: uuid.UUID, values: dict[str, Any]) -> KeywordView:
        statement = (update(keywords).where(keywords.c.id == keyword_id)
                     .values(**values, updated_at=func.now()).returning(*_VIEW_COLUMNS))
        return view((await self.session.execute(statement)).mappings().one())

    async def delete_many(self, account_id: uuid.UUID, ids: Sequence[uuid.UUID],
                          visible_site_ids: list[uuid.UUID] | None
                          ) -> list[tuple[uuid.UUID, uuid.UUID | None]]:
        """Delete the keywords in scope; answers each deleted one's id and cluster id."""
        statement = (delete(keywords).where(keywords.c.id.in_(ids),
                                            *scope_clauses(account_id, visible_site_ids))
                     .returning(keywords.c.id, keywords.c.cluster_id))
        return [(row.id, row.cluster_id) for row in await self.session.execute(statement)]

    async def set_status(self, account_id: uuid.UUID, ids: Sequence[uuid.UUID], status: str,
                         visible_site_ids: list[uuid.UUID] | None) -> list[uuid.UUID]:
        statement = (update(keywords).where(keywords.c.id.in_(ids),
                                            *scope_clauses(account_id, visible_site_ids))
                     .values(status=status, updated_at=func.now()).returning(keywords.c.id))
        return list((await self.session.execute(statement)).scalars())

    async def stream(self, account_id: uuid.UUID, filters: KeywordFilters,
                     ordering: str) -> AsyncIterator[RowMapping]:
        """Every matching row, in ``ordering``, fetched in batches (a server-side cursor)."""
        sort = _SORT_COLUMNS[ordering.lstrip("-")]
        order = (sort.desc(), keywords.c.id.desc()) if ordering.startswith("-") else (
            sort.asc(), keywords.c.id.asc())
        query = (select(*_VIEW_COLUMNS).where(*filter_clauses(account_id, filters))
                 .order_by(*order).execution_options(yield_per=5000))
        result = await self.session.stream(query)
        async for row in result.mappings():
            yield row
