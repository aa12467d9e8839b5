"""Helpers for the operations and event-stream tests: a fake service that publishes
OperationUpdated events to JetStream (as the planner or writer would, through their outbox
relay), and a reader for server-sent events."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import nats

from igny8_contracts import Envelope
from igny8_contracts.messages import Message
from igny8_contracts.operations import operation_event_for


class FakeService:
    """Publishes events as service ``name`` would (envelope, ``Nats-Msg-Id`` = envelope id)."""

    def __init__(self, nats_url: str, name: str = "planner") -> None:
        self.nats_url = nats_url
        self.name = name

    def publish(self, message: Message, account_id: str | uuid.UUID) -> Envelope:
        envelope = Envelope.wrap(message, source=f"igny8/{self.name}", correlation_id="e2e",
                                 account_id=uuid.UUID(str(account_id)))
        asyncio.run(self._publish(envelope))
        return envelope

    async def _publish(self, envelope: Envelope) -> None:
        nc = await nats.connect(self.nats_url)
        try:
            await nc.jetstream().publish(envelope.subject, envelope.model_dump_json().encode(),
                                         headers={"Nats-Msg-Id": str(envelope.id)})
        finally:
            await nc.drain()

    def update(
        self, account_id: str | uuid.UUID, operation_id: str | uuid.UUID, *, sequence: int,
        state: str = "running", phase: str = "INIT", percent: int = 0,
        site_id: str | uuid.UUID | None = None, operation_type: str | None = None,
        **fields: Any,
    ) -> Envelope:
        event = operation_event_for(self.name)(
            operation_id=uuid.UUID(str(operation_id)), account_id=uuid.UUID(str(account_id)),
            site_id=uuid.UUID(str(site_id)) if site_id else None,
            operation_type=operation_type or f"{self.name}.keywords.import", state=state,
            phase=phase, percent=percent, sequence=sequence, **fields)
        return self.publish(event, account_id)


@dataclass
class ServerSentEvent:
    event: str
    data: str
    id: str | None

    def json(self) -> Any:
        return json.loads(self.data)


class EventStream:
    """Reads one ``text/event-stream`` response, event by event (comments are skipped)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines: Iterator[str] = response.iter_lines()

    def wait_connected(self) -> None:
        for line in self._lines:
            if line == ": connected":
                return
        raise AssertionError("the stream ended before it was connected")

    def next_event(self) -> ServerSentEvent:
        """The next event; the client's read timeout bounds the wait."""
        fields: dict[str, list[str]] = {}
        for line in self._lines:
            if line == "":
                if "event" in fields or "data" in fields:
                    return ServerSentEvent(event=fields.get("event", ["message"])[0],
                                           data="\n".join(fields.get("data", [])),
                                           id=fields.get("id", [None])[0])
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            fields.setdefault(name, []).append(value.removeprefix(" "))
        raise AssertionError("the stream ended")

    def next_matching(self, event: str, limit: int = 50) -> ServerSentEvent:
        """The next event named ``event`` (others, e.g. from parallel set-up, are skipped)."""
        for _ in range(limit):
            found = self.next_event()
            if found.event == event:
                return found
        raise AssertionError(f"no {event} event among the next {limit}")


def open_stream(
    client: httpx.Client, *, token: str | None = None, query_token: str | None = None,
    last_event_id: str | None = None,
) -> Any:
    """``with open_stream(client, token=...) as response: EventStream(response)...``"""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if last_event_id:
        headers["Last-Event-ID"] = last_event_id
    params = {"access_token": query_token} if query_token else None
    return client.stream("GET", "/api/v1/events/stream", headers=headers, params=params)
