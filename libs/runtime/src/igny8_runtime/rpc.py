"""Queries over NATS request/reply, with timeouts.

The owner answers with a ``QueryResult``. A caller gets ``OwnerUnavailable`` when nobody
answers in time (or nobody listens): the gateway turns that into 503 + Retry-After.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import nats.errors
from faststream.nats import NatsBroker
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from igny8_contracts import Envelope, Query, QueryResult
from igny8_runtime.context import correlation_id_var, current_correlation_id
from igny8_runtime.logging import bind_context, get_logger

if TYPE_CHECKING:
    from igny8_runtime.service import ServiceRuntime

log = get_logger(__name__)

Q = TypeVar("Q", bound=Query)

# PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back as a
# whole, so running the handler again is safe (its writes and outbox rows went with it).
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS_ON_CONFLICT = 3
QueryHandler = Callable[[Q, Envelope, "ServiceRuntime"], Awaitable[QueryResult]]


class OwnerUnavailable(Exception):  # noqa: N818
    def __init__(self, subject: str, reason: str) -> None:
        super().__init__(f"{subject}: {reason}")
        self.subject = subject
        self.reason = reason


async def ask(
    broker: NatsBroker,
    query: Query,
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
    try:
        response = await broker.request(
            envelope.model_dump_json().encode(), subject, timeout=timeout
        )
    except nats.errors.NoRespondersError as exc:
        raise OwnerUnavailable(subject, "no responders") from exc
    except (TimeoutError, nats.errors.TimeoutError) as exc:
        raise OwnerUnavailable(subject, f"no answer within {timeout}s") from exc
    return QueryResult.model_validate_json(response.body)


async def answer(
    runtime: ServiceRuntime, query_type: type[Q], handler: QueryHandler[Q], body: bytes
) -> dict[str, Any]:
    """Run ``handler`` for one request; always returns a QueryResult (as JSON-able dict)."""
    try:
        envelope = Envelope.model_validate_json(body)
        query: Q = envelope.open(query_type)
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
            result = await handler(query, envelope, runtime)
        except Exception as exc:
            if is_transient_conflict(exc) and attempt < ATTEMPTS_ON_CONFLICT:
                log.warning("query handler hit a transient conflict; running it again",
                            subject=query_type.subject(), attempt=attempt)
                continue
            log.exception("query handler failed", subject=query_type.subject())
            result = QueryResult.failure(500, "internal error answering the query")
        break
    return result.model_dump(mode="json")


def is_transient_conflict(exc: BaseException) -> bool:
    """A deadlock or serialization failure PostgreSQL resolved by rolling this transaction back."""
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in TRANSIENT_SQLSTATES
