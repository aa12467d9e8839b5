"""Periodic jobs a service runs beside its handlers (``runtime.tasks``)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from igny8_runtime.faults import describe, is_infrastructure_fault
from igny8_runtime.logging import get_logger

log = get_logger(__name__)


async def every(seconds: float, name: str, job: Callable[[], Awaitable[int]]) -> None:
    """Run ``job`` every ``seconds`` until cancelled; a failing round is logged (briefly when
    the database or NATS is down) and the job tried again next round. Each finished round is
    logged at debug level with how many items it handled, so an operator or a test can see
    the job is alive and what it did."""
    while True:
        try:
            done = await job()
        except Exception as exc:
            if is_infrastructure_fault(exc):
                log.warning("periodic job waits for the infrastructure", job=name,
                            error=describe(exc))
            else:
                log.exception("periodic job failed; trying again next round", job=name)
        else:
            log.debug("periodic job ran", job=name, done=done)
        await asyncio.sleep(seconds)
