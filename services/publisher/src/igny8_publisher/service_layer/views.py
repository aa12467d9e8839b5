"""Rows → reply models (never the application password)."""

from __future__ import annotations

import uuid
from typing import Any

from igny8_contracts.publisher import IntegrationView, PublishingRecordView, SiteStructure


def integration_view(row: dict[str, Any]) -> IntegrationView:
    structure = row.get("structure")
    return IntegrationView(
        id=row["id"], site_id=row["site_id"], platform="wordpress", url=row["url"],
        username=row["username"], has_app_password=bool(row["app_password_encrypted"]),
        is_active=row["is_active"], status=row["status"], last_error=row["last_error"],
        auto_publish=row["auto_publish"], publish_status=row["publish_status"],
        last_checked_at=row["last_checked_at"],
        structure=SiteStructure.model_validate(structure) if structure else None,
        created_at=row["created_at"], updated_at=row["updated_at"])


def record_view(row: dict[str, Any]) -> PublishingRecordView:
    return PublishingRecordView(
        id=row["id"], integration_id=row["integration_id"], site_id=row["site_id"],
        content_id=row["content_id"], content_version=row["content_version"],
        external_id=row["external_id"], external_url=row["external_url"], status=row["status"],
        wordpress_status=row["wordpress_status"], errors=list(row["errors"] or []),
        attempts=row["attempts"], operation_id=row["operation_id"],
        published_at=row["published_at"], created_at=row["created_at"],
        updated_at=row["updated_at"])


def new_id() -> uuid.UUID:
    return uuid.uuid4()
