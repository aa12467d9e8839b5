"""Integrations and publishing records (schema ``publisher``, on the publisher's metadata).

* ``integrations``: one WordPress per site; the application password encrypted at rest with
  the runtime's SecretBox; the cached site structure (categories, tags, authors, post types)
  and the default post author chosen among those authors.
* ``publishing_records``: one per (integration, content), created before WordPress is called
  and locked while an article is published, with WordPress's post id once known, the media
  already uploaded, the outcome and its errors.
"""

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

from igny8_publisher.adapters.orm import metadata

integrations = Table(
    "integrations", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("platform", String(20), nullable=False, server_default="wordpress"),
    Column("url", String(2000), nullable=False),
    Column("username", String(255), nullable=False),
    Column("app_password_encrypted", Text, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default=text("true")),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("auto_publish", Boolean, nullable=False, server_default=text("false")),
    Column("publish_status", String(20), nullable=False, server_default="publish"),
    Column("last_checked_at", DateTime(timezone=True)),
    Column("structure", JSONB),
    Column("default_author_id", Integer),  # a WordPress user id among structure.authors
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("site_id", "platform", name="uq_integrations_site_id_platform"),
    Index("ix_integrations_account_created", "account_id", "created_at"),
)

publishing_records = Table(
    "publishing_records", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("integration_id", Uuid, ForeignKey("publisher.integrations.id", ondelete="CASCADE",
                                              name="fk_publishing_records_integration_id_integrations"),
           nullable=False),
    Column("content_id", Uuid, nullable=False),
    Column("content_version", Integer),
    Column("external_id", String(40)),
    Column("external_url", String(2000)),
    Column("status", String(20), nullable=False, server_default="publishing"),
    Column("wordpress_status", String(40)),
    Column("errors", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("operation_id", Uuid),
    Column("media", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("published_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("integration_id", "content_id",
                     name="uq_publishing_records_integration_id_content_id"),
    Index("ix_publishing_records_account_updated", "account_id", "updated_at"),
    Index("ix_publishing_records_content", "account_id", "content_id"),
)
