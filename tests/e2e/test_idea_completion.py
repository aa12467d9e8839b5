"""An idea queued to the writer is marked completed by the planner once the article of its task
has been written (the writer's ContentGenerated v2 carries the task's idea); an idea archived
meanwhile stays archived, and a task made by hand touches no idea."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.idea_fixtures import IDEAS, make_clusters
from tests.e2e.writer_fixtures import generated, make_task, tasks_of

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner", "writer")]


def idea(gw: Any, member: Any, cluster_id: str, title: str) -> Any:
    return gw.ok(gw.call("POST", IDEAS, member, json={
        "cluster_id": cluster_id, "title": title, "content_structure": "supporting_page",
        "content_type": "guide", "target_keywords": ["camp stove"],
        "estimated_word_count": 600}), 201)


def status_of(gw: Any, member: Any, idea_id: str) -> str:
    found: str = gw.ok(gw.call("GET", f"{IDEAS}{idea_id}/", member))["status"]
    return found


def test_an_ideas_article_completes_it(gw, db, team, nats_url) -> None:
    owner, sector = team.owner, team.granted_sector
    cluster_id = make_clusters(gw, db, nats_url, owner, sector, ["camp stove"])[0]
    kept, archived = (idea(gw, owner, cluster_id, f"Camp stove guide {n}") for n in (1, 2))
    queued = gw.ok(gw.call("POST", f"{IDEAS}queue_to_writer/", team.editor,
                           json={"idea_ids": [kept["id"], archived["id"]]}))
    assert sorted(queued["queued"]) == sorted([kept["id"], archived["id"]])
    tasks = {i["id"]: gw.wait_for(lambda i=i: tasks_of(gw, owner, idea_id=i["id"]), timeout=30)[0]
             for i in (kept, archived)}
    gw.ok(gw.call("PATCH", f"{IDEAS}{archived['id']}/", owner, json={"status": "archived"}))
    by_hand = make_task(gw, owner, sector, title="Camp stove by hand", keywords=["camp stove"])
    assert status_of(gw, owner, kept["id"]) == "queued"

    operation = generated(gw, owner, [tasks[kept["id"]]["id"], tasks[archived["id"]]["id"],
                                      by_hand["id"]])
    assert operation["state"] == "succeeded" and operation["result"]["generated"] == 3, operation

    gw.wait_for(lambda: status_of(gw, owner, kept["id"]) == "completed", timeout=20)
    assert status_of(gw, owner, archived["id"]) == "archived"
    completed = gw.listing(gw.call("GET", IDEAS, team.viewer,
                                   params={"status": "completed", "cluster_id": cluster_id}))
    assert [i["id"] for i in completed["results"]] == [kept["id"]]
