"""Long-running operations: sending the command durably, and reporting progress.

``send_command`` publishes a command to JetStream and returns only once JetStream acknowledged
it (the gateway answers 202 after that). ``OperationReporter`` is what the service running the
operation uses: every call emits the service's ``<Service>OperationUpdated`` event through the
unit of work, so progress commits (or rolls back) with the work that produced it.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import TYPE_CHECKING, Any

import nats.errors

from igny8_contracts import Command, Envelope, Message
from igny8_contracts.operations import (
    MAX_RESULT_BYTES,
    OperationState,
    OperationUpdate,
    operation_event_for,
)
from igny8_contracts.streams import COMMANDS
from igny8_runtime.context import causation_id_var, current_correlation_id
from igny8_runtime.logging import get_logger
from igny8_runtime.relay import JetStreamPublisher
from igny8_runtime.rpc import OwnerUnavailable
from igny8_runtime.telemetry import current_trace_headers

if TYPE_CHECKING:
    from igny8_runtime.uow import UnitOfWork

_log = get_logger(__name__)


class CommandNotAccepted(OwnerUnavailable):
    """JetStream did not acknowledge the command: it is not durable, do not answer 202
    (the HTTP layer answers 503 + Retry-After, as for any unavailable owner)."""


async def send_command(
    js: JetStreamPublisher,
    command: Command,
    *,
    account_id: uuid.UUID | None,
    source: str,
    message_id: uuid.UUID | None = None,
    timeout: float = 5.0,
) -> Envelope:
    """Publish ``command`` and wait for JetStream's PubAck. ``Nats-Msg-Id`` is the envelope id
    (``message_id`` if given), so sending the same id again within the stream's duplicate
    window stores it once."""
    if command.kind != "command":
        raise TypeError(f"{type(command).__name__} is not a Command")
    envelope = Envelope.wrap(command, source=f"igny8/{source}",
                             correlation_id=current_correlation_id(),
                             causation_id=causation_id_var.get(), account_id=account_id)
    if message_id is not None:
        envelope = envelope.model_copy(update={"id": message_id})
    headers = {**current_trace_headers(), "Igny8-Correlation-Id": envelope.correlation_id,
               "Nats-Msg-Id": str(envelope.id)}
    subject = command.subject()
    connection = getattr(js, "_nc", None)  # a JetStreamContext's client
    if connection is not None and not connection.is_connected:
        # Reconnecting (or closed): the publish would only wait out its timeout.
        raise CommandNotAccepted(subject, "NATS is unreachable")
    try:
        ack = await js.publish(subject, envelope.model_dump_json().encode(), timeout=timeout,
                               stream=COMMANDS.name, headers=headers)
    except (TimeoutError, nats.errors.Error) as exc:
        raise CommandNotAccepted(subject, f"JetStream did not acknowledge: {exc!r}") from exc
    if ack.stream != COMMANDS.name:
        raise CommandNotAccepted(subject, f"stored in {ack.stream!r}, not {COMMANDS.name!r}")
    return envelope


def _now_micros() -> int:
    return time.time_ns() // 1000


def dead_letter_failure(message: Message, envelope: Envelope,
                        reason: str) -> OperationUpdate | None:
    """The update failing the operation that ``message`` ran, once it was dead-lettered; None
    unless it is a command carrying an ``operation_id`` (and its owner reports operations).
    Its ``operation_type`` is the command's subject without ``cmd.`` (the gateway keeps the kind
    it recorded when it accepted the command)."""
    operation_id = getattr(message, "operation_id", None)
    account_id = getattr(message, "account_id", None) or envelope.account_id
    if (message.kind != "command" or not isinstance(operation_id, uuid.UUID)
            or not isinstance(account_id, uuid.UUID)):
        return None
    try:
        event_type = operation_event_for(message.owner())
    except KeyError:
        return None
    site_id = getattr(message, "site_id", None)
    return event_type(
        operation_id=operation_id, account_id=account_id,
        site_id=site_id if isinstance(site_id, uuid.UUID) else None,
        operation_type=message.subject_base.removeprefix("cmd."), state="failed",
        phase="FAILED", percent=0, message="Failed.",
        error=("The operation could not be completed and was set aside for an operator to "
               f"inspect and replay. Reason: {reason}")[:2000],
        sequence=_now_micros())


class OperationReporter:
    """Reports one operation's progress: ``update`` / ``succeed`` / ``fail`` / ``cancel``.

    The event class is the running service's own (``uow.source``). Sequences are wall-clock
    microseconds, never below the previous one + 1: a retried handler (a new reporter, after
    its earlier updates were committed) still reports newer sequences than before.
    """

    def __init__(
        self,
        operation_id: uuid.UUID,
        account_id: uuid.UUID,
        operation_type: str,
        *,
        site_id: uuid.UUID | None = None,
    ) -> None:
        self.operation_id = operation_id
        self.account_id = account_id
        self.operation_type = operation_type
        self.site_id = site_id
        self.sequence = 0
        self.phase = "INIT"
        self.percent = 0

    def update(
        self, uow: UnitOfWork, *, phase: str, percent: int, message: str = "",
        cost: int | None = None,
    ) -> OperationUpdate:
        return self._emit(uow, "running", phase=phase, percent=percent, message=message,
                          cost=cost)

    def succeed(
        self, uow: UnitOfWork, result: dict[str, Any] | None = None, *, cost: int | None = None,
        message: str = "Done.",
    ) -> OperationUpdate:
        size = len(json.dumps(result, default=str)) if result is not None else 0
        if size > MAX_RESULT_BYTES:
            # The work is done and committed with this event: refusing the event would make the
            # handler fail and redo it. Keep the outcome, drop the oversized details.
            _log.warning("operation result too large; details dropped",
                         operation_id=str(self.operation_id), bytes=size)
            result = {"result_too_large": True, "bytes": size}
        return self._emit(uow, "succeeded", phase="DONE", percent=100, message=message,
                          result=result, cost=cost)

    def fail(
        self, uow: UnitOfWork, error: str, *, cost: int | None = None, message: str = "Failed."
    ) -> OperationUpdate:
        return self._emit(uow, "failed", phase=self.phase, percent=self.percent,
                          message=message, error=error[:2000], cost=cost)

    def cancel(self, uow: UnitOfWork, *, message: str = "Cancelled.") -> OperationUpdate:
        return self._emit(uow, "cancelled", phase=self.phase, percent=self.percent,
                          message=message)

    def _emit(
        self, uow: UnitOfWork, state: OperationState, *, phase: str, percent: int,
        message: str, result: dict[str, Any] | None = None, error: str | None = None,
        cost: int | None = None,
    ) -> OperationUpdate:
        self.sequence = max(self.sequence + 1, _now_micros())
        event = operation_event_for(uow.source)(
            operation_id=self.operation_id, account_id=self.account_id, site_id=self.site_id,
            operation_type=self.operation_type, state=state, phase=phase, percent=percent,
            message=message, result=result, error=error, cost=cost, sequence=self.sequence,
        )
        uow.emit(event, account_id=self.account_id)
        self.phase, self.percent = phase, percent
        return event
