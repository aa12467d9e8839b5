"""Content ideas through the gateway: generating them as an operation (credits reserved first,
usage settled after), CRUD, queueing them for the writer (IdeasQueued on JetStream), tenancy,
roles and bad input."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from igny8_contracts import Envelope
from igny8_contracts.planner import GenerateIdeas
from igny8_contracts.streams import COMMANDS
from tests.e2e.billing_fixtures import make_developer
from tests.e2e.idea_fixtures import (
    GENERATE,
    IDEAS,
    balance,
    generate,
    generated,
    ideas_of,
    make_clusters,
    queued_events,
)
from tests.e2e.jetstream import drained, last_seq, messages_after

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]

PRICE_PER_IDEA = 3
FIELDS = {"id", "site_id", "sector_id", "cluster_id", "cluster_name", "title", "description",
          "content_structure", "content_type", "target_keywords", "estimated_word_count",
          "status", "created_at", "updated_at"}


def test_generate_ideas_list_them_and_queue_them_for_the_writer(gw, db, team, nats_url) -> None:
    sector = team.granted_sector
    clusters = make_clusters(gw, db, nats_url, team.owner, sector)
    assert len(clusters) >= 2
    before = balance(gw, team.owner)["total_credits"]

    operation = generated(gw, team.editor, clusters, ideas_per_cluster=2)
    assert operation["state"] == "succeeded", operation
    assert operation["result"]["ideas_created"] == 2 * len(clusters)
    assert operation["result"]["offline"] is True
    assert "offline provider" in operation["message"]

    ideas = ideas_of(gw, team.viewer, sector_id=sector["id"])
    assert len(ideas) == 2 * len(clusters)
    for idea in ideas:
        assert set(idea) == FIELDS
        assert (idea["site_id"], idea["sector_id"], idea["status"]) == (
            sector["site_id"], sector["id"], "new")
        assert idea["cluster_id"] in clusters
        assert idea["cluster_name"].lower() in idea["title"].lower()
        assert idea["content_structure"] in {"cluster_hub", "landing_page", "pillar_page",
                                             "supporting_page"}
        assert idea["target_keywords"]
        assert all(t["id"] and t["keyword"] for t in idea["target_keywords"])
        assert 800 <= idea["estimated_word_count"] <= 5000
    one_cluster = ideas_of(gw, team.owner, cluster_id=clusters[0])
    assert sorted(i["content_structure"] == "supporting_page" for i in one_cluster) == [False, True]

    # billing settles the usage: 3 credits per idea, nothing left held
    spent = PRICE_PER_IDEA * len(ideas)
    settled = gw.wait_for(lambda: (b := balance(gw, team.owner))["total_credits"] == before - spent
                          and b["held_credits"] == 0 and b, timeout=20)
    assert settled["available_credits"] == before - spent

    chosen = [ideas[0]["id"], ideas[1]["id"]]
    queued = gw.ok(gw.call("POST", f"{IDEAS}queue_to_writer/", team.editor,
                           json={"idea_ids": chosen}))
    assert (sorted(queued["queued"]), queued["skipped"]) == (sorted(chosen), [])
    assert {i["id"] for i in ideas_of(gw, team.owner, status="queued")} == set(chosen)
    events = queued_events(nats_url, team.owner.account_id, wanted=2)
    sent = {idea["id"]: idea for event in events for idea in event["data"]["ideas"]}
    assert set(sent) == set(chosen)
    original = {i["id"]: i for i in ideas}
    for idea_id, idea in sent.items():
        view = original[idea_id]
        assert idea == {
            "id": idea_id, "site_id": view["site_id"], "sector_id": view["sector_id"],
            "cluster_id": view["cluster_id"], "cluster_name": view["cluster_name"],
            "title": view["title"], "outline": view["description"],
            "content_structure": view["content_structure"],
            "content_type": view["content_type"], "target_keywords": view["target_keywords"],
            "estimated_word_count": view["estimated_word_count"]}
    again = gw.ok(gw.call("POST", f"{IDEAS}queue_to_writer/", team.owner,
                          json={"idea_ids": chosen}))
    assert (again["queued"], sorted(again["skipped"])) == ([], sorted(chosen))


def test_ideas_crud_and_roles(gw, db, team, nats_url) -> None:
    sector = team.granted_sector
    cluster_id = make_clusters(gw, db, nats_url, team.owner, sector, ["garden hose"])[0]
    body = {"cluster_id": cluster_id, "title": "Choosing a garden hose",
            "description": "Outline: lengths, materials.", "content_structure": "cluster_hub",
            "content_type": "guide", "target_keywords": ["Garden  Hose", "hose reel"],
            "estimated_word_count": 1800}
    for verb, path, payload in (("POST", IDEAS, body), ("POST", GENERATE,
                                                         {"cluster_ids": [cluster_id]})):
        gw.fail(gw.call(verb, path, team.viewer, json=payload), 403)
    made = gw.ok(gw.call("POST", IDEAS, team.editor, json=body), 201)
    assert {k: made[k] for k in ("title", "content_structure", "content_type",
                                 "estimated_word_count", "status", "sector_id")} == {
        "title": "Choosing a garden hose", "content_structure": "cluster_hub",
        "content_type": "guide", "estimated_word_count": 1800, "status": "new",
        "sector_id": sector["id"]}
    assert [t["keyword"] for t in made["target_keywords"]] == ["garden hose", "hose reel"]
    assert made["target_keywords"][0]["id"] is not None
    assert made["target_keywords"][1]["id"] is None
    url = f"{IDEAS}{made['id']}/"
    assert gw.ok(gw.call("GET", url, team.viewer))["id"] == made["id"]
    for verb, payload in (("PATCH", {"title": "x"}), ("DELETE", None)):
        gw.fail(gw.call(verb, url, team.viewer, json=payload), 403)
    gw.fail(gw.call("POST", f"{IDEAS}queue_to_writer/", team.viewer,
                    json={"idea_ids": [made["id"]]}), 403)
    changed = gw.ok(gw.call("PATCH", url, team.editor,
                            json={"status": "archived", "estimated_word_count": 900}))
    assert (changed["status"], changed["estimated_word_count"], changed["title"]) == (
        "archived", 900, "Choosing a garden hose")
    assert [i["id"] for i in ideas_of(gw, team.owner, status="archived",
                                      cluster_id=cluster_id)] == [made["id"]]
    assert ideas_of(gw, team.owner, status="new", cluster_id=cluster_id) == []
    gw.fail(gw.call("PATCH", url, team.editor, json={}), 400)
    gw.ok(gw.call("DELETE", url, team.editor))
    gw.fail(gw.call("GET", url, team.owner), 404)


def test_other_accounts_and_invisible_sites_get_404(gw, db, team, nats_url) -> None:
    cluster_id = make_clusters(gw, db, nats_url, team.owner, team.other_sector,
                               ["espresso machine"])[0]
    made = gw.ok(gw.call("POST", IDEAS, team.owner,
                         json={"cluster_id": cluster_id, "title": "Espresso at home"}), 201)
    url = f"{IDEAS}{made['id']}/"
    stranger = gw.register("stranger")
    # the editor was granted the other site not: as foreign as another account
    for member in (stranger, team.editor):
        gw.fail(gw.call("GET", url, member), 404)
        gw.fail(gw.call("PATCH", url, member, json={"title": "Mine"}), 404)
        gw.fail(gw.call("DELETE", url, member), 404)
        gw.fail(gw.call("POST", f"{IDEAS}queue_to_writer/", member,
                        json={"idea_ids": [made["id"]]}), 404)
        gw.fail(gw.call("POST", IDEAS, member,
                        json={"cluster_id": cluster_id, "title": "Mine"}), 404)
        gw.fail(generate(gw, member, [cluster_id]), 404)
        assert made["id"] not in {i["id"] for i in ideas_of(gw, member)}
    assert gw.ok(gw.call("GET", url, team.owner))["status"] == "new"
    assert balance(gw, stranger)["held_credits"] == 0


def test_too_few_credits_answers_402_and_sends_nothing(gw, db, team, nats_url) -> None:
    clusters = make_clusters(gw, db, nats_url, team.owner, team.granted_sector)
    developer = make_developer(gw, db, team.owner)
    available = balance(gw, team.owner)["available_credits"]
    gw.ok(gw.call("POST", "/api/v1/billing/credits/adjust/", developer, json={
        "amount": -(available - 2), "reason": "leave two credits", "pool": "plan"}), 201)
    operations = gw.listing(gw.call("GET", "/api/v1/operations/", team.owner))["count"]
    commands_before = last_seq(nats_url, COMMANDS.name)
    failure = gw.fail(generate(gw, team.owner, clusters, ideas_per_cluster=1), 402)
    assert failure["errors"]["available"] == ["2"]
    assert failure["errors"]["cost"] == [str(PRICE_PER_IDEA * len(clusters))]
    assert failure["errors"]["balance"] == ["2"]
    # Nothing was queued: no GenerateIdeas command reached the stream for this account ...
    queued = [m for m in messages_after(nats_url, COMMANDS.name, commands_before)
              if m.subject == GenerateIdeas.subject()
              and Envelope.model_validate_json(m.data).account_id == uuid.UUID(
                  team.owner.account_id)]
    assert queued == []
    # ... and the planner has handled every command there is (so any that slipped through
    # would have made its ideas by now).
    gw.wait_for(lambda: drained(nats_url, COMMANDS.name, "planner--generate-ideas"), 30)
    assert gw.listing(gw.call("GET", "/api/v1/operations/", team.owner))["count"] == operations
    assert ideas_of(gw, team.owner) == []
    assert balance(gw, team.owner)["held_credits"] == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"cluster_ids": []}, "cluster_ids"),
    ({"cluster_ids": ["not-a-uuid"]}, "cluster_ids"),
    ({"cluster_ids": [str(uuid.uuid4())], "ideas_per_cluster": 0}, "ideas_per_cluster"),
    ({"cluster_ids": [str(uuid.uuid4())], "ideas_per_cluster": 11}, "ideas_per_cluster"),
])
def test_bad_generate_input_is_400(gw, module_team, body: dict[str, Any], field: str) -> None:
    failure = gw.fail(gw.call("POST", GENERATE, module_team.owner, json=body), 400)
    assert any(field in key for key in failure["errors"]), failure


def test_unknown_cluster_is_404_and_reserves_nothing(gw, module_team) -> None:
    failure = gw.fail(generate(gw, module_team.owner, [str(uuid.uuid4())]), 404)
    assert "cluster_ids" in failure["errors"]
    assert balance(gw, module_team.owner)["held_credits"] == 0


def test_generate_ideas_is_registered_before_the_cluster_routes() -> None:
    from igny8_gateway.app import load

    paths = [getattr(route, "path", "") for router in load().routers for route in router.routes]
    mine = paths.index(GENERATE)
    by_id = [i for i, path in enumerate(paths) if path.startswith("/api/v1/planner/clusters/{")]
    assert by_id, "the cluster routes are registered"
    assert mine < min(by_id)
