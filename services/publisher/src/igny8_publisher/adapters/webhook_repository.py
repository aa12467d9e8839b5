"""Webhook secrets and received deliveries (tables in ``webhook_tables``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_publisher.adapters.webhook_tables import webhook_deliveries, webhook_secrets


@dataclass(frozen=True)
class StoredSecret:
    integration_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    secret_encrypted: str


@dataclass(frozen=True)
class Delivery:
    integration_id: uuid.UUID
    delivery_id: str
    account_id: uuid.UUID
    site_id: uuid.UUID
    content_id: uuid.UUID
    external_id: str
    wordpress_status: str
    status: str | None
    signed_at: datetime
    occurred_at_us: int | None


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def secret_of(self, integration_id: uuid.UUID) -> StoredSecret | None:
        row = (await self.session.execute(
            select(webhook_secrets).where(webhook_secrets.c.integration_id == integration_id)
        )).mappings().first()
        if row is None:
            return None
        return StoredSecret(row["integration_id"], row["account_id"], row["site_id"],
                            row["secret_encrypted"])

    async def save_secret(self, secret: StoredSecret, issued_at: datetime) -> None:
        """Store the integration's secret, replacing the one issued before."""
        values = {"integration_id": secret.integration_id, "account_id": secret.account_id,
                  "site_id": secret.site_id, "secret_encrypted": secret.secret_encrypted,
                  "issued_at": issued_at}
        await self.session.execute(
            pg_insert(webhook_secrets).values(values).on_conflict_do_update(
                index_elements=[webhook_secrets.c.integration_id],
                set_={k: v for k, v in values.items() if k != "integration_id"}))

    async def forget_secret(self, integration_id: uuid.UUID) -> None:
        await self.session.execute(webhook_secrets.delete().where(
            webhook_secrets.c.integration_id == integration_id))

    async def key_status(self, integration_id: uuid.UUID
                         ) -> tuple[datetime | None, int, datetime | None]:
        """(when the current secret was issued, deliveries received, the last one's time)."""
        issued_at: datetime | None = (await self.session.execute(
            select(webhook_secrets.c.issued_at).where(
                webhook_secrets.c.integration_id == integration_id))).scalar_one_or_none()
        count, last = (await self.session.execute(
            select(func.count(), func.max(webhook_deliveries.c.received_at)).where(
                webhook_deliveries.c.integration_id == integration_id))).one()
        return issued_at, int(count), last

    async def record_delivery(self, delivery: Delivery) -> bool:
        """Record a delivery; False when its id was received before (a replay)."""
        result = await self.session.execute(
            pg_insert(webhook_deliveries).values(
                integration_id=delivery.integration_id, delivery_id=delivery.delivery_id,
                account_id=delivery.account_id, site_id=delivery.site_id,
                content_id=delivery.content_id, external_id=delivery.external_id,
                wordpress_status=delivery.wordpress_status, status=delivery.status,
                signed_at=delivery.signed_at, occurred_at_us=delivery.occurred_at_us,
            ).on_conflict_do_nothing(
                index_elements=[webhook_deliveries.c.integration_id,
                                webhook_deliveries.c.delivery_id],
            ).returning(webhook_deliveries.c.id))
        return result.first() is not None

    async def lock_post(self, integration_id: uuid.UUID, external_id: str) -> None:
        """Serialise deliveries about one post until the transaction ends."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                                   {"k": f"webhook-post:{integration_id}:{external_id}"})

    async def latest_change_of(self, integration_id: uuid.UUID, external_id: str) -> int | None:
        """When the latest change received for the post happened (Unix microseconds)."""
        latest: int | None = (await self.session.execute(
            select(func.max(webhook_deliveries.c.occurred_at_us)).where(
                webhook_deliveries.c.integration_id == integration_id,
                webhook_deliveries.c.external_id == external_id))).scalar_one()
        return latest
