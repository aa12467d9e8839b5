"""GET /api/v1/events/stream: the caller's account's events as server-sent events."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.operations_fixtures import EventStream, FakeService, open_stream

pytestmark = pytest.mark.e2e

UPDATED = "evt.planner.operation.updated.v1"


@pytest.fixture(scope="module")
def planner(nats_url: str, gateway: Any) -> FakeService:
    return FakeService(nats_url, "planner")


@pytest.fixture
def sse(gateway: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gateway.base_url, timeout=httpx.Timeout(10.0)) as client:
        yield client


def test_progress_arrives_on_the_stream(gw, sse, planner) -> None:
    owner, operation_id = gw.register("sse"), str(uuid.uuid4())
    with open_stream(sse, token=owner.access) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = EventStream(response)
        stream.wait_connected()
        sent = planner.update(owner.account_id, operation_id, sequence=1, phase="AI_CALL",
                              percent=40)
        received = stream.next_matching(UPDATED)
    assert received.id == str(sent.id)
    envelope = received.json()
    assert envelope["account_id"] == owner.account_id
    assert envelope["data"]["operation_id"] == operation_id
    assert (envelope["data"]["phase"], envelope["data"]["percent"]) == ("AI_CALL", 40)


def test_another_accounts_events_are_not_streamed(gw, sse, planner) -> None:
    first, second = gw.register("first"), gw.register("second")
    with open_stream(sse, token=second.access) as response:
        stream = EventStream(response)
        stream.wait_connected()
        planner.update(first.account_id, uuid.uuid4(), sequence=1, percent=1)
        own = planner.update(second.account_id, uuid.uuid4(), sequence=1, percent=2)
        # Published in this order on one subject: had the first arrived, it would come first.
        assert stream.next_matching(UPDATED).id == str(own.id)


def test_domain_events_of_the_account_are_streamed(gw, sse) -> None:
    owner = gw.register("domain")
    with open_stream(sse, token=owner.access) as response:
        stream = EventStream(response)
        stream.wait_connected()
        site = gw.create_site(owner, "Streamed", "streamed.example.com")
        received = stream.next_matching("evt.gateway.site.created.v1").json()
    assert received["data"]["site_id"] == site["id"]
    assert received["account_id"] == owner.account_id


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_get_only_granted_sites_events(
    gw, sse, module_team, planner, role: str
) -> None:
    team = module_team
    with open_stream(sse, token=team.member(role).access) as response:
        stream = EventStream(response)
        stream.wait_connected()
        planner.update(team.owner.account_id, uuid.uuid4(), sequence=1,
                       site_id=team.other_site["id"])
        granted = planner.update(team.owner.account_id, uuid.uuid4(), sequence=1,
                                 site_id=team.granted_site["id"])
        assert stream.next_matching(UPDATED).id == str(granted.id)


def test_access_token_query_parameter_is_accepted(gw, sse, planner) -> None:
    owner = gw.register("query")
    with open_stream(sse, query_token=owner.access) as response:
        assert response.status_code == 200
        stream = EventStream(response)
        stream.wait_connected()
        sent = planner.update(owner.account_id, uuid.uuid4(), sequence=1)
        assert stream.next_matching(UPDATED).id == str(sent.id)


@pytest.mark.parametrize("how", ["query", "header"])
def test_bad_or_missing_token_is_refused(gw, sse, how: str) -> None:
    owner = gw.register("badtoken")
    forged = owner.access[:-4] + ("AAAA" if not owner.access.endswith("AAAA") else "BBBB")
    kwargs = {"query_token": forged} if how == "query" else {"token": forged}
    for attempt in (kwargs, {}):
        with open_stream(sse, **attempt) as response:
            response.read()
            gw.fail(response, 401)


def test_reconnecting_with_last_event_id_replays_what_was_missed(gw, sse, planner) -> None:
    owner, operation_id = gw.register("replay"), uuid.uuid4()
    with open_stream(sse, token=owner.access) as response:
        stream = EventStream(response)
        stream.wait_connected()
        seen = planner.update(owner.account_id, operation_id, sequence=1, percent=10)
        assert stream.next_matching(UPDATED).id == str(seen.id)
    missed = planner.update(owner.account_id, operation_id, sequence=2, percent=20)
    # The read model may lag the live stream: until it has the operation, the GET is a 404.
    gw.wait_for(lambda: (gw.call("GET", f"/api/v1/operations/{operation_id}/", owner)
                         .json().get("data") or {}).get("percent") == 20, timeout=15)
    with open_stream(sse, token=owner.access, last_event_id=str(seen.id)) as response:
        stream = EventStream(response)
        stream.wait_connected()
        assert stream.next_matching(UPDATED).id == str(missed.id)
