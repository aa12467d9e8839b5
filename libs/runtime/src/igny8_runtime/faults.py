"""Faults of the infrastructure, told apart from faults of a message.

A handler that fails because PostgreSQL or NATS is unreachable, a connection was lost, or
PostgreSQL rolled a transaction back to resolve a conflict (serialization failure, deadlock)
would succeed if run again once the infrastructure is back: such a failure says nothing about
the message, so it must not spend the message's attempts (``consumers.deliver`` retries it in
place until the infrastructure answers), and the HTTP API answers it 503 + Retry-After, not 500.

``is_infrastructure_fault`` looks at an exception and its causes (``raise ... from``, and the
exception being handled when it was raised), since services often wrap what they caught.
"""

from __future__ import annotations

import nats.errors
import nats.js.errors
import psycopg
import sqlalchemy.exc

from igny8_runtime.rpc import InvalidAnswer, OwnerUnavailable, Refused

# SQLSTATE classes and codes meaning "the database, not the statement": 08 connection
# exception, 53 insufficient resources (too many connections, disk full), 57P0x the server is
# shutting down / crashed / starting, 58 system (I/O) error; 40001 serialization failure and
# 40P01 deadlock: PostgreSQL rolled the whole transaction back, running it again is safe.
_SQLSTATE_CLASSES = ("08", "53", "58")
_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "57P04", "40001", "40P01"})

_NATS_FAULTS: tuple[type[BaseException], ...] = (
    nats.errors.ConnectionClosedError,
    nats.errors.NoServersError,
    nats.errors.StaleConnectionError,
    nats.errors.OutboundBufferLimitError,
    nats.errors.ConnectionDrainingError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.NoRespondersError,
    nats.errors.TimeoutError,
    nats.js.errors.ServiceUnavailableError,
    nats.js.errors.NoStreamResponseError,
)


def _is_fault(exc: BaseException) -> bool:
    if isinstance(exc, InvalidAnswer):
        return False  # the owner answered, wrongly: a bug, not an outage
    if isinstance(exc, OwnerUnavailable):
        return True  # nobody answered in time, or JetStream did not acknowledge
    if isinstance(exc, Refused):
        return exc.status == 503
    if isinstance(exc, _NATS_FAULTS):
        return True
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        sqlstate = getattr(exc.orig, "sqlstate", None)
        if sqlstate is None:
            # No server answer at all: the connection could not be made or broke.
            return isinstance(exc, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError)
        return sqlstate in _SQLSTATES or sqlstate.startswith(_SQLSTATE_CLASSES)
    if isinstance(exc, sqlalchemy.exc.DisconnectionError | sqlalchemy.exc.TimeoutError):
        return True  # a dead pooled connection; no connection free in the pool in time
    if isinstance(exc, psycopg.Error):
        sqlstate = exc.sqlstate
        if sqlstate is None:
            return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)
        return sqlstate in _SQLSTATES or sqlstate.startswith(_SQLSTATE_CLASSES)
    return False


def is_infrastructure_fault(exc: BaseException) -> bool:
    """Whether ``exc`` (or an exception that caused it) is a fault of PostgreSQL or NATS."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _is_fault(current):
            return True
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__)
    return False


def describe(exc: BaseException) -> str:
    """A short reason for logs and answers (the first line of the exception)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]
