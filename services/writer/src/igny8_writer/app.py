"""The writer service. A skeleton: it starts, migrates and answers health checks."""

from __future__ import annotations

from igny8_runtime.service import Service
from igny8_runtime.uow import UnitOfWork
from igny8_writer.adapters.orm import metadata

service: Service[UnitOfWork] = Service("writer", metadata, UnitOfWork)


def load() -> Service[UnitOfWork]:
    return service
