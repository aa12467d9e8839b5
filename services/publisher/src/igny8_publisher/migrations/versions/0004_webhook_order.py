"""publisher: when WordPress made each reported change, to order a post's changes

Revision ID: 0004_webhook_order
Revises: 0003_webhooks
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_webhook_order"
down_revision: str | None = "0003_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("webhook_deliveries", sa.Column("occurred_at_us", sa.BigInteger()),
                  schema="publisher")
    op.create_index("ix_webhook_deliveries_post", "webhook_deliveries",
                    ["integration_id", "external_id", "occurred_at_us"], schema="publisher")


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_post", "webhook_deliveries", schema="publisher")
    op.drop_column("webhook_deliveries", "occurred_at_us", schema="publisher")
