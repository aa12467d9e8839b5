"""Idempotent JetStream consumers with bounded retries, backoff and a dead-letter stream.

For every delivery: the envelope is validated; the handler runs inside a unit of work that
first records the message id in the inbox (so a redelivered message is skipped, exactly-once
effect); commit; then ack. A failure is nacked with exponential backoff until
``consumer_max_attempts``, then published to ``dlq.<consumer>`` and acked. A handler may raise
``Reject`` for a message that can never succeed: it is dead-lettered at once.

A failure of the infrastructure (``igny8_runtime.faults``: PostgreSQL or NATS unreachable, a
connection lost, a serialization failure, or any failure while PostgreSQL or NATS does not
answer) spends none of those attempts: the message is kept in progress and handled again, with
backoff, until the infrastructure is back. Only what fails with the infrastructure healthy is
dead-lettered.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from nats.aio.msg import Msg
from pydantic import ValidationError

from igny8_contracts import Envelope, Message
from igny8_contracts.streams import dead_letter_subject
from igny8_runtime.context import causation_id_var, correlation_id_var
from igny8_runtime.failpoints import failpoint
from igny8_runtime.faults import describe, is_infrastructure_fault
from igny8_runtime.handling import HandlerContext
from igny8_runtime.logging import bind_context, get_logger
from igny8_runtime.operations import dead_letter_failure

if TYPE_CHECKING:
    from igny8_runtime.service import ServiceRuntime
    from igny8_runtime.uow import UnitOfWork

log = get_logger(__name__)

M = TypeVar("M", bound=Message)
U = TypeVar("U", bound="UnitOfWork")


class Reject(Exception):  # noqa: N818  (a verb: the handler rejects the message)
    """Raised by a handler for a message that can never be processed: dead-letter it now."""


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    return float(min(cap, base * (2 ** max(0, attempt - 1))))


class Subscription(Generic[M, U]):
    def __init__(
        self, name: str, message_type: type[M], handler: Any, service: str
    ) -> None:
        self.message_type = message_type
        self.handler = handler
        self.durable = f"{service}--{name}"

    @property
    def subject(self) -> str:
        return self.message_type.subject()


async def deliver(runtime: ServiceRuntime, sub: Subscription[Any, Any], raw: Msg) -> None:
    """Process one JetStream delivery of ``sub``'s subject. Never raises (but is cancelled
    with the service: the message, unacknowledged, is then delivered again)."""
    settings = runtime.settings
    attempt = raw.metadata.num_delivered or 1
    try:
        envelope = Envelope.model_validate_json(raw.data)
        message: Message = envelope.open(sub.message_type)
    except ValidationError as exc:
        await _set_aside(runtime, sub, raw, f"invalid message: {exc.errors(include_url=False)}")
        return

    correlation_id_var.set(envelope.correlation_id)
    causation_id_var.set(str(envelope.id))
    bind_context(correlation_id=envelope.correlation_id, message_id=str(envelope.id),
                 consumer=sub.durable)
    heartbeat = asyncio.create_task(_keep_in_progress(raw, settings.consumer_ack_wait_seconds))
    try:
        if not from_its_account(message, envelope):
            await _reject(runtime, sub, raw, message, envelope,
                          "the envelope's account differs from the message's account")
            return
        outage = 0
        while True:
            try:
                await _handle_once(runtime, sub, message, envelope)
            except Reject as exc:
                await _reject(runtime, sub, raw, message, envelope, str(exc))
                return
            except Exception as exc:
                if await infrastructure_failed(runtime, exc):
                    # Not the message's fault: keep it (in progress) and run it again once the
                    # infrastructure answers, without spending its attempts.
                    outage += 1
                    delay = backoff_seconds(outage, settings.consumer_backoff_seconds,
                                            settings.consumer_infrastructure_retry_max_seconds)
                    log.warning("infrastructure fault; handling the message again once it is "
                                "back", retry_in=delay, error=describe(exc), retries=outage)
                    await asyncio.sleep(delay)
                    continue
                await _failed(runtime, sub, raw, message, envelope, attempt, exc)
                return
            break
        if outage:
            log.info("handled after an infrastructure fault", retries=outage)
        failpoint("consumer.after_commit")
        heartbeat.cancel()
        try:
            await raw.ack()
        except Exception as exc:
            # Committed: a redelivery is skipped by the inbox.
            log.warning("could not acknowledge a handled message; its redelivery will be "
                        "skipped", error=describe(exc))
    finally:
        heartbeat.cancel()


async def _handle_once(runtime: ServiceRuntime, sub: Subscription[Any, Any], message: Message,
                       envelope: Envelope) -> None:
    async with runtime.uow() as uow:
        if await uow.claim_message(sub.durable, envelope):
            await sub.handler(message, uow, HandlerContext(envelope, runtime))
        else:
            log.info("duplicate delivery skipped", subject=envelope.subject,
                     message_id=str(envelope.id))
        await uow.commit()


async def infrastructure_failed(runtime: ServiceRuntime, exc: BaseException) -> bool:
    """Whether a handler's failure is the infrastructure's: a fault of PostgreSQL or NATS, or
    any failure while one of them does not answer (a message only spends its attempts on
    failures with the infrastructure healthy)."""
    if is_infrastructure_fault(exc):
        return True
    checks = await runtime.ready()
    return not all(checks.values())


async def _failed(runtime: ServiceRuntime, sub: Subscription[Any, Any], raw: Msg,
                  message: Message, envelope: Envelope, attempt: int, exc: Exception) -> None:
    settings = runtime.settings
    if attempt >= settings.consumer_max_attempts:
        log.exception("handler failed for the last time; dead-lettering", attempt=attempt)
        reason = f"failed {attempt} times: {exc!r}"
        if await _set_aside(runtime, sub, raw, reason):
            await fail_operation(runtime, message, envelope,
                                 f"failed {attempt} times: {type(exc).__name__}: {exc}")
        return
    delay = backoff_seconds(
        attempt, settings.consumer_backoff_seconds, settings.consumer_backoff_max_seconds
    )
    log.warning("handler failed; will retry", attempt=attempt, retry_in=delay, error=repr(exc))
    try:
        await raw.nak(delay=delay)
    except Exception as nak_error:
        log.warning("could not nak a failed message; it is delivered again after its ack "
                    "wait", error=describe(nak_error))


async def _reject(runtime: ServiceRuntime, sub: Subscription[Any, Any], raw: Msg,
                  message: Message, envelope: Envelope, reason: str) -> None:
    if await _set_aside(runtime, sub, raw, f"rejected: {reason}"):
        await fail_operation(runtime, message, envelope, f"rejected: {reason}")


async def _set_aside(runtime: ServiceRuntime, sub: Subscription[Any, Any], raw: Msg,
                     reason: str) -> bool:
    """Dead-letter and acknowledge; False (the message stays unacknowledged and comes back)
    when NATS could not store the dead letter."""
    try:
        await dead_letter(runtime, sub, raw, reason)
    except Exception as exc:
        log.warning("could not dead-letter a message; it is delivered again after its ack "
                    "wait", error=describe(exc), reason=reason[:500])
        return False
    try:
        await raw.ack()
    except Exception as exc:
        # Dead-lettered already; a redelivery is dead-lettered again under the same
        # Nats-Msg-Id, which JetStream's duplicate window drops.
        log.warning("could not acknowledge a dead-lettered message", error=describe(exc))
    return True


def from_its_account(message: Message, envelope: Envelope) -> bool:
    """Tenancy, once for every handler: a message about an account comes from that account."""
    about = getattr(message, "account_id", None)
    return about is None or about == envelope.account_id


async def _keep_in_progress(raw: Msg, ack_wait: float) -> None:
    """Tell JetStream a long handler (or one waiting for the infrastructure) is still working,
    so it is not redelivered meanwhile. While NATS is unreachable there is nobody to tell."""
    while True:
        await asyncio.sleep(max(0.5, ack_wait / 3))
        try:
            await raw.in_progress()
        except Exception as exc:
            log.debug("could not mark a message in progress", error=describe(exc))


async def dead_letter(
    runtime: ServiceRuntime, sub: Subscription[Any, Any], raw: Msg, reason: str
) -> None:
    """Store the message in the dead-letter stream (durably) before it is acked."""
    original_id = (raw.headers or {}).get("Nats-Msg-Id") or str(uuid.uuid4())
    # Publish expectations of the original (a command sent with ``stream=COMMANDS`` carries
    # Nats-Expected-Stream) would make JetStream refuse the dead letter itself.
    kept = {k: v for k, v in (raw.headers or {}).items() if not k.startswith("Nats-Expected-")}
    headers = {
        **kept,
        "Nats-Msg-Id": f"dlq:{sub.durable}:{original_id}",
        "Igny8-Dlq-Subject": raw.subject,
        "Igny8-Dlq-Consumer": sub.durable,
        "Igny8-Dlq-Reason": reason[:2000],
        "Igny8-Dlq-Attempts": str(raw.metadata.num_delivered or 1),
        "Igny8-Dlq-Failed-At": datetime.now(UTC).isoformat(),
        "Igny8-Dlq-Original-Msg-Id": original_id,
    }
    await runtime.js.publish(dead_letter_subject(sub.durable), raw.data, headers=headers)
    log.error("message dead-lettered", subject=raw.subject, reason=reason[:500])


async def fail_operation(runtime: ServiceRuntime, message: Message, envelope: Envelope,
                         reason: str) -> None:
    """A dead-lettered command that ran an operation: the operation fails with ``reason``
    (through the outbox), so nobody waits for it forever. Replaying the dead letter later may
    still complete it (the gateway takes the newer final state)."""
    update = dead_letter_failure(message, envelope, reason[:1000])
    if update is None:
        return
    try:
        async with runtime.uow() as uow:
            uow.emit(update, account_id=update.account_id)
            await uow.commit()
    except Exception:
        log.exception("could not mark the dead-lettered command's operation failed",
                      operation_id=str(update.operation_id))


def decode_envelope_leniently(data: bytes) -> dict[str, Any]:
    """Body decoder for FastStream that never raises (we validate and dead-letter ourselves)."""
    try:
        decoded = json.loads(data)
    except ValueError:
        return {}
    return decoded if isinstance(decoded, dict) else {}
