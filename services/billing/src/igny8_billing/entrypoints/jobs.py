"""Billing's periodic jobs, started with the service."""

from __future__ import annotations

import asyncio

from igny8_billing.app import service
from igny8_billing.service_layer import jobs
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_billing.settings import billing_settings
from igny8_runtime.periodic import every
from igny8_runtime.service import ServiceRuntime


@service.on_start
async def start_periodic_jobs(runtime: ServiceRuntime) -> None:
    settings = billing_settings()

    def new_uow() -> BillingUnitOfWork:
        uow: BillingUnitOfWork = runtime.uow()
        return uow

    limit = settings.job_batch_size
    runtime.tasks.append(asyncio.create_task(every(
        settings.hold_expiry_interval_seconds, "expire-holds",
        lambda: jobs.expire_holds_once(new_uow, limit)), name="expire-holds"))
    runtime.tasks.append(asyncio.create_task(every(
        settings.renewal_interval_seconds, "renew-periods",
        lambda: jobs.renew_periods_once(new_uow, limit)), name="renew-periods"))
