"""The billing service: its tables, unit of work, and (imported below) its handlers."""

from __future__ import annotations

from igny8_billing.adapters.orm import metadata
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_runtime.service import Service

service: Service[BillingUnitOfWork] = Service("billing", metadata, BillingUnitOfWork)


def load() -> Service[BillingUnitOfWork]:
    """The service with every handler registered."""
    from igny8_billing.entrypoints import jobs, messages  # noqa: F401  (registers handlers)

    return service
