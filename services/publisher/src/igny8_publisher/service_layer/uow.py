"""The publisher's unit of work: one transaction over its repositories and the events it emits."""

from __future__ import annotations

from igny8_publisher.adapters.integration_repository import IntegrationRepository, RecordRepository
from igny8_publisher.adapters.webhook_repository import WebhookRepository
from igny8_runtime.uow import UnitOfWork


class PublisherUnitOfWork(UnitOfWork):
    integrations: IntegrationRepository
    records: RecordRepository
    webhooks: WebhookRepository

    async def __aenter__(self) -> PublisherUnitOfWork:
        await super().__aenter__()
        self.integrations = IntegrationRepository(self.session)
        self.records = RecordRepository(self.session)
        self.webhooks = WebhookRepository(self.session)
        return self
