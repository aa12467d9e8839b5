"""publisher: an integration's default post author (a WordPress user id)

Revision ID: 0005_default_author
Revises: 0004_webhook_order
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_default_author"
down_revision: str | None = "0004_webhook_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("integrations", sa.Column("default_author_id", sa.Integer()),
                  schema="publisher")


def downgrade() -> None:
    op.drop_column("integrations", "default_author_id", schema="publisher")
