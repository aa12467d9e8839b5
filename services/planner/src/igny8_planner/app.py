"""The planner service: its tables, unit of work, and (imported in ``load``) its handlers."""

from __future__ import annotations

from igny8_planner.adapters.orm import metadata
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.service import Service

service: Service[PlannerUnitOfWork] = Service("planner", metadata, PlannerUnitOfWork)


def load() -> Service[PlannerUnitOfWork]:
    """The service with every handler registered."""
    from igny8_planner.entrypoints import (
        messages,  # noqa: F401  (registers handlers)
        writer_events,  # noqa: F401  (ideas follow the writer's articles)
    )

    return service
