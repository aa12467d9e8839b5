"""Ids that follow a request or a message through the system."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id_var: ContextVar[str | None] = ContextVar("causation_id", default=None)


def current_correlation_id() -> str:
    """The current correlation id, or a new one when nothing started a chain yet."""
    return correlation_id_var.get() or request_id_var.get() or str(uuid.uuid4())
