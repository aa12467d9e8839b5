"""What the writer's entrypoint modules share: the started runtime (for handlers that open
transactions of their own; event handlers are given only their unit of work), progress
reports, and query handlers that run in a unit of work of their own."""

from __future__ import annotations

from typing import Any

from igny8_contracts import Envelope, QueryResult
from igny8_runtime.operations import OperationReporter
from igny8_runtime.service import ServiceRuntime
from igny8_runtime.uow import UnitOfWork
from igny8_writer.app import service


class Running:
    runtime: ServiceRuntime | None = None

    @classmethod
    def get(cls) -> ServiceRuntime:
        assert cls.runtime is not None, "writer not started"
        return cls.runtime


@service.on_start
async def remember_runtime(runtime: ServiceRuntime) -> None:
    Running.runtime = runtime


def new_uow() -> UnitOfWork:
    uow: UnitOfWork = Running.get().uow()
    return uow


async def progress(reporter: OperationReporter, phase: str, percent: int, message: str) -> None:
    async with new_uow() as uow:
        reporter.update(uow, phase=phase, percent=percent, message=message)
        await uow.commit()


def answering(handler: Any, *, read_only: bool) -> Any:
    """A query handler that runs ``handler(message, uow)`` in a unit of work of its own."""

    async def answer(message: Any, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
        async with runtime.uow(read_only=read_only) as uow:
            result: QueryResult = await handler(message, uow)
            return result

    answer.__doc__ = handler.__doc__
    return answer
