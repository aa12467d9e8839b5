"""Live events for server-sent-event clients: one core NATS subscription to ``evt.>`` per
gateway process, fanned out to each connected client through a bounded queue.

Live only (no durable consumer): a client that reconnects gets what it missed from a short
in-memory replay buffer (``Last-Event-ID``) if this process still has it; otherwise it re-reads
state over HTTP. A client too slow to keep up is disconnected with a reason rather than allowed
to grow the gateway's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg

from igny8_runtime.logging import get_logger

log = get_logger(__name__)

EVENTS_SUBJECT = "evt.>"


@dataclass(frozen=True)
class LiveEvent:
    id: str
    subject: str
    account_id: uuid.UUID
    site_id: uuid.UUID | None
    envelope: str  # the envelope as JSON, exactly as published


def parse_event(subject: str, data: bytes) -> LiveEvent | None:
    """The event's routing facts, or None for anything not a tenant's event envelope."""
    try:
        envelope = json.loads(data)
        account_id = uuid.UUID(str(envelope["account_id"]))
        payload = envelope.get("data") or {}
        site = payload.get("site_id") if isinstance(payload, dict) else None
        site_id = uuid.UUID(str(site)) if site else None
        return LiveEvent(str(envelope["id"]), subject, account_id, site_id,
                         json.dumps(envelope, separators=(",", ":")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@dataclass(eq=False)
class Listener:
    """One connected client. ``sites`` None: every site of the account."""

    account_id: uuid.UUID
    sites: frozenset[uuid.UUID] | None
    queue: asyncio.Queue[LiveEvent | None]
    closed_reason: str | None = field(default=None)

    def wants(self, event: LiveEvent) -> bool:
        if event.account_id != self.account_id:
            return False
        return self.sites is None or (event.site_id is not None and event.site_id in self.sites)

    def offer(self, event: LiveEvent) -> bool:
        """Queue the event; False when the client is too far behind (it is then closed)."""
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.close("too slow: events were arriving faster than they were read")
            return False
        return True

    def close(self, reason: str) -> None:
        if self.closed_reason is not None:
            return
        self.closed_reason = reason
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


class EventHub:
    def __init__(self, queue_size: int = 256, replay_size: int = 1000) -> None:
        self.queue_size = queue_size
        self._listeners: dict[uuid.UUID, set[Listener]] = defaultdict(set)
        self._recent: deque[LiveEvent] = deque(maxlen=replay_size)

    async def run(self, nc: NatsClient) -> None:
        """Subscribe until cancelled (the service's shutdown), then close every client."""
        subscription = await nc.subscribe(EVENTS_SUBJECT, cb=self._on_message)
        try:
            await asyncio.Event().wait()
        finally:
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()
            self.close_all()

    def close_all(self, reason: str = "the server is shutting down") -> None:
        """End every client's stream (``stream.closed`` with ``reason``)."""
        for listeners in list(self._listeners.values()):
            for listener in list(listeners):
                listener.close(reason)

    async def _on_message(self, msg: Msg) -> None:
        event = parse_event(msg.subject, msg.data)
        if event is not None:
            self.publish(event)

    def publish(self, event: LiveEvent) -> None:
        self._recent.append(event)
        for listener in list(self._listeners.get(event.account_id, ())):
            if listener.wants(event) and not listener.offer(event):
                self._remove(listener)
                log.warning("event stream client disconnected: too slow",
                            account_id=str(event.account_id))

    @contextlib.contextmanager
    def listen(
        self, account_id: uuid.UUID, sites: frozenset[uuid.UUID] | None,
        last_event_id: str | None = None,
    ) -> Iterator[Listener]:
        """A client's queue for as long as the block runs; starts with what it missed after
        ``last_event_id`` when that event is still in the replay buffer."""
        listener = Listener(account_id, sites, asyncio.Queue(self.queue_size))
        for event in self._missed_since(last_event_id):
            if listener.wants(event) and not listener.offer(event):
                break
        self._listeners[account_id].add(listener)
        try:
            yield listener
        finally:
            self._remove(listener)

    def _missed_since(self, last_event_id: str | None) -> list[LiveEvent]:
        if not last_event_id:
            return []
        recent = list(self._recent)
        for position, event in enumerate(recent):
            if event.id == last_event_id:
                return recent[position + 1:]
        return []

    def _remove(self, listener: Listener) -> None:
        listeners = self._listeners.get(listener.account_id)
        if listeners is not None:
            listeners.discard(listener)
            if not listeners:
                del self._listeners[listener.account_id]

    def listener_count(self) -> int:
        return sum(len(listeners) for listeners in self._listeners.values())
