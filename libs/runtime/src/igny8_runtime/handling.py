"""What every message handler is given: its message, its unit of work, and a ``HandlerContext``.

One style in every service (registered with ``Service.on_event`` / ``Service.on_query``)::

    @service.on_event(GenerateContent, "generate-content")
    async def on_generate_content(command: GenerateContent, uow: WriterUnitOfWork,
                                  ctx: HandlerContext) -> None: ...

    @service.on_query(ListTasks, read_only=True)
    async def on_list_tasks(query: ListTasks, uow: WriterUnitOfWork,
                            ctx: HandlerContext) -> TaskPage: ...

An event or command handler runs in the unit of work that also records the message in the inbox
(exactly-once effect); a query handler in a unit of work of its own, read-only when registered
so. The context carries the envelope and the running service's ports: objects built at start-up
(``get``), progress reports committed in a transaction of their own (``progress``), questions to
other services (``ask``) and new units of work (``new_uow``). Nothing else reaches the runtime:
no module globals, no service locators.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from igny8_contracts import Answered, Envelope, QueryResult
from igny8_runtime import rpc

if TYPE_CHECKING:
    from igny8_runtime.operations import OperationReporter
    from igny8_runtime.service import ServiceRuntime
    from igny8_runtime.uow import UnitOfWork

R = TypeVar("R", bound=BaseModel)
T = TypeVar("T")

Progress = Callable[["OperationReporter", str, int, str], Awaitable[None]]
"""Reports an operation's progress (``reporter, phase, percent, message``) in a transaction of
its own, so a watcher sees it while the work goes on (``HandlerContext.progress``)."""


@dataclass(frozen=True)
class HandlerContext:
    envelope: Envelope
    runtime: ServiceRuntime

    @property
    def account_id(self) -> uuid.UUID | None:
        return self.envelope.account_id

    def get(self, kind: type[T]) -> T:
        """An object the service built at start-up (``runtime.provide``)."""
        return self.runtime.get(kind)

    def new_uow(self, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work of its own (not the handler's), e.g. to commit work piece by piece."""
        uow: UnitOfWork = self.runtime.uow(read_only=read_only)
        return uow

    async def progress(self, reporter: OperationReporter, phase: str, percent: int,
                       message: str) -> None:
        async with self.new_uow() as uow:
            reporter.update(uow, phase=phase, percent=percent, message=message)
            await uow.commit()

    async def ask(self, query: Answered[R], *, account_id: uuid.UUID | None = None) -> R:
        """Ask another service (for ``account_id``, the envelope's account by default)."""
        runtime = self.runtime
        return await rpc.ask(runtime.broker, query,
                             account_id=account_id or self.envelope.account_id,
                             source=runtime.service.name,
                             timeout=runtime.settings.rpc_timeout_seconds)


EventHandler = Callable[[Any, Any, HandlerContext], Awaitable[None]]
QueryHandler = Callable[[Any, Any, HandlerContext], Awaitable[BaseModel | QueryResult]]


def as_query_result(answer: BaseModel | QueryResult) -> QueryResult:
    """A query handler answers its reply model (or, for a refusal, ``QueryResult.failure``)."""
    if isinstance(answer, QueryResult):
        return answer
    return QueryResult.success(answer.model_dump(mode="json"))
