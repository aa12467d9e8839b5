"""The writer service: its tables, and (imported in ``load``) its handlers."""

from __future__ import annotations

from igny8_runtime.service import Service
from igny8_runtime.uow import UnitOfWork
from igny8_writer.adapters.orm import metadata
from igny8_writer.adapters.shared_ai import provide_ai_engine

service: Service[UnitOfWork] = Service("writer", metadata, UnitOfWork)
# First start hook: one AI engine (one limiter per provider and account) for the whole process.
service.on_start(provide_ai_engine)


def load() -> Service[UnitOfWork]:
    """The service with every handler registered."""
    from igny8_writer.entrypoints import (
        image_messages,  # noqa: F401  (image handlers)
        messages,  # noqa: F401  (registers handlers)
        publisher_events,  # noqa: F401  (content follows the publisher)
    )

    return service
