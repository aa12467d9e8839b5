"""publisher: webhook secrets (one per integration) and received deliveries (replay protection)

Revision ID: 0003_webhooks
Revises: 0002_integrations
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_webhooks"
down_revision: str | None = "0002_integrations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_secrets",
        sa.Column("integration_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("secret_encrypted", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("integration_id", name="pk_webhook_secrets"),
        sa.ForeignKeyConstraint(["integration_id"], ["publisher.integrations.id"],
                                name="fk_webhook_secrets_integration_id_integrations",
                                ondelete="CASCADE"),
        schema="publisher",
    )
    op.create_index("ix_webhook_secrets_account", "webhook_secrets", ["account_id"],
                    schema="publisher")
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("integration_id", sa.Uuid(), nullable=False),
        sa.Column("delivery_id", sa.String(100), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("content_id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(40), nullable=False),
        sa.Column("wordpress_status", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20)),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
        sa.ForeignKeyConstraint(["integration_id"], ["publisher.integrations.id"],
                                name="fk_webhook_deliveries_integration_id_integrations",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("integration_id", "delivery_id",
                            name="uq_webhook_deliveries_integration_id_delivery_id"),
        schema="publisher",
    )
    op.create_index("ix_webhook_deliveries_account_received", "webhook_deliveries",
                    ["account_id", "received_at"], schema="publisher")


def downgrade() -> None:
    op.drop_table("webhook_deliveries", schema="publisher")
    op.drop_table("webhook_secrets", schema="publisher")
