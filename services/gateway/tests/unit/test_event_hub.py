"""Fan-out of live events to server-sent-event clients (no NATS: events are handed in)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from igny8_gateway.adapters.event_hub import EventHub, LiveEvent, parse_event
from igny8_gateway.domain.model import Actor, Role
from igny8_gateway.entrypoints.events_routes import _events


def event(account_id: uuid.UUID, site_id: uuid.UUID | None = None) -> LiveEvent:
    return LiveEvent(str(uuid.uuid4()), "evt.planner.operation.updated.v1", account_id, site_id,
                     "{}")


def drain(queue: object) -> list[LiveEvent | None]:
    items = []
    while not queue.empty():  # type: ignore[attr-defined]
        items.append(queue.get_nowait())  # type: ignore[attr-defined]
    return items


async def test_each_client_gets_its_accounts_events_and_only_its_sites() -> None:
    hub = EventHub()
    account, other_account = uuid.uuid4(), uuid.uuid4()
    granted, not_granted = uuid.uuid4(), uuid.uuid4()
    with hub.listen(account, None) as everything, hub.listen(account, frozenset({granted})) as few:
        mine_on_granted, mine_elsewhere, mine_no_site, foreign = (
            event(account, granted), event(account, not_granted), event(account),
            event(other_account, granted))
        for e in (mine_on_granted, mine_elsewhere, mine_no_site, foreign):
            hub.publish(e)
        assert drain(everything.queue) == [mine_on_granted, mine_elsewhere, mine_no_site]
        assert drain(few.queue) == [mine_on_granted]
        assert hub.listener_count() == 2
    assert hub.listener_count() == 0


async def test_a_slow_client_is_closed_with_a_reason_and_dropped() -> None:
    hub = EventHub(queue_size=2)
    account = uuid.uuid4()
    with hub.listen(account, None) as slow:
        for _ in range(3):
            hub.publish(event(account))
        assert slow.closed_reason is not None
        assert "too slow" in slow.closed_reason
        assert drain(slow.queue) == [None]
        assert hub.listener_count() == 0


async def test_reconnecting_client_gets_what_it_missed_after_its_last_event() -> None:
    hub = EventHub()
    account = uuid.uuid4()
    first, second, third = event(account), event(account), event(uuid.uuid4())
    for e in (first, second, third):
        hub.publish(e)
    with hub.listen(account, None, last_event_id=first.id) as listener:
        assert drain(listener.queue) == [second]
    with hub.listen(account, None, last_event_id="unknown") as listener:
        assert drain(listener.queue) == []


def test_parse_event_reads_routing_facts_and_rejects_non_tenant_messages() -> None:
    account, site = uuid.uuid4(), uuid.uuid4()
    raw = json.dumps({"id": "e1", "account_id": str(account), "data": {"site_id": str(site)}})
    parsed = parse_event("evt.x.y.z.v1", raw.encode())
    assert parsed is not None
    assert (parsed.id, parsed.account_id, parsed.site_id) == ("e1", account, site)
    assert json.loads(parsed.envelope)["data"]["site_id"] == str(site)
    assert parse_event("evt.x", json.dumps({"id": "e2", "account_id": None}).encode()) is None
    assert parse_event("evt.x", b"not json") is None


async def test_the_stream_ends_with_a_reason_when_the_token_expires() -> None:
    hub, account = EventHub(), uuid.uuid4()
    actor = Actor(uuid.uuid4(), account, Role.OWNER)
    expired = datetime.now(UTC) - timedelta(seconds=1)
    chunks = [chunk async for chunk in _events(hub, actor, None, expired, None)]
    assert chunks[0].endswith(": connected\n\n")
    assert chunks[-1].startswith("event: stream.closed\n")
    assert "token expired" in chunks[-1]
    assert hub.listener_count() == 0
