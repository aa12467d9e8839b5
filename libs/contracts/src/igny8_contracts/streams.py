"""JetStream streams, declared from here at every service's start-up (idempotently)."""

from __future__ import annotations

from dataclasses import dataclass

DAY = 24 * 3600.0
SERVICES = ("gateway", "planner", "writer", "billing", "publisher", "automation")


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: tuple[str, ...]
    max_age_seconds: float
    duplicate_window_seconds: float = 120.0
    description: str = ""


def events_stream(service: str) -> StreamSpec:
    return StreamSpec(
        name=f"{service.upper()}_EVENTS",
        subjects=(f"evt.{service}.>",),
        max_age_seconds=7 * DAY,
        description=f"Events emitted by {service}",
    )


COMMANDS = StreamSpec(
    name="COMMANDS", subjects=("cmd.>",), max_age_seconds=7 * DAY,
    description="Commands: durable before the gateway answers 202",
)
DEADLETTER = StreamSpec(
    name="DEADLETTER", subjects=("dlq.>",), max_age_seconds=30 * DAY,
    duplicate_window_seconds=3600.0,
    description="Messages whose handler kept failing; list and replay with igny8_runtime.deadletter",
)

ALL_STREAMS: tuple[StreamSpec, ...] = (
    *(events_stream(s) for s in SERVICES),
    COMMANDS,
    DEADLETTER,
)


def stream_for_subject(subject: str) -> StreamSpec:
    """The stream a (non-query) subject is stored in."""
    kind, owner = subject.split(".")[:2]
    if kind == "evt":
        return events_stream(owner)
    if kind == "cmd":
        return COMMANDS
    if kind == "dlq":
        return DEADLETTER
    raise ValueError(f"subject {subject!r} is not stored in a stream (queries are core NATS)")


def dead_letter_subject(consumer: str) -> str:
    return f"dlq.{consumer}"
