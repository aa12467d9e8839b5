"""The publisher service: its tables, and (imported in ``load``) its handlers."""

from __future__ import annotations

from igny8_publisher.adapters.orm import metadata
from igny8_runtime.service import Service
from igny8_runtime.uow import UnitOfWork

service: Service[UnitOfWork] = Service("publisher", metadata, UnitOfWork)


def load() -> Service[UnitOfWork]:
    from igny8_publisher.entrypoints import (
        integration_messages,  # noqa: F401  (registers handlers)
        publishing_messages,  # noqa: F401  (registers handlers)
        webhook_messages,  # noqa: F401  (registers handlers)
    )

    return service
