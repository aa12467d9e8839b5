"""writer: outbox and inbox

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

from alembic import op

from igny8_runtime.migrations import create_messaging_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables_v1("writer")


def downgrade() -> None:
    op.drop_table("inbox", schema="writer")
    op.drop_table("outbox", schema="writer")
