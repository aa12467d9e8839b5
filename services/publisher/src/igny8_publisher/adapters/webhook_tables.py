"""The webhook ingress's tables (schema ``publisher``), on the publisher's metadata:

* ``webhook_secrets``: one HMAC secret per integration (encrypted at rest with the runtime's
  SecretBox), with the account and site the integration belongs to, so a delivery is
  attributed without trusting anything the sender says;
* ``webhook_deliveries``: every accepted delivery, unique per integration and delivery id
  (replay protection, and the sync log of what WordPress reported).

Both go with their integration (``ON DELETE CASCADE``): a deleted integration's key stops
working at once.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)

from igny8_publisher.adapters.integration_tables import integrations  # noqa: F401  (FK target)
from igny8_publisher.adapters.orm import metadata

webhook_secrets = Table(
    "webhook_secrets", metadata,
    Column("integration_id", Uuid, ForeignKey(
        "publisher.integrations.id", ondelete="CASCADE",
        name="fk_webhook_secrets_integration_id_integrations"), primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("secret_encrypted", Text, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_webhook_secrets_account", "account_id"),
)

webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("integration_id", Uuid, ForeignKey(
        "publisher.integrations.id", ondelete="CASCADE",
        name="fk_webhook_deliveries_integration_id_integrations"), nullable=False),
    Column("delivery_id", String(100), nullable=False),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("content_id", Uuid, nullable=False),
    Column("external_id", String(40), nullable=False),
    Column("wordpress_status", String(40), nullable=False),
    Column("status", String(20)),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    # When WordPress made the change (Unix microseconds, from the body): orders a post's changes.
    Column("occurred_at_us", BigInteger),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("integration_id", "delivery_id",
                     name="uq_webhook_deliveries_integration_id_delivery_id"),
    Index("ix_webhook_deliveries_account_received", "account_id", "received_at"),
    Index("ix_webhook_deliveries_post", "integration_id", "external_id", "occurred_at_us"),
)
