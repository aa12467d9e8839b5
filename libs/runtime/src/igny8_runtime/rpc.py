"""Queries and requests over NATS request/reply, with timeouts.

``ask`` sends a contract message (``Query[R]`` / ``Request[R]``) and returns its declared reply
model ``R``, validated. The owner answers with a ``QueryResult`` on the wire. A caller gets
``Refused`` when the owner answered with an error (its status, message and field errors),
``OwnerUnavailable`` when nobody answers in time (or nobody listens; the gateway turns that into
503 + Retry-After) and ``InvalidAnswer`` when the answer does not match the contract.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, TypeVar

import nats.errors
from faststream.nats import NatsBroker
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError

from igny8_contracts import Answered, Envelope, QueryResult
from igny8_runtime.context import correlation_id_var, current_correlation_id
from igny8_runtime.logging import bind_context, get_logger
from igny8_runtime.telemetry import current_trace_headers

if TYPE_CHECKING:
    from igny8_runtime.service import QueryRoute, ServiceRuntime

log = get_logger(__name__)

Q = TypeVar("Q", bound=Answered[Any])
R = TypeVar("R", bound=BaseModel)

# PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back as a
# whole, so running the handler again is safe (its writes and outbox rows went with it).
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS_ON_CONFLICT = 3
# What an owner answers (503) when its database or NATS does not answer.
UNAVAILABLE = "The service's database is unavailable; retry shortly."


class OwnerUnavailable(Exception):  # noqa: N818
    def __init__(self, subject: str, reason: str) -> None:
        super().__init__(f"{subject}: {reason}")
        self.subject = subject
        self.reason = reason


class Refused(Exception):  # noqa: N818  (the owner refused)
    """The owner answered with an error: an HTTP-like status, a message, field errors."""

    def __init__(self, subject: str, status: int, message: str,
                 errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(f"{subject}: {status} {message}")
        self.subject = subject
        self.status = status
        self.message = message
        self.errors = errors


class InvalidAnswer(OwnerUnavailable):
    """The owner's answer does not match the contract's reply model."""


async def ask(
    broker: NatsBroker,
    query: Answered[R],
    *,
    account_id: uuid.UUID | None,
    source: str,
    timeout: float,
) -> R:
    """The owner's reply to ``query`` as the contract's reply model (see the module's doc)."""
    result = await _request(broker, query, account_id=account_id, source=source,
                            timeout=timeout)
    subject = query.subject()
    if not result.ok:
        if result.error is None:
            raise InvalidAnswer(subject, "a failure without an error")
        raise Refused(subject, result.error.status, result.error.message, result.error.errors)
    try:
        reply: R = type(query).reply.model_validate(result.data)  # type: ignore[assignment]
    except ValidationError as exc:
        raise InvalidAnswer(subject, f"the answer does not match the contract: {exc}") from exc
    return reply


async def _request(
    broker: NatsBroker,
    query: Answered[Any],
    *,
    account_id: uuid.UUID | None,
    source: str,
    timeout: float,
) -> QueryResult:
    envelope = Envelope.wrap(
        query, source=f"igny8/{source}", correlation_id=current_correlation_id(),
        account_id=account_id,
    )
    subject = query.subject()
    connection = broker.connection
    if not connection.is_connected:
        # Reconnecting (or closed): the request would only wait out its timeout.
        raise OwnerUnavailable(subject, "NATS is unreachable")
    try:
        # nats-py's own request (one shared reply inbox) with the trace context in the headers:
        # FastStream's broker.request wraps the same call in a span for the request and another
        # for the reply, which more than doubled what an ask costs the asker.
        response = await broker.connection.request(
            subject, envelope.model_dump_json().encode(), timeout=timeout,
            headers=current_trace_headers(),
        )
    except nats.errors.NoRespondersError as exc:
        raise OwnerUnavailable(subject, "no responders") from exc
    except (TimeoutError, nats.errors.TimeoutError) as exc:
        raise OwnerUnavailable(subject, f"no answer within {timeout}s") from exc
    return QueryResult.model_validate_json(response.data)


async def answer(runtime: ServiceRuntime, route: QueryRoute, body: bytes) -> dict[str, Any]:
    """Run ``route``'s handler for one request; always returns a QueryResult (as JSON-able
    dict)."""
    query_type = route.query_type
    try:
        envelope = Envelope.model_validate_json(body)
        query = envelope.open(query_type)
    except ValidationError as exc:
        result = QueryResult.failure(400, f"invalid query: {exc.errors(include_url=False)}")
        return result.model_dump(mode="json")
    correlation_id_var.set(envelope.correlation_id)
    bind_context(correlation_id=envelope.correlation_id, message_id=str(envelope.id))
    # Tenancy, once for every owner: a request about an account comes from that account.
    asked_for = getattr(query, "account_id", None)
    if asked_for is not None and asked_for != envelope.account_id:
        return QueryResult.failure(404, "Not found.").model_dump(mode="json")
    for attempt in range(1, ATTEMPTS_ON_CONFLICT + 1):
        try:
            result = await _run(runtime, route, query, envelope)
        except Exception as exc:
            if is_transient_conflict(exc) and attempt < ATTEMPTS_ON_CONFLICT:
                log.warning("query handler hit a transient conflict; running it again",
                            subject=query_type.subject(), attempt=attempt)
                continue
            if _infrastructure_fault(exc):
                log.warning("query handler hit an infrastructure fault",
                            subject=query_type.subject(), error=f"{type(exc).__name__}: {exc}")
                result = QueryResult.failure(503, UNAVAILABLE)
            else:
                log.exception("query handler failed", subject=query_type.subject())
                result = QueryResult.failure(500, "internal error answering the query")
        break
    return result.model_dump(mode="json")


async def _run(runtime: ServiceRuntime, route: QueryRoute, query: Any,
               envelope: Envelope) -> QueryResult:
    from igny8_runtime.handling import HandlerContext, as_query_result

    async with runtime.uow(read_only=route.read_only) as uow:
        answered = await route.handler(query, uow, HandlerContext(envelope, runtime))
    if not isinstance(answered, QueryResult | route.query_type.reply):
        raise TypeError(f"{route.query_type.__name__} answered a {type(answered).__name__}, "
                        f"not its reply model {route.query_type.reply.__name__}")
    return as_query_result(answered)


def _infrastructure_fault(exc: BaseException) -> bool:
    from igny8_runtime.faults import is_infrastructure_fault

    return is_infrastructure_fault(exc)


def is_transient_conflict(exc: BaseException) -> bool:
    """A deadlock or serialization failure PostgreSQL resolved by rolling this transaction back."""
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in TRANSIENT_SQLSTATES
