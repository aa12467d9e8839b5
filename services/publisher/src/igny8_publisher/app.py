"""The publisher service: its tables, unit of work, and (imported in ``load``) its handlers."""

from __future__ import annotations

from igny8_publisher.adapters.orm import metadata
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_runtime.service import Service

service: Service[PublisherUnitOfWork] = Service("publisher", metadata, PublisherUnitOfWork)


def load() -> Service[PublisherUnitOfWork]:
    from igny8_publisher.entrypoints import (
        integration_messages,  # noqa: F401  (registers handlers)
        publishing_messages,  # noqa: F401  (registers handlers)
        startup,  # noqa: F401  (builds what the handlers are given)
        webhook_messages,  # noqa: F401  (registers handlers)
    )

    return service
