"""The planner's unit of work in memory, for fast tests of the service layer (no PostgreSQL).

``FakePlannerUnitOfWork`` is the runtime's ``FakeUnitOfWork`` (committed events, commits,
claims) with the planner's repositories over ``PlannerTables``: rows as dicts, as the tables in
``adapters/orm.py`` hold them. The fake repositories subclass the real ones (so they type as
them) and implement what the tested handlers use; anything else would reach for a database
session the fake does not have, and fail loudly. Constraints a test relies on are kept: one
keyword per (sector, normalized), a deleted cluster's keywords and ideas lose it (``SET NULL``),
every read scoped by account and visible sites.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from igny8_contracts.planner import ClusterView, IdeaView, KeywordView, QueuedIdea
from igny8_devtools.fake_uow import FakeUnitOfWork
from igny8_planner.adapters.cluster_repository import (
    ClusterRepository,
    Membership,
    SectorKeyword,
)
from igny8_planner.adapters.idea_repository import IdeaRepository
from igny8_planner.adapters.keyword_repository import KeywordRepository
from igny8_planner.domain.clustering.summary import ClusterStats, KeywordPoint, stats_of
from igny8_planner.domain.ideas import ClusterKeyword, ClusterSource
from igny8_planner.domain.keywords import normalize
from igny8_planner.service_layer.uow import PlannerUnitOfWork

Row = dict[str, Any]


def _now() -> datetime:
    return datetime.now(UTC)


def _keyword_row(row: Row) -> Row:
    return {"volume": None, "difficulty": None, "cpc": None, "intent": None,
            "status": "pending", "cluster_id": None, "source": "manual",
            "created_at": _now(), "updated_at": _now(), **row}


def _cluster_row(row: Row) -> Row:
    return {"description": "", "keyword_count": 0, "total_volume": 0,
            "average_difficulty": None, "dominant_intent": None, "method": "local",
            "created_at": _now(), "updated_at": _now(), **row}


def _idea_row(row: Row) -> Row:
    return {"cluster_id": None, "description": "", "target_keywords": [],
            "estimated_word_count": 0, "status": "new", "created_at": _now(),
            "updated_at": _now(), **row}


@dataclass(frozen=True)
class Place:
    """Where test rows live: an account, one of its sites, one of its sectors."""

    account_id: uuid.UUID = field(default_factory=uuid.uuid4)
    site_id: uuid.UUID = field(default_factory=uuid.uuid4)
    sector_id: uuid.UUID = field(default_factory=uuid.uuid4)

    def other_sector(self) -> Place:
        return Place(self.account_id, self.site_id, uuid.uuid4())

    @property
    def ids(self) -> Row:
        return {"account_id": self.account_id, "site_id": self.site_id,
                "sector_id": self.sector_id}


@dataclass
class PlannerTables:
    keywords: dict[uuid.UUID, Row] = field(default_factory=dict)
    clusters: dict[uuid.UUID, Row] = field(default_factory=dict)
    ideas: dict[uuid.UUID, Row] = field(default_factory=dict)

    def add_keyword(self, place: Place, keyword: str, **values: Any) -> uuid.UUID:
        """A keyword as an import would have stored it (``normalized`` from the planner's rule)."""
        keyword_id = uuid.uuid4()
        self.keywords[keyword_id] = _keyword_row({
            "id": keyword_id, **place.ids, "keyword": keyword, "normalized": normalize(keyword),
            **values})
        return keyword_id

    def add_cluster(self, place: Place, name: str, keyword_ids: Sequence[uuid.UUID] = (),
                    **values: Any) -> uuid.UUID:
        """A cluster holding ``keyword_ids``, its stats computed from them."""
        cluster_id = uuid.uuid4()
        for keyword_id in keyword_ids:
            self.keywords[keyword_id]["cluster_id"] = cluster_id
        points = [_point(k) for k in self.members(cluster_id)]
        self.clusters[cluster_id] = _cluster_row({
            "id": cluster_id, **place.ids, "name": name, **_stored(stats_of(points)), **values})
        return cluster_id

    def add_idea(self, place: Place, title: str, cluster_id: uuid.UUID | None = None,
                 **values: Any) -> uuid.UUID:
        idea_id = uuid.uuid4()
        self.ideas[idea_id] = _idea_row({
            "id": idea_id, **place.ids, "cluster_id": cluster_id, "title": title,
            "content_structure": "supporting_page", "content_type": "blog_post", **values})
        return idea_id

    def members(self, cluster_id: uuid.UUID) -> list[Row]:
        """The cluster's keywords in the order the real repository reads them."""
        return sorted((k for k in self.keywords.values() if k["cluster_id"] == cluster_id),
                      key=lambda k: (k["normalized"], k["id"]))


def _in_scope(row: Row, account_id: uuid.UUID,
              visible_site_ids: Sequence[uuid.UUID] | None) -> bool:
    return row["account_id"] == account_id and (
        visible_site_ids is None or row["site_id"] in visible_site_ids)


def _point(row: Row) -> KeywordPoint:
    return KeywordPoint(row["keyword"], row["volume"], row["difficulty"], row["intent"])


def _stored(stats: ClusterStats) -> Row:
    """Stats as the table keeps them (average difficulty in ``numeric(6,2)``)."""
    average = stats.average_difficulty
    return {"keyword_count": stats.keyword_count, "total_volume": stats.total_volume,
            "average_difficulty": None if average is None else round(average, 2),
            "dominant_intent": stats.dominant_intent}


class FakeKeywordRepository(KeywordRepository):
    def __init__(self, tables: PlannerTables) -> None:  # no session: nothing reaches one
        self.tables = tables

    @staticmethod
    def _view(row: Row) -> KeywordView:
        return KeywordView.model_validate({name: row[name] for name in KeywordView.model_fields})

    async def get(self, account_id: uuid.UUID, keyword_id: uuid.UUID,
                  visible_site_ids: list[uuid.UUID] | None, *, lock: bool = False
                  ) -> KeywordView | None:
        row = self.tables.keywords.get(keyword_id)
        return self._view(row) if row and _in_scope(row, account_id, visible_site_ids) else None

    async def add_new(self, rows: Sequence[Row]) -> list[KeywordView]:
        taken = {(k["sector_id"], k["normalized"]) for k in self.tables.keywords.values()}
        added = []
        for row in rows:
            if (row["sector_id"], row["normalized"]) in taken:
                continue
            taken.add((row["sector_id"], row["normalized"]))
            self.tables.keywords[row["id"]] = _keyword_row(row)
            added.append(self._view(self.tables.keywords[row["id"]]))
        return added

    async def exists(self, sector_id: uuid.UUID, normalized: str,
                     other_than: uuid.UUID) -> bool:
        return any(k["sector_id"] == sector_id and k["normalized"] == normalized
                   and k["id"] != other_than for k in self.tables.keywords.values())

    async def change(self, keyword_id: uuid.UUID, values: Row) -> KeywordView:
        row = self.tables.keywords[keyword_id]
        row.update(values, updated_at=_now())
        return self._view(row)

    async def delete_many(self, account_id: uuid.UUID, ids: Sequence[uuid.UUID],
                          visible_site_ids: list[uuid.UUID] | None
                          ) -> list[tuple[uuid.UUID, uuid.UUID | None]]:
        deleted = []
        for keyword_id in dict.fromkeys(ids):
            row = self.tables.keywords.get(keyword_id)
            if row and _in_scope(row, account_id, visible_site_ids):
                del self.tables.keywords[keyword_id]
                deleted.append((keyword_id, row["cluster_id"]))
        return deleted

    async def set_status(self, account_id: uuid.UUID, ids: Sequence[uuid.UUID], status: str,
                         visible_site_ids: list[uuid.UUID] | None) -> list[uuid.UUID]:
        changed = []
        for keyword_id in dict.fromkeys(ids):
            row = self.tables.keywords.get(keyword_id)
            if row and _in_scope(row, account_id, visible_site_ids):
                row.update(status=status, updated_at=_now())
                changed.append(keyword_id)
        return changed


class FakeClusterRepository(ClusterRepository):
    def __init__(self, tables: PlannerTables) -> None:  # no session: nothing reaches one
        self.tables = tables
        self.locked_sectors: list[uuid.UUID] = []

    @staticmethod
    def _view(row: Row) -> ClusterView:
        return ClusterView.model_validate({name: row[name] for name in ClusterView.model_fields})

    async def lock_sector(self, sector_id: uuid.UUID) -> None:
        self.locked_sectors.append(sector_id)

    async def sector_keywords(self, account_id: uuid.UUID,
                              sector_id: uuid.UUID) -> list[SectorKeyword]:
        rows = sorted((k for k in self.tables.keywords.values()
                       if k["account_id"] == account_id and k["sector_id"] == sector_id),
                      key=lambda k: (k["normalized"], k["id"]))
        return [SectorKeyword(k["id"], k["cluster_id"], _point(k)) for k in rows]

    async def add(self, rows: Sequence[Row]) -> None:
        for row in rows:
            self.tables.clusters[row["id"]] = _cluster_row(row)

    async def assign(self, membership: Sequence[tuple[uuid.UUID, uuid.UUID | None]]) -> None:
        for keyword_id, cluster_id in membership:
            self.tables.keywords[keyword_id].update(cluster_id=cluster_id, updated_at=_now())

    async def set_stats(self, cluster_id: uuid.UUID, stats: ClusterStats,
                        description: str | None = None) -> None:
        row = self.tables.clusters[cluster_id]
        row.update(_stored(stats), updated_at=_now())
        if description is not None:
            row["description"] = description

    async def refresh_stats(self, cluster_ids: Sequence[uuid.UUID]) -> None:
        for cluster_id in sorted(set(cluster_ids)):
            if cluster_id in self.tables.clusters:
                points = [_point(k) for k in self.tables.members(cluster_id)]
                await self.set_stats(cluster_id, stats_of(points))

    async def get_many(self, account_id: uuid.UUID, cluster_ids: Sequence[uuid.UUID],
                       visible_site_ids: Sequence[uuid.UUID] | None, *, lock: bool = False
                       ) -> list[ClusterView]:
        return [self._view(self.tables.clusters[c]) for c in sorted(set(cluster_ids))
                if c in self.tables.clusters
                and _in_scope(self.tables.clusters[c], account_id, visible_site_ids)]

    async def change(self, cluster_id: uuid.UUID, values: Row) -> ClusterView:
        row = self.tables.clusters[cluster_id]
        row.update(values, updated_at=_now())
        return self._view(row)

    async def assign_members(self, from_cluster_ids: Sequence[uuid.UUID],
                             to_cluster_id: uuid.UUID) -> None:
        for keyword in self.tables.keywords.values():
            if keyword["cluster_id"] in from_cluster_ids:
                keyword.update(cluster_id=to_cluster_id, updated_at=_now())

    async def delete(self, cluster_ids: Sequence[uuid.UUID]) -> int:
        unclustered = 0
        for keyword in self.tables.keywords.values():
            if keyword["cluster_id"] in cluster_ids:
                keyword.update(cluster_id=None, updated_at=_now())
                unclustered += 1
        for idea in self.tables.ideas.values():
            if idea["cluster_id"] in cluster_ids:
                idea["cluster_id"] = None
        for cluster_id in cluster_ids:
            self.tables.clusters.pop(cluster_id, None)
        return unclustered

    async def memberships(self, account_id: uuid.UUID, keyword_ids: Sequence[uuid.UUID],
                          visible_site_ids: Sequence[uuid.UUID] | None) -> list[Membership]:
        rows = [self.tables.keywords[k] for k in sorted(set(keyword_ids))
                if k in self.tables.keywords]
        return [Membership(k["id"], k["sector_id"], k["cluster_id"]) for k in rows
                if _in_scope(k, account_id, visible_site_ids)]

    async def keyword_points(self, keyword_ids: Sequence[uuid.UUID]) -> list[KeywordPoint]:
        rows = sorted((self.tables.keywords[k] for k in set(keyword_ids)),
                      key=lambda k: (k["normalized"], k["id"]))
        return [_point(k) for k in rows]


class FakeIdeaRepository(IdeaRepository):
    def __init__(self, tables: PlannerTables) -> None:  # no session: nothing reaches one
        self.tables = tables

    def _view(self, row: Row) -> IdeaView:
        cluster = self.tables.clusters.get(row["cluster_id"]) if row["cluster_id"] else None
        values = {name: row[name] for name in IdeaView.model_fields if name != "cluster_name"}
        return IdeaView.model_validate({**values,
                                        "cluster_name": cluster["name"] if cluster else None})

    async def cluster_sources(self, account_id: uuid.UUID, cluster_ids: Sequence[uuid.UUID],
                              visible_site_ids: Sequence[uuid.UUID] | None = None
                              ) -> list[ClusterSource]:
        sources = []
        for cluster_id in dict.fromkeys(cluster_ids):
            row = self.tables.clusters.get(cluster_id)
            if row is None or not _in_scope(row, account_id, visible_site_ids):
                continue
            members = sorted(self.tables.members(cluster_id),
                             key=lambda k: (-(k["volume"] if k["volume"] is not None else -1),
                                            k["normalized"]))
            sources.append(ClusterSource(
                id=cluster_id, site_id=row["site_id"], sector_id=row["sector_id"],
                name=row["name"], keyword_count=row["keyword_count"],
                dominant_intent=row["dominant_intent"],
                keywords=tuple(ClusterKeyword(k["id"], k["keyword"]) for k in members)))
        return sources

    async def add(self, rows: Sequence[Row]) -> None:
        for row in rows:
            self.tables.ideas[row["id"]] = _idea_row(row)

    async def get(self, account_id: uuid.UUID, idea_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None = None) -> IdeaView | None:
        row = self.tables.ideas.get(idea_id)
        return self._view(row) if row and _in_scope(row, account_id, visible_site_ids) else None

    async def change(self, idea_id: uuid.UUID, values: Row) -> None:
        self.tables.ideas[idea_id].update(values, updated_at=_now())

    async def delete(self, account_id: uuid.UUID, idea_ids: Sequence[uuid.UUID],
                     visible_site_ids: Sequence[uuid.UUID] | None = None) -> int:
        doomed = [i for i in dict.fromkeys(idea_ids) if i in self.tables.ideas
                  and _in_scope(self.tables.ideas[i], account_id, visible_site_ids)]
        for idea_id in doomed:
            del self.tables.ideas[idea_id]
        return len(doomed)

    async def for_writer(self, account_id: uuid.UUID, idea_ids: Sequence[uuid.UUID],
                         visible_site_ids: Sequence[uuid.UUID] | None = None
                         ) -> list[tuple[QueuedIdea, str]]:
        found: list[tuple[QueuedIdea, str]] = []
        for idea_id in dict.fromkeys(idea_ids):
            row = self.tables.ideas.get(idea_id)
            if row is None or not _in_scope(row, account_id, visible_site_ids):
                continue
            view = self._view(row)
            found.append((QueuedIdea(
                id=view.id, site_id=view.site_id, sector_id=view.sector_id,
                cluster_id=view.cluster_id, cluster_name=view.cluster_name or "",
                title=view.title, outline=view.description,
                content_structure=view.content_structure, content_type=view.content_type,
                target_keywords=view.target_keywords,
                estimated_word_count=view.estimated_word_count), view.status))
        return found

    async def complete(self, account_id: uuid.UUID, idea_id: uuid.UUID) -> bool:
        row = self.tables.ideas.get(idea_id)
        if row is None or row["account_id"] != account_id or row["status"] not in ("new",
                                                                                    "queued"):
            return False
        row.update(status="completed", updated_at=_now())
        return True

    async def set_status(self, idea_ids: Sequence[uuid.UUID], status: str) -> None:
        for idea_id in idea_ids:
            self.tables.ideas[idea_id].update(status=status, updated_at=_now())


class FakePlannerUnitOfWork(FakeUnitOfWork, PlannerUnitOfWork):
    keywords: FakeKeywordRepository
    clusters: FakeClusterRepository
    ideas: FakeIdeaRepository

    def __init__(self, tables: PlannerTables | None = None) -> None:
        super().__init__("planner")
        self.tables = tables or PlannerTables()
        self.keywords = FakeKeywordRepository(self.tables)
        self.clusters = FakeClusterRepository(self.tables)
        self.ideas = FakeIdeaRepository(self.tables)
