"""Progress of long-running operations (import, cluster, generate, publish...).

A service running an operation emits its own ``<Service>OperationUpdated`` event (every one
shares the ``OperationUpdate`` payload); the gateway keeps the latest state per operation and
serves it (poll and server-sent events). ``sequence`` grows with every update of an operation,
so a reader ignores an update older than the one it already has.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Final, Literal

from pydantic import Field, field_validator

from igny8_contracts.messages import Event

OperationState = Literal["accepted", "running", "succeeded", "failed", "cancelled"]
FINAL_STATES: Final = frozenset({"succeeded", "failed", "cancelled"})

# The AI engine's phases (from the original system); a service may use another short word.
PHASES: Final = ("INIT", "PREP", "AI_CALL", "PARSE", "SAVE", "DONE")

MAX_RESULT_BYTES: Final = 16_000


class OperationUpdate(Event):
    """The state of one operation after a step (base of the per-service events)."""

    operation_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID | None = None
    operation_type: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$",
                                max_length=100, description="What runs: planner.keywords.import")
    state: OperationState
    phase: str = Field(min_length=1, max_length=40)
    percent: int = Field(ge=0, le=100)
    message: str = Field(default="", max_length=1000)
    result: dict[str, Any] | None = Field(
        default=None, description=f"Small JSON summary (at most {MAX_RESULT_BYTES} bytes)")
    error: str | None = Field(default=None, max_length=2000)
    cost: int | None = Field(default=None, ge=0, description="Credits charged so far")
    sequence: int = Field(ge=0, description="Grows with every update of this operation")

    @field_validator("result")
    @classmethod
    def _result_is_small(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None and len(json.dumps(value, default=str)) > MAX_RESULT_BYTES:
            raise ValueError(f"result is larger than {MAX_RESULT_BYTES} bytes; store it and "
                             "put a reference here")
        return value

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class PlannerOperationUpdated(OperationUpdate):
    subject_base = "evt.planner.operation.updated"


class WriterOperationUpdated(OperationUpdate):
    subject_base = "evt.writer.operation.updated"


class PublisherOperationUpdated(OperationUpdate):
    subject_base = "evt.publisher.operation.updated"


class BillingOperationUpdated(OperationUpdate):
    subject_base = "evt.billing.operation.updated"


class AutomationOperationUpdated(OperationUpdate):
    """An automation run (its operation id is the run id): phase = the current stage."""

    subject_base = "evt.automation.operation.updated"


OPERATION_EVENTS: Final[tuple[type[OperationUpdate], ...]] = (
    PlannerOperationUpdated,
    WriterOperationUpdated,
    PublisherOperationUpdated,
    BillingOperationUpdated,
    AutomationOperationUpdated,
)


def operation_event_for(service: str) -> type[OperationUpdate]:
    """The OperationUpdated event ``service`` emits (raises KeyError for a service without)."""
    for event in OPERATION_EVENTS:
        if event.owner() == service:
            return event
    raise KeyError(f"no OperationUpdated event is declared for service {service!r}")
