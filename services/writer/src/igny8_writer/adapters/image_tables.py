"""Writer's image table (schema ``writer``), on the writer's metadata. The bytes live in the
media store under ``storage_key``; a row says what the image is, where it goes and how it was
made."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)

from igny8_writer.adapters.orm import metadata

images = Table(
    "images", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("sector_id", Uuid, nullable=False),
    Column("task_id", Uuid, ForeignKey("writer.tasks.id", ondelete="SET NULL",
                                       name="fk_images_task_id_tasks")),
    Column("content_id", Uuid, ForeignKey("writer.content.id", ondelete="CASCADE",
                                          name="fk_images_content_id_content")),
    # featured (the post's featured image, not in the HTML) or in_article.
    Column("role", String(20), nullable=False),
    # 0 for the featured image, 1.. for in-article images in the order they appear.
    Column("position", Integer, nullable=False),
    # The h2 (0-based) an in-article image follows; NULL: the featured image, or the end.
    Column("heading_index", Integer),
    Column("prompt", Text, nullable=False),
    Column("alt_text", String(500), nullable=False, server_default=""),
    Column("caption", String(500), nullable=False, server_default=""),
    Column("storage_key", String(255), nullable=False),
    Column("mime_type", String(100), nullable=False),
    Column("size_bytes", BigInteger, nullable=False, server_default="0"),
    Column("checksum", String(64), nullable=False, server_default=""),
    Column("provider", String(100), nullable=False, server_default=""),
    Column("model", String(100), nullable=False, server_default=""),
    Column("offline", Boolean, nullable=False, server_default=text("false")),
    # The operation that last made the bytes (a redelivered command skips finished work).
    Column("operation_id", Uuid),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_images_account_created", "account_id", "created_at", "id"),
    Index("ix_images_content", "content_id", "position"),
    Index("ix_images_task", "task_id"),
)
