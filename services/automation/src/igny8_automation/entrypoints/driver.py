"""What the automation builds at start-up: the port to the owners (``ctx.get(Owners)``) and the
sweeper, which moves on due runs (delays, waits, the maximum run time) and starts the runs of
due schedules. Several replicas may sweep: each claims rows with ``SKIP LOCKED``."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from igny8_automation.adapters.owners import Owners
from igny8_automation.app import service
from igny8_automation.service_layer import handlers
from igny8_automation.settings import automation_settings
from igny8_runtime.logging import get_logger
from igny8_runtime.service import ServiceRuntime

log = get_logger(__name__)
# Runs and schedules one sweep moves on at most, so a sweep ends and the next one comes.
SWEEP_BATCH = 50


@service.on_start
async def provide_owners(runtime: ServiceRuntime) -> None:
    settings = automation_settings()
    owners = Owners(runtime.broker, settings.owner_timeout_seconds)
    runtime.provide(owners)
    runtime.tasks.append(asyncio.create_task(sweep_forever(runtime, owners, settings.tick_seconds),
                                             name="automation-sweeper"))


async def sweep(runtime: ServiceRuntime, owners: Owners) -> None:
    for _ in range(SWEEP_BATCH):
        async with runtime.uow() as uow:
            if not await handlers.tick_schedule(uow, datetime.now(UTC)):
                break
    for _ in range(SWEEP_BATCH):
        async with runtime.uow() as uow:
            if not await handlers.step_due_run(uow, owners, datetime.now(UTC)):
                break


async def sweep_forever(runtime: ServiceRuntime, owners: Owners, every: float) -> None:
    while True:
        try:
            await sweep(runtime, owners)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("automation sweep failed; trying again next tick")
        await asyncio.sleep(every)
