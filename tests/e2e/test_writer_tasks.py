"""Writer tasks through the gateway: created from the planner's IdeasQueued (one per idea, once)
or by hand; read, filter, order, page, change, bulk status, delete; tenancy and roles."""

from __future__ import annotations

import uuid

import pytest

from igny8_contracts.planner import IdeasQueued, QueuedIdea, TargetKeyword
from tests.e2e.writer_fixtures import TASKS, make_task, publish_event, tasks_of

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("writer")]

FIELDS = {"id", "site_id", "sector_id", "idea_id", "cluster_id", "cluster_name", "title",
          "description", "keywords", "content_structure", "content_type", "word_count",
          "status", "error", "content_id", "created_at", "updated_at"}


def _idea(sector: dict, title: str, **extra: object) -> QueuedIdea:
    return QueuedIdea.model_validate({
        "id": uuid.uuid4(), "site_id": sector["site_id"], "sector_id": sector["id"],
        "cluster_id": uuid.uuid4(), "cluster_name": "Trail running", "title": title,
        "outline": "Intro; fit; grip.", "content_structure": "pillar_page",
        "content_type": "guide", "estimated_word_count": 1500,
        "target_keywords": [TargetKeyword(id=uuid.uuid4(), keyword="trail shoes"),
                            TargetKeyword(keyword="grip")], **extra})


def test_ideas_queued_become_one_task_each_even_when_delivered_twice(gw, team, nats_url) -> None:
    ideas = [_idea(team.granted_sector, f"Trail shoes idea {i}") for i in range(3)]
    event = IdeasQueued(account_id=uuid.UUID(team.owner.account_id), ideas=ideas)
    publish_event(nats_url, event, team.owner.account_id)
    publish_event(nats_url, event, team.owner.account_id)  # the idea queued again

    found = gw.wait_for(lambda: len(t := tasks_of(gw, team.viewer,
                                                  sector_id=team.granted_sector["id"])) >= 3
                        and t, timeout=20)
    assert len(found) == 3
    by_idea = {t["idea_id"]: t for t in found}
    assert set(by_idea) == {str(i.id) for i in ideas}
    for idea in ideas:
        task = by_idea[str(idea.id)]
        assert set(task) == FIELDS
        assert (task["title"], task["status"], task["word_count"], task["content_structure"],
                task["content_type"], task["cluster_id"], task["cluster_name"],
                task["description"]) == (idea.title, "queued", 1500, "pillar_page", "guide",
                                         str(idea.cluster_id), "Trail running", "Intro; fit; grip.")
        assert task["keywords"] == [{"id": str(idea.target_keywords[0].id),
                                     "keyword": "trail shoes"}, {"id": None, "keyword": "grip"}]
    one = tasks_of(gw, team.owner, idea_id=str(ideas[1].id))
    assert [t["idea_id"] for t in one] == [str(ideas[1].id)]
    # an event about another account's sector never creates a task in this account
    outsider = gw.register("outsider")
    assert tasks_of(gw, outsider) == []


def test_tasks_crud_filters_ordering_pagination_and_bulk(gw, team) -> None:
    sector, other = team.granted_sector, team.other_sector
    made = make_task(gw, team.editor, sector, title="Zebra  boots guide", word_count=900,
                     keywords=["Zebra boots", "zebra BOOTS", "laces"], content_type="guide")
    assert set(made) == FIELDS
    assert (made["title"], made["word_count"], made["status"], made["idea_id"],
            made["content_id"]) == ("Zebra boots guide", 900, "queued", None, None)
    assert [k["keyword"] for k in made["keywords"]] == ["Zebra boots", "laces"]
    second = make_task(gw, team.owner, sector, title="Apple orchard tips")
    third = make_task(gw, team.owner, other, title="Mountain huts", status="in_progress")

    assert {t["id"] for t in tasks_of(gw, team.owner)} == {made["id"], second["id"], third["id"]}
    assert [t["id"] for t in tasks_of(gw, team.owner, ordering="title")] == [
        second["id"], third["id"], made["id"]]
    assert [t["id"] for t in tasks_of(gw, team.owner, ordering="-word_count")][-1] == made["id"]
    assert [t["id"] for t in tasks_of(gw, team.owner, search="ZEBRA")] == [made["id"]]
    assert [t["id"] for t in tasks_of(gw, team.owner, search="laces")] == [made["id"]]
    assert tasks_of(gw, team.owner, search="keyword") == []  # JSON keys are not searched
    assert [t["id"] for t in tasks_of(gw, team.owner, status="in_progress")] == [third["id"]]
    assert [t["id"] for t in tasks_of(gw, team.owner, content_type="guide")] == [made["id"]]
    assert {t["id"] for t in tasks_of(gw, team.owner, site_id=sector["site_id"])} == {
        made["id"], second["id"]}
    page = gw.listing(gw.call("GET", TASKS, team.owner, params={"page_size": 2,
                                                                  "ordering": "title"}))
    assert (page["count"], len(page["results"]), page["previous"]) == (3, 2, None)
    assert "page=2" in page["next"]
    # editors and viewers see only the granted site
    assert {t["id"] for t in tasks_of(gw, team.viewer)} == {made["id"], second["id"]}
    gw.fail(gw.call("GET", f"{TASKS}{third['id']}/", team.editor), 404)

    url = f"{TASKS}{made['id']}/"
    changed = gw.ok(gw.call("PATCH", url, team.editor,
                            json={"title": "Zebra boots, revised", "keywords": ["zebra boots"],
                                  "status": "cancelled"}))
    assert (changed["title"], changed["status"], changed["keywords"]) == (
        "Zebra boots, revised", "cancelled", [{"id": None, "keyword": "zebra boots"}])
    assert gw.ok(gw.call("GET", url, team.viewer))["title"] == "Zebra boots, revised"
    bad = gw.fail(gw.call("PATCH", url, team.editor, json={"word_count": 5}), 400)
    assert "word_count" in bad["errors"]
    gw.fail(gw.call("PATCH", url, team.editor, json={"status": "sideways"}), 400)
    gw.fail(gw.call("PATCH", url, team.editor, json={}), 400)

    updated = gw.ok(gw.call("POST", f"{TASKS}bulk_update/", team.owner,
                            json={"ids": [made["id"], second["id"], third["id"]],
                                  "status": "queued"}))
    assert updated == {"updated_count": 3}
    # the editor's bulk change touches only what it can see
    assert gw.ok(gw.call("POST", f"{TASKS}bulk_update/", team.editor,
                         json={"ids": [made["id"], third["id"]], "status": "completed"})) == {
        "updated_count": 1}
    deleted = gw.ok(gw.call("POST", f"{TASKS}bulk_delete/", team.owner,
                            json={"ids": [made["id"], second["id"]]}))
    assert deleted == {"deleted_count": 2}
    gw.ok(gw.call("DELETE", f"{TASKS}{third['id']}/", team.admin))
    gw.fail(gw.call("DELETE", f"{TASKS}{third['id']}/", team.admin), 404)
    assert tasks_of(gw, team.owner) == []


def test_viewers_cannot_write_tasks_and_bad_input_is_refused(gw, team) -> None:
    sector = team.granted_sector
    task = make_task(gw, team.owner, sector)
    url = f"{TASKS}{task['id']}/"
    for method, path, body in (
        ("POST", TASKS, {"site_id": sector["site_id"], "sector_id": sector["id"], "title": "x"}),
        ("PATCH", url, {"title": "y"}), ("DELETE", url, None),
        ("POST", f"{TASKS}bulk_delete/", {"ids": [task["id"]]}),
        ("POST", f"{TASKS}bulk_update/", {"ids": [task["id"]], "status": "queued"}),
        ("POST", f"{TASKS}generate_content/", {"task_ids": [task["id"]]}),
    ):
        gw.fail(gw.call(method, path, team.viewer, json=body), 403)
    assert gw.ok(gw.call("GET", url, team.viewer))["title"] == task["title"]
    gw.ok(gw.call("PATCH", url, team.owner, json={"status": "in_progress"}))
    busy = gw.fail(gw.call("POST", f"{TASKS}generate_content/", team.owner,
                           json={"task_ids": [task["id"]]}), 409)
    assert task["id"] in busy["errors"]["task_ids"][0]
    missing = gw.fail(gw.call("POST", TASKS, team.owner, json={"site_id": sector["site_id"]}),
                      400)
    assert {"sector_id", "title"} <= set(missing["errors"])
    gw.fail(gw.call("POST", TASKS, team.owner, json={
        "site_id": sector["site_id"], "sector_id": sector["id"], "title": "t", "extra": 1}), 400)
    # a sector of another site, and the editor's ungranted site: 404
    gw.fail(gw.call("POST", TASKS, team.owner, json={
        "site_id": sector["site_id"], "sector_id": team.other_sector["id"], "title": "t"}), 404)
    gw.fail(gw.call("POST", TASKS, team.editor, json={
        "site_id": team.other_site["id"], "sector_id": team.other_sector["id"], "title": "t"}),
        404)


def test_another_accounts_tasks_answer_404(gw, team) -> None:
    task = make_task(gw, team.owner, team.granted_sector)
    stranger = gw.register("stranger")
    url = f"{TASKS}{task['id']}/"
    gw.fail(gw.call("GET", url, stranger), 404)
    gw.fail(gw.call("PATCH", url, stranger, json={"title": "mine"}), 404)
    gw.fail(gw.call("DELETE", url, stranger), 404)
    gw.fail(gw.call("POST", f"{TASKS}generate_content/", stranger,
                    json={"task_ids": [task["id"]]}), 404)
    assert gw.ok(gw.call("POST", f"{TASKS}bulk_delete/", stranger,
                         json={"ids": [task["id"]]})) == {"deleted_count": 0}
    gw.fail(gw.call("GET", TASKS, stranger, params={"site_id": team.granted_site["id"]}), 404)
    assert tasks_of(gw, stranger) == []
    assert gw.ok(gw.call("GET", url, team.owner))["title"] == task["title"]
