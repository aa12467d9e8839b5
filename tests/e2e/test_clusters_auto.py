"""Auto-clustering through the gateway: an operation that names clusters after real keywords,
keeps correct stats, grows existing clusters incrementally, and emits KeywordsClustered."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.cluster_fixtures import (
    COFFEE,
    SHOES,
    add_keywords,
    auto_cluster,
    clusters_of,
    planner_events,
    start_auto_cluster,
)
from tests.e2e.planner_fixtures import finished, keywords_of

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]


def test_auto_cluster_then_new_keywords_join_or_form_clusters(gw, team, nats_url) -> None:
    sector = team.granted_sector
    created = add_keywords(gw, team.editor, sector, SHOES + COFFEE)
    first = auto_cluster(gw, team.editor, sector)
    assert first["kind"] == "planner.keywords.auto_cluster"
    assert first["result"] == {"keywords_clustered": 10, "clusters_created": 2,
                               "clusters_updated": 0}

    clusters = {c["name"]: c for c in clusters_of(gw, team.viewer, sector)}
    assert set(clusters) == {"running shoes", "espresso machine"}
    texts = {k["keyword"] for k in created}
    assert set(clusters) <= texts
    shoes, coffee = clusters["running shoes"], clusters["espresso machine"]
    assert (shoes["keyword_count"], shoes["total_volume"], shoes["average_difficulty"],
            shoes["dominant_intent"]) == (5, 2400, 35.0, "commercial")
    assert (coffee["keyword_count"], coffee["total_volume"], coffee["average_difficulty"],
            coffee["dominant_intent"]) == (5, 1850, 50.0, "commercial")
    assert "best running shoes" in shoes["description"]
    members = {k["keyword"] for k in keywords_of(gw, team.owner, sector,
                                                 cluster_id=shoes["id"])}
    assert members == {text for text, *_ in SHOES}

    add_keywords(gw, team.editor, sector, [
        ("running shoes for men", 700, 45, "commercial"),
        ("espresso machine deals", 50, None, None),
        ("garden hose", 400, 10, "commercial"), ("expandable garden hose", 90, 20, "commercial"),
        ("best garden hose", 60, None, "informational")])
    second = auto_cluster(gw, team.editor, sector)
    assert second["result"] == {"keywords_clustered": 5, "clusters_created": 1,
                                "clusters_updated": 2}
    after = {c["id"]: c for c in clusters_of(gw, team.owner, sector)}
    # Existing clusters keep their ids and names; their stats follow the newcomers.
    assert after[shoes["id"]]["name"] == "running shoes"
    assert (after[shoes["id"]]["keyword_count"], after[shoes["id"]]["total_volume"]) == (6, 3100)
    assert after[coffee["id"]]["name"] == "espresso machine"
    assert (after[coffee["id"]]["keyword_count"], after[coffee["id"]]["total_volume"]) == (6, 1900)
    (hose,) = [c for c in after.values() if c["id"] not in (shoes["id"], coffee["id"])]
    assert (hose["name"], hose["keyword_count"], hose["total_volume"]) == ("garden hose", 3, 550)
    assert sum(c["keyword_count"] for c in after.values()) == 15
    assert keywords_of(gw, team.owner, sector, cluster_id=hose["id"])[0]["cluster_id"] == hose["id"]

    # Nothing left to cluster: the operation succeeds and changes nothing.
    third = auto_cluster(gw, team.editor, sector)
    assert third["result"]["keywords_clustered"] == 0
    assert {c["id"] for c in clusters_of(gw, team.owner, sector)} == set(after)

    events = planner_events(nats_url, team.owner.account_id, "evt.planner.keywords.clustered.v1",
                            2)
    assert [(e["data"]["keywords_clustered"], e["data"]["clusters_created"],
             e["data"]["clusters_updated"]) for e in events] == [(10, 2, 0), (5, 1, 2)]
    assert {e["data"]["operation_id"] for e in events} == {first["id"], second["id"]}
    assert all(e["data"]["sector_id"] == sector["id"] and e["source"] == "igny8/planner"
               for e in events)


def test_reclustering_given_keywords_keeps_the_stats_of_the_clusters_they_left(gw, team) -> None:
    sector = team.granted_sector
    created = add_keywords(gw, team.owner, sector, SHOES + COFFEE)
    auto_cluster(gw, team.owner, sector)
    coffee_ids = [k["id"] for k in created if "espresso" in k["keyword"]]
    shoes_id = keywords_of(gw, team.owner, sector, search="trail")[0]["cluster_id"]
    # A coffee keyword moved by hand into the shoe cluster, then re-clustered on its own.
    gw.ok(gw.call("POST", "/api/v1/planner/clusters/move_keywords/", team.owner,
                  json={"keyword_ids": coffee_ids[:1], "cluster_id": shoes_id}))
    auto_cluster(gw, team.owner, sector, keyword_ids=coffee_ids[:1])
    by_name = {c["name"]: c for c in clusters_of(gw, team.owner, sector)}
    assert by_name["running shoes"]["keyword_count"] == 5
    assert by_name["espresso machine"]["keyword_count"] == 5
    assert sum(c["keyword_count"] for c in by_name.values()) == 10


def test_auto_cluster_refuses_bad_input_and_writes_nothing(gw, team, db) -> None:
    sector = team.granted_sector
    add_keywords(gw, team.owner, sector, SHOES)
    before = db.scalar("SELECT count(*) FROM gateway.operations")
    body = gw.fail(start_auto_cluster(gw, team.owner, sector, method="magic"), 400)
    assert "method" in body["errors"]
    body = gw.fail(start_auto_cluster(gw, team.owner, sector, keyword_ids=[]), 400)
    assert "keyword_ids" in body["errors"]
    body = gw.fail(start_auto_cluster(gw, team.owner, sector, granularity="huge"), 400)
    assert "granularity" in body["errors"]
    body = gw.fail(start_auto_cluster(gw, team.owner, sector, cluster_count=0), 400)
    assert "cluster_count" in body["errors"]
    body = gw.fail(start_auto_cluster(gw, team.owner, sector, keywords_per_cluster=0), 400)
    assert "keywords_per_cluster" in body["errors"]
    body = gw.fail(start_auto_cluster(gw, team.owner, sector, cluster_count=2,
                                      keywords_per_cluster=2), 400)
    assert "keywords_per_cluster" in body["errors"]
    body = gw.fail(start_auto_cluster(gw, team.owner, sector, method="llm", cluster_count=2), 400)
    assert "cluster_count" in body["errors"]
    ids = [k["id"] for k in keywords_of(gw, team.owner, sector)][:2]
    body = gw.fail(start_auto_cluster(gw, team.owner, sector, keyword_ids=ids, cluster_count=3),
                   400)
    assert body["errors"]["cluster_count"] == ["At most the number of keywords clustered (2)."]
    gw.fail(gw.call("POST", "/api/v1/planner/keywords/auto_cluster/", team.owner,
                    json={"site_id": sector["site_id"], "sector_id": team.other_sector["id"]}),
            404)
    assert db.scalar("SELECT count(*) FROM gateway.operations") == before
    assert clusters_of(gw, team.owner, sector) == []


def test_granularity_and_a_cluster_count_through_the_gateway(gw, team) -> None:
    sector = team.granted_sector
    add_keywords(gw, team.editor, sector, SHOES + COFFEE)
    done = auto_cluster(gw, team.editor, sector, cluster_count=1)
    assert done["result"] == {"keywords_clustered": 10, "clusters_created": 1,
                              "clusters_updated": 0}
    (only,) = clusters_of(gw, team.viewer, sector)
    assert only["keyword_count"] == 10
    # Asked for more clusters than the sector has unclustered keywords: the operation fails,
    # nothing is clustered.
    add_keywords(gw, team.editor, sector, [("garden hose", 400, 10, "commercial")])
    accepted = gw.ok(start_auto_cluster(gw, team.editor, sector, cluster_count=2), 202)
    failed = finished(gw, team.editor, accepted["operation_id"])
    assert failed["state"] == "failed"
    assert "2 clusters were asked for, more than the 1 keywords to cluster" in failed["error"]
    assert len(clusters_of(gw, team.viewer, sector)) == 1


def test_auto_cluster_roles_and_tenancy(gw, team) -> None:
    sector = team.granted_sector
    gw.fail(start_auto_cluster(gw, team.viewer, sector), 403)
    gw.fail(start_auto_cluster(gw, team.editor, team.other_sector), 404)
    stranger = gw.register("stranger")
    gw.fail(start_auto_cluster(gw, stranger, sector), 404)
    fake = {"site_id": str(uuid.uuid4()), "id": str(uuid.uuid4())}
    gw.fail(start_auto_cluster(gw, team.owner, fake), 404)
    gw.ok(start_auto_cluster(gw, team.admin, team.other_sector), 202)
