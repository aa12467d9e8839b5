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


class ListKeywords(Query):
    subject_base = "qry.planner.keywords.list"
    account_id: uuid.UUID
    filters: KeywordFilters
    ordering: KeywordOrdering = "-created_at"
    cursor: str | None = Field(default=None, max_length=2000)
    page_size: int = Field(default=20, ge=1, le=500)
    reply = KeywordPage


class GetKeyword(Query):
    subject_base = "qry.planner.keywords.get"
    account_id: uuid.UUID
    keyword_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    reply = KeywordView


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


class CreateKeywords(Request):
    subject_base = "req.planner.keywords.create"
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    keywords: list[NewKeyword] = Field(min_length=1, max_length=MAX_BULK)
    reply = CreatedKeywords


class KeywordChanges(_Data):
    """The new values of ``fields`` (a field listed with ``None`` is cleared)."""

    fields: list[KeywordField] = Field(min_length=1)
    keyword: str | None = Field(default=None, min_length=1, max_length=MAX_KEYWORD_LENGTH)
    volume: int | None = Field(default=None, ge=0)
    difficulty: int | None = Field(default=None, ge=0, le=100)
    cpc: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    intent: KeywordIntent | None = None
    status: KeywordStatus | None = None


class UpdateKeyword(Request):
    subject_base = "req.planner.keywords.update"
    account_id: uuid.UUID
    keyword_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    changes: KeywordChanges
    reply = KeywordView


class AffectedKeywords(_Data):
    count: int


class DeleteKeywords(Request):
    subject_base = "req.planner.keywords.delete"
    account_id: uuid.UUID
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    visible_site_ids: list[uuid.UUID] | None = None
    reply = AffectedKeywords


class SetKeywordStatus(Request):
    subject_base = "req.planner.keywords.set_status"
    account_id: uuid.UUID
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    visible_site_ids: list[uuid.UUID] | None = None
    status: KeywordStatus
    reply = AffectedKeywords


class ExportedKeywords(_Data):
    """Reply of ExportKeywords: the CSV is object ``object_name`` of bucket ``bucket``."""

    bucket: str
    object_name: str
    rows: int


class ExportKeywords(Request):
    subject_base = "req.planner.keywords.export"
    account_id: uuid.UUID
    filters: KeywordFilters
    ordering: KeywordOrdering = "-created_at"
    reply = ExportedKeywords


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
