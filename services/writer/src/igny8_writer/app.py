"""The writer service: its tables, and (imported in ``load``) its handlers."""

from __future__ import annotations

from igny8_runtime.service import Service
from igny8_runtime.uow import UnitOfWork
from igny8_writer.adapters.orm import metadata

service: Service[UnitOfWork] = Service("writer", metadata, UnitOfWork)


def load() -> Service[UnitOfWork]:
    """The service with every handler registered."""
    from igny8_writer.entrypoints import (
        image_messages,  # noqa: F401  (image handlers)
        messages,  # noqa: F401  (registers handlers)
        publisher_events,  # noqa: F401  (content follows the publisher)
    )

    return service
