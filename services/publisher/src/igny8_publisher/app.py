"""The publisher service. A skeleton: it starts, migrates and answers health checks."""

from __future__ import annotations

from igny8_publisher.adapters.orm import metadata
from igny8_runtime.service import Service
from igny8_runtime.uow import UnitOfWork

service: Service[UnitOfWork] = Service("publisher", metadata, UnitOfWork)


def load() -> Service[UnitOfWork]:
    return service
