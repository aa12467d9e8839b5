"""Operations: the gateway follows a running service's OperationUpdated events and serves the
latest state at /api/v1/operations/{id}/ and the original system's task_progress URL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from igny8_contracts import Envelope
from tests.e2e.operations_fixtures import FakeService

pytestmark = pytest.mark.e2e

URLS = ("/api/v1/operations/{}/", "/api/v1/system/settings/task_progress/{}/")


@pytest.fixture(scope="module")
def planner(nats_url: str, gateway: Any) -> FakeService:
    return FakeService(nats_url, "planner")


def _read(gw: Any, member: Any, operation_id: str, url: str = URLS[0]) -> Any:
    response = gw.call("GET", url.format(operation_id), member)
    return gw.ok(response) if response.status_code == 200 else None


def _wait_until(gw: Any, member: Any, operation_id: str, **expected: Any) -> Any:
    def matches() -> Any:
        data = _read(gw, member, operation_id)
        return data if data and all(data[k] == v for k, v in expected.items()) else None

    return gw.wait_for(matches, timeout=15)


def _wait_processed(gw: Any, db: Any, envelope: Envelope) -> None:
    """The gateway's consumer recorded the message (so an ignored update was seen, too)."""
    gw.wait_for(lambda: db.scalar(
        "SELECT count(*) FROM gateway.inbox WHERE message_id = :id AND consumer = :c",
        id=envelope.id, c="gateway--operations-planner"), timeout=15)


def test_progress_is_followed_to_the_final_result(gw, module_team, planner) -> None:
    team, operation_id = module_team, str(uuid.uuid4())
    site = team.granted_site["id"]
    planner.update(team.owner.account_id, operation_id, sequence=1, phase="INIT", percent=5,
                   site_id=site, message="Starting")
    first = _wait_until(gw, team.owner, operation_id, phase="INIT")
    assert (first["state"], first["percent"], first["message"]) == ("running", 5, "Starting")
    assert (first["site_id"], first["kind"]) == (site, "planner.keywords.import")

    planner.update(team.owner.account_id, operation_id, sequence=2, phase="AI_CALL", percent=45,
                   site_id=site)
    assert _wait_until(gw, team.owner, operation_id, percent=45)["phase"] == "AI_CALL"

    planner.update(team.owner.account_id, operation_id, sequence=3, state="succeeded",
                   phase="DONE", percent=100, site_id=site, result={"imported": 120}, cost=4)
    done = _wait_until(gw, team.owner, operation_id, state="succeeded")
    assert (done["percent"], done["phase"], done["result"], done["cost"]) == (
        100, "DONE", {"imported": 120}, 4)
    assert done["is_final"] is True
    assert done["meta"] == {"phase": "DONE", "percentage": 100, "message": "", "cost": 4}

    seeds_url = _read(gw, team.owner, operation_id, URLS[1])
    assert seeds_url == done


def test_late_and_out_of_order_updates_are_ignored(gw, db, module_team, planner) -> None:
    owner, operation_id = module_team.owner, str(uuid.uuid4())
    planner.update(owner.account_id, operation_id, sequence=20, phase="PARSE", percent=70)
    _wait_until(gw, owner, operation_id, percent=70)

    older = planner.update(owner.account_id, operation_id, sequence=10, phase="PREP", percent=20)
    _wait_processed(gw, db, older)
    assert _read(gw, owner, operation_id)["percent"] == 70

    planner.update(owner.account_id, operation_id, sequence=30, state="failed", phase="SAVE",
                   percent=85, error="provider returned a truncated answer")
    failed = _wait_until(gw, owner, operation_id, state="failed")
    assert failed["error"] == "provider returned a truncated answer"

    late = planner.update(owner.account_id, operation_id, sequence=40, phase="SAVE", percent=90)
    _wait_processed(gw, db, late)
    after = _read(gw, owner, operation_id)
    assert (after["state"], after["percent"]) == ("failed", 85)


def test_another_accounts_operation_is_not_found(gw, module_team, planner) -> None:
    operation_id = str(uuid.uuid4())
    planner.update(module_team.owner.account_id, operation_id, sequence=1, percent=10)
    _wait_until(gw, module_team.owner, operation_id, percent=10)

    stranger = gw.register("stranger")
    for url in URLS:
        gw.fail(gw.call("GET", url.format(operation_id), stranger), 404)
    listing = gw.listing(gw.call("GET", "/api/v1/operations/", stranger))
    assert operation_id not in {o["id"] for o in listing["results"]}


def test_forged_update_from_another_account_does_not_touch_the_operation(
    gw, db, module_team, planner
) -> None:
    owner, operation_id = module_team.owner, str(uuid.uuid4())
    planner.update(owner.account_id, operation_id, sequence=1, percent=10)
    _wait_until(gw, owner, operation_id, percent=10)
    forged = planner.update(uuid.uuid4(), operation_id, sequence=99, state="succeeded",
                            phase="DONE", percent=100)
    _wait_processed(gw, db, forged)
    assert _read(gw, owner, operation_id)["state"] == "running"


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_see_operations_of_granted_sites_only(
    gw, module_team, planner, role: str
) -> None:
    team, member = module_team, module_team.member(role)
    on_granted, on_other = str(uuid.uuid4()), str(uuid.uuid4())
    planner.update(team.owner.account_id, on_granted, sequence=1, percent=1,
                   site_id=team.granted_site["id"])
    planner.update(team.owner.account_id, on_other, sequence=1, percent=1,
                   site_id=team.other_site["id"])
    _wait_until(gw, team.owner, on_other, percent=1)
    _wait_until(gw, team.owner, on_granted, percent=1)

    assert _read(gw, member, on_granted)["id"] == on_granted
    for url in URLS:
        gw.fail(gw.call("GET", url.format(on_other), member), 404)
    listed = {o["id"] for o in gw.listing(gw.call("GET", "/api/v1/operations/", member,
                                                  params={"page_size": 100}))["results"]}
    assert on_granted in listed
    assert on_other not in listed
    assert _read(gw, team.admin, on_other)["id"] == on_other


def test_list_filters_by_state_and_kind(gw, planner) -> None:
    owner = gw.register("lister")
    running, done = str(uuid.uuid4()), str(uuid.uuid4())
    planner.update(owner.account_id, running, sequence=1, percent=30,
                   operation_type="planner.keywords.cluster")
    planner.update(owner.account_id, done, sequence=1, state="succeeded", phase="DONE",
                   percent=100)
    _wait_until(gw, owner, running, percent=30)
    _wait_until(gw, owner, done, state="succeeded")

    def ids(**params: str) -> set[str]:
        body = gw.listing(gw.call("GET", "/api/v1/operations/", owner, params=params))
        return {o["id"] for o in body["results"]}

    assert ids() == {running, done}
    assert ids(state="succeeded") == {done}
    assert ids(kind="planner.keywords.cluster") == {running}
    gw.fail(gw.call("GET", "/api/v1/operations/", owner, params={"state": "exploded"}), 400)


def test_unknown_or_malformed_ids_and_anonymous_callers(gw, module_team) -> None:
    gw.fail(gw.call("GET", f"/api/v1/operations/{uuid.uuid4()}/", module_team.owner), 404)
    gw.fail(gw.call("GET", "/api/v1/operations/not-a-uuid/", module_team.owner), 400)
    gw.fail(gw.call("GET", f"/api/v1/operations/{uuid.uuid4()}/"), 401)
