"""The automation service: its tables, unit of work, and (imported in ``load``) its handlers."""

from __future__ import annotations

from igny8_automation.adapters import tables  # noqa: F401  (registers its tables)
from igny8_automation.adapters.orm import metadata
from igny8_automation.service_layer.uow import AutomationUnitOfWork
from igny8_runtime.service import Service

service: Service[AutomationUnitOfWork] = Service("automation", metadata, AutomationUnitOfWork)


def load() -> Service[AutomationUnitOfWork]:
    from igny8_automation.entrypoints import (
        driver,  # noqa: F401  (builds the owners' port, starts the sweeper)
        messages,  # noqa: F401  (registers handlers)
    )

    return service
