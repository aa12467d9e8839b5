"""Families of bad input, each over every route the gateway documents (so the next route added
is covered too): a method a path does not have is 405 with ``Allow`` (never a 400 on an id the
path happens to look like); a viewer's write is 403 whatever its body (permission before
input); and a task's ``cluster_id`` must be a cluster of the caller's account and sector."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.cluster_fixtures import clustered_sector
from tests.e2e.writer_fixtures import TASKS, make_task

pytestmark = pytest.mark.e2e

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Writes that need no account actor: signing up and in, tokens, signed webhooks.
WITHOUT_ACTOR = re.compile(r"^/api/v1/(auth/(register|login|refresh|logout)/|integration/webhooks/)")


def _operations(gw: Any) -> dict[str, dict[str, Any]]:
    spec = gw.call("GET", "/openapi.json").json()
    return {path: ops for path, ops in spec["paths"].items() if path.startswith("/api/v1/")}


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


def test_every_method_a_path_does_not_have_is_405_with_allow(gw, team) -> None:
    checked = 0
    for path, operations in _operations(gw).items():
        declared = {m.upper() for m in operations}
        url = _concrete(path)
        for method in METHODS:
            if method in declared:
                continue
            response = gw.call(method, url, team.owner, json={} if method != "GET" else None)
            assert response.status_code == 405, (method, path, response.text)
            allow = {m.strip() for m in response.headers["allow"].split(",")}
            assert declared <= allow | {"HEAD"}, (method, path, allow)
            assert response.json()["success"] is False
            checked += 1
    assert checked > 100
    # The case that answered 400 before: a literal path taken for an id of another method.
    wrong = gw.call("GET", f"{TASKS}generate_content/", team.owner)
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "POST")


_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=3),
    max_leaves=8)


def test_a_viewers_write_is_403_whatever_its_body(gw, team) -> None:
    writes = [(method.upper(), _concrete(path))
              for path, operations in _operations(gw).items() if not WITHOUT_ACTOR.match(path)
              for method in operations if method.upper() in ("POST", "PUT", "PATCH", "DELETE")]
    assert len(writes) > 40

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.sampled_from(writes), _junk)
    def viewer_writes(write: tuple[str, str], body: Any) -> None:
        method, url = write
        response = gw.call(method, url, team.viewer, json=body)
        assert response.status_code == 403, (method, url, body, response.text)

    viewer_writes()
    for method, url in writes:  # and every one at least once, with an empty body
        assert gw.call(method, url, team.viewer, json={}).status_code == 403, (method, url)


@pytest.mark.usefixtures("planner", "writer")
def test_a_tasks_cluster_must_be_the_accounts_and_in_its_sector(gw, team) -> None:
    sector = team.granted_sector
    clusters = clustered_sector(gw, team.owner, sector)
    other_sector_cluster = clustered_sector(gw, team.owner, team.other_sector)["shoes"]
    stranger = gw.register("stranger")
    stranger_site = gw.create_site(stranger, "Theirs")
    stranger_sector = gw.create_sector(stranger, stranger_site["id"], "Theirs")
    foreign = clustered_sector(gw, stranger, stranger_sector)["shoes"]
    before = len(gw.listing(gw.call("GET", TASKS, team.owner, params={"page_size": 100}))[
        "results"])
    for cluster_id, reason in ((foreign["id"], "No such cluster."),
                               (str(uuid.uuid4()), "No such cluster."),
                               (other_sector_cluster["id"], "another sector")):
        refused = gw.fail(gw.call("POST", TASKS, team.owner, json={
            "site_id": sector["site_id"], "sector_id": sector["id"], "title": "t",
            "cluster_id": cluster_id}), 400)
        assert reason in refused["errors"]["cluster_id"][0]
    after = gw.listing(gw.call("GET", TASKS, team.owner, params={"page_size": 100}))["results"]
    assert len(after) == before  # nothing stored
    task = make_task(gw, team.owner, sector, cluster_id=clusters["shoes"]["id"])
    assert task["cluster_id"] == clusters["shoes"]["id"]
    url = f"{TASKS}{task['id']}/"
    gw.fail(gw.call("PATCH", url, team.owner, json={"cluster_id": foreign["id"]}), 400)
    gw.fail(gw.call("PATCH", url, team.owner, json={"cluster_id": other_sector_cluster["id"]}),
            400)
    assert gw.ok(gw.call("GET", url, team.owner))["cluster_id"] == clusters["shoes"]["id"]
    moved = gw.ok(gw.call("PATCH", url, team.owner, json={"cluster_id": clusters["coffee"]["id"]}))
    assert moved["cluster_id"] == clusters["coffee"]["id"]
    cleared = gw.ok(gw.call("PATCH", url, team.owner, json={"cluster_id": None}))
    assert cleared["cluster_id"] is None
