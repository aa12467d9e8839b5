"""publisher: WordPress integrations and publishing records

Revision ID: 0002_integrations
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_integrations"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "integrations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("platform", sa.String(length=20), server_default="wordpress", nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("app_password_encrypted", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="active", nullable=False),
        sa.Column("last_error", sa.Text(), server_default="", nullable=False),
        sa.Column("auto_publish", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("publish_status", sa.String(length=20), server_default="publish", nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("structure", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrations")),
        sa.UniqueConstraint("site_id", "platform", name="uq_integrations_site_id_platform"),
        schema="publisher",
    )
    op.create_index("ix_integrations_account_created", "integrations", ["account_id", "created_at"],
                    unique=False, schema="publisher")
    op.create_table(
        "publishing_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("integration_id", sa.Uuid(), nullable=False),
        sa.Column("content_id", sa.Uuid(), nullable=False),
        sa.Column("content_version", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=40), nullable=True),
        sa.Column("external_url", sa.String(length=2000), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="publishing", nullable=False),
        sa.Column("wordpress_status", sa.String(length=40), nullable=True),
        sa.Column("errors", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("operation_id", sa.Uuid(), nullable=True),
        sa.Column("media", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["integration_id"], ["publisher.integrations.id"],
                                name="fk_publishing_records_integration_id_integrations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishing_records")),
        sa.UniqueConstraint("integration_id", "content_id",
                            name="uq_publishing_records_integration_id_content_id"),
        schema="publisher",
    )
    op.create_index("ix_publishing_records_account_updated", "publishing_records",
                    ["account_id", "updated_at"], unique=False, schema="publisher")
    op.create_index("ix_publishing_records_content", "publishing_records",
                    ["account_id", "content_id"], unique=False, schema="publisher")


def downgrade() -> None:
    op.drop_table("publishing_records", schema="publisher")
    op.drop_table("integrations", schema="publisher")
