"""Transactional outbox and inbox tables, declared in each service's own schema.

An event is written to ``outbox`` in the same transaction as the state change that caused it;
the relay publishes it later. A consumer writes the processed message id to ``inbox`` in the
same transaction as its effect, so a redelivered message is recognised and skipped.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

OUTBOX_CHANNEL = "igny8_outbox"


def messaging_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The service's outbox and inbox tables (declared on its metadata once)."""
    existing = metadata.tables.get(f"{metadata.schema}.outbox")
    if existing is not None:
        return existing, metadata.tables[f"{metadata.schema}.inbox"]
    outbox = Table(
        "outbox",
        metadata,
        Column("id", Uuid, primary_key=True),  # = envelope id = Nats-Msg-Id
        # Commit order (events of one transaction share created_at): the relay publishes by it.
        Column("seq", BigInteger, Identity(), nullable=False),
        Column("subject", String(255), nullable=False),
        Column("payload", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        Column("headers", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Index(
            "ix_outbox_unpublished",
            "seq",
            postgresql_where=text("published_at IS NULL"),
        ),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(200), primary_key=True),
        Column("message_id", Uuid, primary_key=True),
        Column("subject", Text, nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return outbox, inbox
