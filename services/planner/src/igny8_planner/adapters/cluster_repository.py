"""Clusters in PostgreSQL, and the keyword membership clustering (and editing) reads and
writes. Reads and writes by id are scoped by account and the caller's visible sites."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.planner import ClusterOrdering, ClusterView
from igny8_planner.adapters.orm import clusters, keywords
from igny8_planner.domain.clustering.summary import ClusterStats, KeywordPoint, stats_of

_VIEW_COLUMNS = [c for c in clusters.c if c.name != "account_id"]
_SORT_COLUMNS: dict[str, ColumnElement[Any]] = {
    "name": func.lower(clusters.c.name), "keyword_count": clusters.c.keyword_count,
    "total_volume": clusters.c.total_volume, "created_at": clusters.c.created_at}


def view(row: RowMapping) -> ClusterView:
    values = {c.name: row[c.name] for c in _VIEW_COLUMNS}
    if values["average_difficulty"] is not None:
        values["average_difficulty"] = float(values["average_difficulty"])
    return ClusterView.model_validate(values)


def scope_clauses(account_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [clusters.c.account_id == account_id]
    if visible_site_ids is not None:
        clauses.append(clusters.c.site_id.in_(visible_site_ids))
    return clauses


@dataclass(frozen=True)
class SectorKeyword:
    id: uuid.UUID
    cluster_id: uuid.UUID | None
    point: KeywordPoint


@dataclass(frozen=True)
class Membership:
    """Where a keyword is: its sector and cluster."""

    id: uuid.UUID
    sector_id: uuid.UUID
    cluster_id: uuid.UUID | None


class ClusterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_sector(self, sector_id: uuid.UUID) -> None:
        """Until the transaction ends, no other clustering of the sector runs (a second one
        waits, then sees the first one's clusters)."""
        await self.session.execute(select(func.pg_advisory_xact_lock(sector_id.int >> 65)))

    async def sector_keywords(self, account_id: uuid.UUID,
                              sector_id: uuid.UUID) -> list[SectorKeyword]:
        query = (select(keywords.c.id, keywords.c.cluster_id, keywords.c.keyword,
                        keywords.c.volume, keywords.c.difficulty, keywords.c.intent)
                 .where(keywords.c.account_id == account_id, keywords.c.sector_id == sector_id)
                 .order_by(keywords.c.normalized, keywords.c.id))
        return [SectorKeyword(row.id, row.cluster_id,
                              KeywordPoint(row.keyword, row.volume, row.difficulty, row.intent))
                for row in await self.session.execute(query)]

    async def add(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(clusters), list(rows))

    async def assign(self, membership: Sequence[tuple[uuid.UUID, uuid.UUID | None]]) -> None:
        """Set each (keyword id, cluster id) pair's keyword's cluster (``None``: none)."""
        if not membership:
            return
        statement = (update(keywords).where(keywords.c.id == bindparam("keyword_id"))
                     .values(cluster_id=bindparam("new_cluster_id"), updated_at=func.now())
                     .execution_options(synchronize_session=False))
        connection = await self.session.connection()
        await connection.execute(statement, [
            {"keyword_id": keyword_id, "new_cluster_id": cluster_id}
            for keyword_id, cluster_id in membership])

    async def set_stats(self, cluster_id: uuid.UUID, stats: ClusterStats,
                        description: str | None = None) -> None:
        values: dict[str, Any] = {
            "keyword_count": stats.keyword_count, "total_volume": stats.total_volume,
            "average_difficulty": stats.average_difficulty,
            "dominant_intent": stats.dominant_intent, "updated_at": func.now()}
        if description is not None:
            values["description"] = description
        await self.session.execute(update(clusters).where(clusters.c.id == cluster_id)
                                   .values(**values))

    async def refresh_stats(self, cluster_ids: Sequence[uuid.UUID]) -> None:
        """Recompute the clusters' stats from their current members: one read of every member,
        one batched update (in id order, the order clusters are locked in)."""
        wanted = sorted(set(cluster_ids))
        if not wanted:
            return
        points: dict[uuid.UUID, list[KeywordPoint]] = {cluster_id: [] for cluster_id in wanted}
        query = (select(keywords.c.cluster_id, keywords.c.keyword, keywords.c.volume,
                        keywords.c.difficulty, keywords.c.intent)
                 .where(keywords.c.cluster_id.in_(wanted))
                 .order_by(keywords.c.cluster_id, keywords.c.normalized, keywords.c.id))
        for row in await self.session.execute(query):
            points[row.cluster_id].append(
                KeywordPoint(row.keyword, row.volume, row.difficulty, row.intent))
        statement = (update(clusters).where(clusters.c.id == bindparam("stats_cluster_id"))
                     .values(keyword_count=bindparam("keyword_count"),
                             total_volume=bindparam("total_volume"),
                             average_difficulty=bindparam("average_difficulty"),
                             dominant_intent=bindparam("dominant_intent"), updated_at=func.now())
                     .execution_options(synchronize_session=False))
        rows = []
        for cluster_id in wanted:
            stats = stats_of(points[cluster_id])
            rows.append({"stats_cluster_id": cluster_id, "keyword_count": stats.keyword_count,
                         "total_volume": stats.total_volume,
                         "average_difficulty": stats.average_difficulty,
                         "dominant_intent": stats.dominant_intent})
        connection = await self.session.connection()
        await connection.execute(statement, rows)

    # -- reads and edits by id, in the caller's scope ---------------------------------------

    async def get(self, account_id: uuid.UUID, cluster_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None, *, lock: bool = False
                  ) -> ClusterView | None:
        found = await self.get_many(account_id, [cluster_id], visible_site_ids, lock=lock)
        return found[0] if found else None

    async def get_many(self, account_id: uuid.UUID, cluster_ids: Sequence[uuid.UUID],
                       visible_site_ids: Sequence[uuid.UUID] | None, *, lock: bool = False
                       ) -> list[ClusterView]:
        """The clusters among ``cluster_ids`` in scope, locked in id order if asked."""
        query = (select(*_VIEW_COLUMNS)
                 .where(clusters.c.id.in_(cluster_ids),
                        *scope_clauses(account_id, visible_site_ids))
                 .order_by(clusters.c.id))
        if lock:
            query = query.with_for_update()
        return [view(row) for row in (await self.session.execute(query)).mappings()]

    async def page(self, account_id: uuid.UUID, visible_site_ids: Sequence[uuid.UUID] | None,
                   filters: dict[str, uuid.UUID | None], ordering: ClusterOrdering,
                   offset: int, limit: int) -> tuple[list[ClusterView], int]:
        """One page of the clusters matching ``filters`` (column → value), and their count."""
        clauses = scope_clauses(account_id, visible_site_ids) + [
            clusters.c[name] == value for name, value in filters.items() if value is not None]
        sort = _SORT_COLUMNS[ordering.lstrip("-")]
        order = (sort.desc(), clusters.c.id.desc()) if ordering.startswith("-") else (
            sort.asc(), clusters.c.id.asc())
        query = (select(*_VIEW_COLUMNS).where(*clauses).order_by(*order)
                 .offset(offset).limit(limit))
        rows = [view(row) for row in (await self.session.execute(query)).mappings()]
        count = (await self.session.execute(
            select(func.count()).select_from(clusters).where(*clauses))).scalar_one()
        return rows, int(count)

    async def change(self, cluster_id: uuid.UUID, values: dict[str, Any]) -> ClusterView:
        statement = (update(clusters).where(clusters.c.id == cluster_id)
                     .values(**values, updated_at=func.now()).returning(*_VIEW_COLUMNS))
        return view((await self.session.execute(statement)).mappings().one())

    async def assign_members(self, from_cluster_ids: Sequence[uuid.UUID],
                             to_cluster_id: uuid.UUID) -> None:
        """Every keyword of ``from_cluster_ids`` joins ``to_cluster_id``."""
        await self.session.execute(
            update(keywords).where(keywords.c.cluster_id.in_(from_cluster_ids))
            .values(cluster_id=to_cluster_id, updated_at=func.now()))

    async def delete(self, cluster_ids: Sequence[uuid.UUID]) -> int:
        """Delete the clusters (their keywords become unclustered); answers how many
        keywords they held."""
        unclustered = await self.session.execute(
            update(keywords).where(keywords.c.cluster_id.in_(cluster_ids))
            .values(cluster_id=None, updated_at=func.now()).returning(keywords.c.id))
        await self.session.execute(delete(clusters).where(clusters.c.id.in_(cluster_ids)))
        return len(unclustered.all())

    async def memberships(self, account_id: uuid.UUID, keyword_ids: Sequence[uuid.UUID],
                          visible_site_ids: Sequence[uuid.UUID] | None) -> list[Membership]:
        """The keywords among ``keyword_ids`` in scope, locked."""
        query = select(keywords.c.id, keywords.c.sector_id, keywords.c.cluster_id).where(
            keywords.c.id.in_(keyword_ids), keywords.c.account_id == account_id)
        if visible_site_ids is not None:
            query = query.where(keywords.c.site_id.in_(visible_site_ids))
        rows = await self.session.execute(query.order_by(keywords.c.id).with_for_update())
        return [Membership(row.id, row.sector_id, row.cluster_id) for row in rows]

    async def keyword_points(self, keyword_ids: Sequence[uuid.UUID]) -> list[KeywordPoint]:
        query = (select(keywords.c.keyword, keywords.c.volume, keywords.c.difficulty,
                        keywords.c.intent)
                 .where(keywords.c.id.in_(keyword_ids))
                 .order_by(keywords.c.normalized, keywords.c.id))
        return [KeywordPoint(row.keyword, row.volume, row.difficulty, row.intent)
                for row in await self.session.execute(query)]
