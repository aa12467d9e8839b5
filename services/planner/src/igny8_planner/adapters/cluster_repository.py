"""Clusters in PostgreSQL, and the keyword membership clustering reads and writes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_planner.adapters.orm import clusters, keywords
from igny8_planner.domain.clustering.summary import ClusterStats, KeywordPoint


@dataclass(frozen=True)
class SectorKeyword:
    id: uuid.UUID
    cluster_id: uuid.UUID | None
    point: KeywordPoint


class ClusterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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

    async def assign(self, membership: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> None:
        """Set each (keyword id, cluster id) pair's keyword's cluster."""
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
