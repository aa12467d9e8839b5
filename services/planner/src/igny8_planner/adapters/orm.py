"""Planner's tables (schema ``planner``): keywords, clusters, content ideas, and its outbox
and inbox."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from igny8_runtime.db import service_metadata
from igny8_runtime.outbox import messaging_tables

metadata = service_metadata("planner")
outbox, inbox = messaging_tables(metadata)

keywords = Table(
    "keywords", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("sector_id", Uuid, nullable=False),
    Column("keyword", String(255), nullable=False),
    Column("normalized", String(255), nullable=False),
    Column("volume", Integer),
    Column("difficulty", Integer),
    Column("cpc", Numeric(12, 2)),
    Column("intent", String(20)),
    Column("status", String(20), nullable=False, server_default="pending"),
    Column("cluster_id", Uuid, ForeignKey("planner.clusters.id", ondelete="SET NULL",
                                          name="fk_keywords_cluster_id_clusters")),
    Column("source", String(20), nullable=False, server_default="manual"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("sector_id", "normalized"),
    # Keyset pagination: one index per ordering, led by the account every query filters by.
    Index("ix_keywords_account_created", "account_id", "created_at", "id"),
    Index("ix_keywords_account_normalized", "account_id", "normalized", "id"),
    # Unknown volume/difficulty sort as -1, so a keyset cursor never compares with NULL.
    Index("ix_keywords_account_volume", "account_id", text("coalesce(volume, -1)"), "id"),
    Index("ix_keywords_account_difficulty", "account_id", text("coalesce(difficulty, -1)"),
          "id"),
    Index("ix_keywords_cluster", "cluster_id", postgresql_where="cluster_id IS NOT NULL"),
)

clusters = Table(
    "clusters", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("sector_id", Uuid, nullable=False),
    Column("name", String(255), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("keyword_count", Integer, nullable=False, server_default="0"),
    Column("total_volume", BigInteger, nullable=False, server_default="0"),
    Column("average_difficulty", Numeric(6, 2)),
    Column("dominant_intent", String(20)),
    Column("method", String(20), nullable=False, server_default="local"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_clusters_account_sector", "account_id", "sector_id", "id"),
)

ideas = Table(
    "ideas", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("sector_id", Uuid, nullable=False),
    Column("cluster_id", Uuid, ForeignKey("planner.clusters.id", ondelete="SET NULL",
                                          name="fk_ideas_cluster_id_clusters")),
    Column("title", String(255), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("content_structure", String(20), nullable=False),
    Column("content_type", String(20), nullable=False),
    # [{"id": keyword id or null, "keyword": text}]
    Column("target_keywords", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("estimated_word_count", Integer, nullable=False, server_default="0"),
    Column("status", String(20), nullable=False, server_default="new"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_ideas_account_created", "account_id", "created_at", "id"),
    Index("ix_ideas_cluster", "cluster_id", postgresql_where="cluster_id IS NOT NULL"),
)
