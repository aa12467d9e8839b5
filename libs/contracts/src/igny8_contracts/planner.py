"""Planner's keyword contracts: queries and requests the gateway sends on behalf of a user, the
import command, and what the planner reports.

The gateway checks site/sector ownership and visibility before asking; it passes the sites the
caller may see as ``visible_site_ids`` (``None``: every site of the account), and the planner
filters every read and write by ``account_id`` and that scope (a keyword outside it is 404).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts.messages import Command, Event, Query, Request

KeywordStatus = Literal["pending", "clustered", "used", "archived"]
KeywordIntent = Literal["informational", "navigational", "commercial", "transactional"]
KeywordOrdering = Literal["keyword", "-keyword", "volume", "-volume", "difficulty", "-difficulty",
                          "created_at", "-created_at"]
KeywordField = Literal["keyword", "volume", "difficulty", "cpc", "intent", "status"]

MAX_KEYWORD_LENGTH = 255
MAX_BULK = 1000

# JetStream object-store buckets for files too large for a message; objects expire by age.
UPLOADS_BUCKET = "uploads"
UPLOADS_TTL_SECONDS = 24 * 3600.0
EXPORTS_BUCKET = "exports"
EXPORTS_TTL_SECONDS = 3600.0


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeywordView(_Data):
    id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    keyword: str
    volume: int | None
    difficulty: int | None
    cpc: Decimal | None
    intent: KeywordIntent | None
    status: KeywordStatus
    cluster_id: uuid.UUID | None
    source: str
    created_at: datetime
    updated_at: datetime


class KeywordFilters(_Data):
    visible_site_ids: list[uuid.UUID] | None = Field(
        default=None, description="Sites the caller may see; None: every site of the account")
    site_id: uuid.UUID | None = None
    sector_id: uuid.UUID | None = None
    status: KeywordStatus | None = None
    cluster_id: uuid.UUID | None = None
    intent: KeywordIntent | None = None
    search: str | None = Field(default=None, max_length=MAX_KEYWORD_LENGTH)
    volume_min: int | None = Field(default=None, ge=0)
    volume_max: int | None = Field(default=None, ge=0)
    difficulty_min: int | None = Field(default=None, ge=0, le=100)
    difficulty_max: int | None = Field(default=None, ge=0, le=100)


class KeywordPage(_Data):
    """Reply of ListKeywords. Cursors are opaque; ``count`` is exact for the filters."""

    results: list[KeywordView]
    count: int
    next_cursor: str | None
    previous_cursor: str | None


class ListKeywords(Query[KeywordPage]):
    subject_base = "qry.planner.keywords.list"
    account_id: uuid.UUID
    filters: KeywordFilters
    ordering: KeywordOrdering = "-created_at"
    cursor: str | None = Field(default=None, max_length=2000)
    page_size: int = Field(default=20, ge=1, le=500)


class GetKeyword(Query[KeywordView]):
    subject_base = "qry.planner.keywords.get"
    account_id: uuid.UUID
    keyword_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class NewKeyword(_Data):
    keyword: str = Field(min_length=1, max_length=MAX_KEYWORD_LENGTH)
    volume: int | None = Field(default=None, ge=0)
    difficulty: int | None = Field(default=None, ge=0, le=100)
    cpc: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    intent: KeywordIntent | None = None
    status: KeywordStatus = "pending"


class CreatedKeywords(_Data):
    """Reply of CreateKeywords: what was created, and the input keywords that already existed
    in the sector (or came twice in the request), as given."""

    created: list[KeywordView]
    duplicates: list[str]


class CreateKeywords(Request[CreatedKeywords]):
    subject_base = "req.planner.keywords.create"
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    keywords: list[NewKeyword] = Field(min_length=1, max_length=MAX_BULK)


class KeywordChanges(_Data):
    """The new values of ``fields`` (a field listed with ``None`` is cleared)."""

    fields: list[KeywordField] = Field(min_length=1)
    keyword: str | None = Field(default=None, min_length=1, max_length=MAX_KEYWORD_LENGTH)
    volume: int | None = Field(default=None, ge=0)
    difficulty: int | None = Field(default=None, ge=0, le=100)
    cpc: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    intent: KeywordIntent | None = None
    status: KeywordStatus | None = None


class UpdateKeyword(Request[KeywordView]):
    subject_base = "req.planner.keywords.update"
    account_id: uuid.UUID
    keyword_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    changes: KeywordChanges


class AffectedKeywords(_Data):
    count: int


class DeleteKeywords(Request[AffectedKeywords]):
    subject_base = "req.planner.keywords.delete"
    account_id: uuid.UUID
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    visible_site_ids: list[uuid.UUID] | None = None


class SetKeywordStatus(Request[AffectedKeywords]):
    subject_base = "req.planner.keywords.set_status"
    account_id: uuid.UUID
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    visible_site_ids: list[uuid.UUID] | None = None
    status: KeywordStatus


class ExportedKeywords(_Data):
    """Reply of ExportKeywords: the CSV is object ``object_name`` of bucket ``bucket``."""

    bucket: str
    object_name: str
    rows: int


class ExportKeywords(Request[ExportedKeywords]):
    subject_base = "req.planner.keywords.export"
    account_id: uuid.UUID
    filters: KeywordFilters
    ordering: KeywordOrdering = "-created_at"


class ImportKeywords(Command):
    """Import the CSV/TSV object ``object_name`` of bucket ``bucket`` into a sector; progress
    and the report arrive as PlannerOperationUpdated events of ``operation_id``."""

    subject_base = "cmd.planner.keywords.import"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    bucket: str = Field(min_length=1, max_length=100)
    object_name: str = Field(min_length=1, max_length=500)
    filename: str = Field(default="", max_length=255)
    dry_run: bool = False
    all_or_nothing: bool = False


class KeywordsImported(Event):
    subject_base = "evt.planner.keywords.imported"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    imported: int
    duplicates: int
    rejected: int


class KeywordsChanged(Event):
    """Keywords were created, edited, re-statused or deleted outside an import."""

    subject_base = "evt.planner.keywords.changed"
    account_id: uuid.UUID
    change: Literal["created", "updated", "deleted"]
    keyword_ids: list[uuid.UUID] = Field(max_length=MAX_BULK)


ClusteringMethod = Literal["local", "semantic", "llm"]


class AutoClusterKeywords(Command):
    """Cluster a sector's keywords (all unclustered ones, or ``keyword_ids``); new keywords join
    existing clusters when close enough. Progress and the outcome arrive as
    PlannerOperationUpdated events of ``operation_id``."""

    subject_base = "cmd.planner.keywords.auto_cluster"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    keyword_ids: list[uuid.UUID] | None = Field(default=None, max_length=100_000)
    method: ClusteringMethod = "local"


ClusterGranularity = Literal["fine", "medium", "coarse"]
MAX_CLUSTER_COUNT = 100_000


class AutoClusterKeywordsV2(AutoClusterKeywords):
    """v2 adds how big the clusters should be: ``granularity`` (fine: tight article-sized
    groups; coarse: broad topics), or exactly ``cluster_count`` clusters, or about
    ``keywords_per_cluster`` keywords each (at most one of the two; either overrides the
    granularity). The gateway sends v2 only; the planner still runs v1 as v2's defaults."""

    subject_base = "cmd.planner.keywords.auto_cluster"
    version = 2
    granularity: ClusterGranularity = "medium"
    cluster_count: int | None = Field(default=None, ge=1, le=MAX_CLUSTER_COUNT)
    keywords_per_cluster: int | None = Field(default=None, ge=1, le=MAX_CLUSTER_COUNT)


class KeywordsClustered(Event):
    subject_base = "evt.planner.keywords.clustered"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    method: ClusteringMethod
    keywords_clustered: int
    clusters_created: int
    clusters_updated: int


# ------------------------------------------------------------------------------ clusters

AVAILABLE_CLUSTERING_METHODS: tuple[ClusteringMethod, ...] = ("local", "semantic", "llm")
ClusterOrdering = Literal["name", "-name", "keyword_count", "-keyword_count", "total_volume",
                          "-total_volume", "created_at", "-created_at"]
MAX_CLUSTER_NAME_LENGTH = 255
MAX_CLUSTER_DESCRIPTION_LENGTH = 5000
MAX_MERGED_CLUSTERS = 100
ClusterChange = Literal["updated", "deleted", "merged", "split", "keywords_moved"]


class ClusterView(_Data):
    id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    name: str
    description: str
    keyword_count: int
    total_volume: int
    average_difficulty: float | None
    dominant_intent: KeywordIntent | None
    method: str
    created_at: datetime
    updated_at: datetime


class ClusterPage(_Data):
    """Reply of ListClusters: one page (1-based) and the exact count for the filters."""

    results: list[ClusterView]
    count: int


class ListClusters(Query[ClusterPage]):
    subject_base = "qry.planner.clusters.list"
    account_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    site_id: uuid.UUID | None = None
    sector_id: uuid.UUID | None = None
    ordering: ClusterOrdering = "name"
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=100)


class GetCluster(Query[ClusterView]):
    subject_base = "qry.planner.clusters.get"
    account_id: uuid.UUID
    cluster_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class UpdateCluster(Request[ClusterView]):
    """Rename a cluster and/or change its description (``None``: unchanged)."""

    subject_base = "req.planner.clusters.update"
    account_id: uuid.UUID
    cluster_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    name: str | None = Field(default=None, min_length=1, max_length=MAX_CLUSTER_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_CLUSTER_DESCRIPTION_LENGTH)


class DeleteCluster(Request[AffectedKeywords]):
    """Delete a cluster; its keywords become unclustered. Replies how many."""

    subject_base = "req.planner.clusters.delete"
    account_id: uuid.UUID
    cluster_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class MergeClusters(Request[ClusterView]):
    """Move every keyword of ``source_ids`` into ``target_id`` and delete the sources (all of
    one sector); the target keeps its name."""

    subject_base = "req.planner.clusters.merge"
    account_id: uuid.UUID
    target_id: uuid.UUID
    source_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_MERGED_CLUSTERS)
    visible_site_ids: list[uuid.UUID] | None = None


class SplitClusters(_Data):
    """Reply of SplitCluster: the cluster split, and the new one holding the keywords."""

    original: ClusterView
    created: ClusterView


class SplitCluster(Request[SplitClusters]):
    """Move ``keyword_ids`` (members of the cluster) into a new cluster of the same sector,
    named ``name`` or after its most representative keyword."""

    subject_base = "req.planner.clusters.split"
    account_id: uuid.UUID
    cluster_id: uuid.UUID
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    name: str | None = Field(default=None, min_length=1, max_length=MAX_CLUSTER_NAME_LENGTH)
    visible_site_ids: list[uuid.UUID] | None = None


class MovedKeywords(_Data):
    """Reply of MoveKeywords: how many moved, and the cluster they are in now (``None``:
    unclustered)."""

    count: int
    cluster: ClusterView | None


class MoveKeywords(Request[MovedKeywords]):
    """Put keywords into ``cluster_id`` (of their sector), or take them out (``None``)."""

    subject_base = "req.planner.clusters.move_keywords"
    account_id: uuid.UUID
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    cluster_id: uuid.UUID | None
    visible_site_ids: list[uuid.UUID] | None = None


class ClustersChanged(Event):
    """Clusters were edited by hand (renamed, deleted, merged, split, keywords moved)."""

    subject_base = "evt.planner.clusters.changed"
    account_id: uuid.UUID
    change: ClusterChange
    cluster_ids: list[uuid.UUID] = Field(max_length=MAX_BULK + 1)


# ------------------------------------------------------------------------------ content ideas

IdeaStructure = Literal["cluster_hub", "landing_page", "pillar_page", "supporting_page"]
IdeaContentType = Literal["blog_post", "article", "guide", "tutorial", "page", "product",
                          "service"]
IdeaStatus = Literal["new", "queued", "completed", "archived"]
IdeaField = Literal["title", "description", "content_structure", "content_type",
                    "target_keywords", "estimated_word_count", "status"]

MAX_IDEAS_PER_CLUSTER = 10
MAX_IDEA_CLUSTERS = 100
MAX_QUEUE = 100
MAX_OUTLINE_LENGTH = 5000
MAX_WORD_COUNT = 20_000


class TargetKeyword(_Data):
    """A keyword an idea targets: ``id`` when it is one of its cluster's keywords."""

    id: uuid.UUID | None = None
    keyword: str = Field(min_length=1, max_length=MAX_KEYWORD_LENGTH)


class IdeaView(_Data):
    id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    cluster_id: uuid.UUID | None
    cluster_name: str | None
    title: str
    description: str
    content_structure: IdeaStructure
    content_type: IdeaContentType
    target_keywords: list[TargetKeyword]
    estimated_word_count: int
    status: IdeaStatus
    created_at: datetime
    updated_at: datetime


class IdeaFilters(_Data):
    visible_site_ids: list[uuid.UUID] | None = None
    site_id: uuid.UUID | None = None
    sector_id: uuid.UUID | None = None
    cluster_id: uuid.UUID | None = None
    status: IdeaStatus | None = None
    content_structure: IdeaStructure | None = None
    content_type: IdeaContentType | None = None


class IdeaPage(_Data):
    results: list[IdeaView]
    count: int


class ListIdeas(Query[IdeaPage]):
    subject_base = "qry.planner.ideas.list"
    account_id: uuid.UUID
    filters: IdeaFilters
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=500)


class GetIdea(Query[IdeaView]):
    subject_base = "qry.planner.ideas.get"
    account_id: uuid.UUID
    idea_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class IdeaClusterRef(_Data):
    id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    name: str


class IdeaClusterRefs(_Data):
    clusters: list[IdeaClusterRef]


class FindIdeaClusters(Query[IdeaClusterRefs]):
    """The clusters among ``cluster_ids`` in the caller's scope (the gateway answers 404 when
    one is missing, before it reserves credits for generating ideas)."""

    subject_base = "qry.planner.idea_clusters.list"
    account_id: uuid.UUID
    cluster_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_IDEA_CLUSTERS)
    visible_site_ids: list[uuid.UUID] | None = None


class NewIdea(_Data):
    cluster_id: uuid.UUID
    title: str = Field(min_length=1, max_length=255)
    description: str = Field(default="", max_length=MAX_OUTLINE_LENGTH)
    content_structure: IdeaStructure = "supporting_page"
    content_type: IdeaContentType = "blog_post"
    target_keywords: list[str] = Field(default_factory=list, max_length=50)
    estimated_word_count: int = Field(default=1200, ge=0, le=MAX_WORD_COUNT)
    status: IdeaStatus = "new"


class CreateIdea(Request[IdeaView]):
    subject_base = "req.planner.ideas.create"
    account_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    idea: NewIdea


class IdeaChanges(_Data):
    """The new values of ``fields``; target keywords are texts, matched to the cluster's."""

    fields: list[IdeaField] = Field(min_length=1)
    title: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=MAX_OUTLINE_LENGTH)
    content_structure: IdeaStructure | None = None
    content_type: IdeaContentType | None = None
    target_keywords: list[str] | None = Field(default=None, max_length=50)
    estimated_word_count: int | None = Field(default=None, ge=0, le=MAX_WORD_COUNT)
    status: IdeaStatus | None = None


class UpdateIdea(Request[IdeaView]):
    subject_base = "req.planner.ideas.update"
    account_id: uuid.UUID
    idea_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    changes: IdeaChanges


class AffectedIdeas(_Data):
    count: int


class DeleteIdeas(Request[AffectedIdeas]):
    subject_base = "req.planner.ideas.delete"
    account_id: uuid.UUID
    idea_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    visible_site_ids: list[uuid.UUID] | None = None


class QueuedIdeas(_Data):
    """Reply of QueueIdeasToWriter: ideas now queued, and those that already were (or were
    completed), left as they are."""

    queued: list[uuid.UUID]
    skipped: list[uuid.UUID]


class QueueIdeasToWriter(Request[QueuedIdeas]):
    """Queue ideas for the writer (IdeasQueued); an id outside the scope: 404, nothing queued."""

    subject_base = "req.planner.ideas.queue_to_writer"
    account_id: uuid.UUID
    idea_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_QUEUE)
    visible_site_ids: list[uuid.UUID] | None = None


class GenerateIdeas(Command):
    """Generate ``ideas_per_cluster`` content ideas for each cluster with the AI engine; the
    credits were reserved under ``reservation_key`` and the usage event settles them. Progress
    and the outcome arrive as PlannerOperationUpdated events of ``operation_id``."""

    subject_base = "cmd.planner.clusters.generate_ideas"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    cluster_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_IDEA_CLUSTERS)
    ideas_per_cluster: int = Field(default=3, ge=1, le=MAX_IDEAS_PER_CLUSTER)
    reservation_key: str = Field(min_length=1, max_length=200)


class IdeasGenerated(Event):
    subject_base = "evt.planner.ideas.generated"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    cluster_ids: list[uuid.UUID]
    idea_ids: list[uuid.UUID]
    offline: bool


class QueuedIdea(_Data):
    """What the writer needs to create one task for an idea."""

    id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    cluster_id: uuid.UUID | None
    cluster_name: str
    title: str
    outline: str
    content_structure: IdeaStructure
    content_type: IdeaContentType
    target_keywords: list[TargetKeyword]
    estimated_word_count: int


class IdeasQueued(Event):
    """Ideas queued for the writer: one writer task per idea (at most 25 ideas per event)."""

    subject_base = "evt.planner.ideas.queued"
    account_id: uuid.UUID
    ideas: list[QueuedIdea] = Field(min_length=1, max_length=25)
