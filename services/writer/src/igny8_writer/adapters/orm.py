"""Writer's tables (schema ``writer``): tasks, content and its versions, author profiles, and
its outbox and inbox."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
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

metadata = service_metadata("writer")
outbox, inbox = messaging_tables(metadata)

tasks = Table(
    "tasks", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("sector_id", Uuid, nullable=False),
    # The planner's idea the task came from (one task per idea and account).
    Column("idea_id", Uuid),
    Column("cluster_id", Uuid),
    Column("cluster_name", String(255), nullable=False, server_default=""),
    Column("title", String(255), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    # [{"id": keyword id or null, "keyword": text}]; the first is the primary keyword.
    Column("keywords", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("content_structure", String(20), nullable=False),
    Column("content_type", String(20), nullable=False),
    Column("word_count", Integer, nullable=False, server_default="1200"),
    Column("status", String(20), nullable=False, server_default="queued"),
    Column("error", Text, nullable=False, server_default=""),
    # The generation operation that last worked on the task (a redelivered command skips it).
    Column("operation_id", Uuid),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("account_id", "idea_id"),
    Index("ix_tasks_account_created", "account_id", "created_at", "id"),
)

author_profiles = Table(
    "author_profiles", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("name", String(255), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("tone", String(100), nullable=False, server_default="professional"),
    Column("language", String(35), nullable=False, server_default="en"),
    Column("structure_template", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("is_active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_author_profiles_account_name", "account_id", "name"),
)

content = Table(
    "content", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("sector_id", Uuid, nullable=False),
    Column("task_id", Uuid, ForeignKey("writer.tasks.id", ondelete="SET NULL",
                                       name="fk_content_task_id_tasks"), unique=True),
    Column("cluster_id", Uuid),
    Column("keyword_ids", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("author_profile_id", Uuid),
    Column("title", String(255), nullable=False),
    Column("slug", String(255), nullable=False, server_default=""),
    Column("html", Text, nullable=False, server_default=""),
    Column("excerpt", Text, nullable=False, server_default=""),
    Column("meta_title", String(255), nullable=False, server_default=""),
    Column("meta_description", Text, nullable=False, server_default=""),
    Column("focus_keyword", String(255), nullable=False, server_default=""),
    Column("categories", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("tags", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("language", String(35), nullable=False, server_default="en"),
    Column("word_count", Integer, nullable=False, server_default="0"),
    Column("status", String(20), nullable=False, server_default="draft"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("offline", Boolean, nullable=False, server_default=text("false")),
    Column("operation_id", Uuid),
    Column("external_id", String(100)),
    Column("external_url", Text),
    Column("published_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_content_account_created", "account_id", "created_at", "id"),
)

content_versions = Table(
    "content_versions", metadata,
    Column("id", Uuid, primary_key=True),
    Column("content_id", Uuid, ForeignKey("writer.content.id", ondelete="CASCADE",
                                          name="fk_content_versions_content_id_content"),
           nullable=False),
    Column("account_id", Uuid, nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", String(255), nullable=False),
    Column("html", Text, nullable=False),
    # generated, edited or restored (then ``restored_from`` names the version copied).
    Column("source", String(20), nullable=False),
    Column("restored_from", Integer),
    Column("created_by", Uuid),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("content_id", "version"),
)
