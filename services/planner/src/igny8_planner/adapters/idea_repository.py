"""Content ideas in PostgreSQL, and the clusters (with their keywords) ideas are made from.

Every read and write is limited to one account and, when given, the sites the caller may see.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.planner import IdeaFilters, IdeaView, QueuedIdea
from igny8_planner.adapters.orm import clusters, ideas, keywords
from igny8_planner.domain.ideas import ClusterKeyword, ClusterSource

_IDEA_COLUMNS = (*(c for c in ideas.c if c.name != "account_id"),
                 clusters.c.name.label("cluster_name"))


def _scope(table: Any, account_id: uuid.UUID,
           visible_site_ids: Sequence[uuid.UUID] | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [table.c.account_id == account_id]
    if visible_site_ids is not None:
        clauses.append(table.c.site_id.in_(list(visible_site_ids)))
    return clauses


def _filters(account_id: uuid.UUID, f: IdeaFilters) -> list[ColumnElement[bool]]:
    clauses = _scope(ideas, account_id, f.visible_site_ids)
    for column, value in ((ideas.c.site_id, f.site_id), (ideas.c.sector_id, f.sector_id),
                          (ideas.c.cluster_id, f.cluster_id), (ideas.c.status, f.status),
                          (ideas.c.content_structure, f.content_structure),
                          (ideas.c.content_type, f.content_type)):
        if value is not None:
            clauses.append(column == value)
    return clauses


def _with_cluster(*clauses: ColumnElement[bool]) -> Select[Any]:
    joined = ideas.outerjoin(clusters, clusters.c.id == ideas.c.cluster_id)
    return select(*_IDEA_COLUMNS).select_from(joined).where(*clauses)


def idea_view(row: Any) -> IdeaView:
    return IdeaView.model_validate(dict(row._mapping))


class IdeaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- clusters --------------------------------------------------------------------------

    async def cluster_sources(self, account_id: uuid.UUID, cluster_ids: Sequence[uuid.UUID],
                              visible_site_ids: Sequence[uuid.UUID] | None = None
                              ) -> list[ClusterSource]:
        """The clusters among ``cluster_ids`` in scope, in the order asked, with keywords."""
        found = {row.id: row for row in await self.session.execute(
            select(clusters).where(clusters.c.id.in_(list(cluster_ids)),
                                   *_scope(clusters, account_id, visible_site_ids)))}
        members: dict[uuid.UUID, list[ClusterKeyword]] = defaultdict(list)
        if found:
            query = (select(keywords.c.id, keywords.c.keyword, keywords.c.cluster_id)
                     .where(keywords.c.account_id == account_id,
                            keywords.c.cluster_id.in_(list(found)))
                     .order_by(func.coalesce(keywords.c.volume, -1).desc(),
                               keywords.c.normalized))
            for row in await self.session.execute(query):
                members[row.cluster_id].append(ClusterKeyword(row.id, row.keyword))
        ordered = dict.fromkeys(c for c in cluster_ids if c in found)
        return [ClusterSource(id=c, site_id=found[c].site_id, sector_id=found[c].sector_id,
                              name=found[c].name, keyword_count=found[c].keyword_count,
                              dominant_intent=found[c].dominant_intent,
                              keywords=tuple(members[c])) for c in ordered]

    # -- ideas -----------------------------------------------------------------------------

    async def add(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(ideas), list(rows))

    async def page(self, account_id: uuid.UUID, filters: IdeaFilters, page: int,
                   page_size: int) -> tuple[list[IdeaView], int]:
        clauses = _filters(account_id, filters)
        query = (_with_cluster(*clauses).order_by(ideas.c.created_at.desc(), ideas.c.id)
                 .offset((page - 1) * page_size).limit(page_size))
        rows = [idea_view(row) for row in await self.session.execute(query)]
        count = await self.session.scalar(select(func.count()).select_from(ideas).where(*clauses))
        return rows, int(count or 0)

    async def get(self, account_id: uuid.UUID, idea_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None = None) -> IdeaView | None:
        query = _with_cluster(ideas.c.id == idea_id, *_scope(ideas, account_id, visible_site_ids))
        row = (await self.session.execute(query)).first()
        return idea_view(row) if row else None

    async def change(self, idea_id: uuid.UUID, values: dict[str, Any]) -> None:
        await self.session.execute(update(ideas).where(ideas.c.id == idea_id)
                                   .values(**values, updated_at=func.now()))

    async def delete(self, account_id: uuid.UUID, idea_ids: Sequence[uuid.UUID],
                     visible_site_ids: Sequence[uuid.UUID] | None = None) -> int:
        result = await self.session.execute(
            delete(ideas).where(ideas.c.id.in_(list(idea_ids)),
                                *_scope(ideas, account_id, visible_site_ids))
            .returning(ideas.c.id))
        return len(result.all())

    async def for_writer(self, account_id: uuid.UUID, idea_ids: Sequence[uuid.UUID],
                         visible_site_ids: Sequence[uuid.UUID] | None = None
                         ) -> list[tuple[QueuedIdea, str]]:
        """The ideas in scope among ``idea_ids`` (locked), as the writer sees them, with their
        status, in the order asked."""
        query = (_with_cluster(ideas.c.id.in_(list(idea_ids)),
                               *_scope(ideas, account_id, visible_site_ids))
                 .with_for_update(of=ideas))
        found = {}
        for row in await self.session.execute(query):
            view = idea_view(row)
            found[view.id] = (QueuedIdea(
                id=view.id, site_id=view.site_id, sector_id=view.sector_id,
                cluster_id=view.cluster_id, cluster_name=view.cluster_name or "",
                title=view.title, outline=view.description,
                content_structure=view.content_structure, content_type=view.content_type,
                target_keywords=view.target_keywords,
                estimated_word_count=view.estimated_word_count), view.status)
        return [found[i] for i in dict.fromkeys(idea_ids) if i in found]

    async def complete(self, account_id: uuid.UUID, idea_id: uuid.UUID) -> bool:
        """Mark the account's idea completed (an archived one stays archived); whether it
        changed."""
        result = await self.session.execute(
            update(ideas).where(ideas.c.id == idea_id, ideas.c.account_id == account_id,
                                ideas.c.status.in_(("new", "queued")))
            .values(status="completed", updated_at=func.now()).returning(ideas.c.id))
        return result.first() is not None

    async def set_status(self, idea_ids: Sequence[uuid.UUID], status: str) -> None:
        if idea_ids:
            await self.session.execute(update(ideas).where(ideas.c.id.in_(list(idea_ids)))
                                       .values(status=status, updated_at=func.now()))
