"""Clusters through the gateway: list, read, rename, delete, merge, split, move keywords —
stats recomputed after each edit, tenancy (foreign ids are 404), roles, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.cluster_fixtures import (
    CLUSTERS,
    SHOES,
    add_keywords,
    clustered_sector,
    clusters_of,
    planner_events,
)
from tests.e2e.planner_fixtures import keywords_of

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]


def url(cluster: dict[str, Any], action: str = "") -> str:
    return f"{CLUSTERS}{cluster['id']}/{action + '/' if action else ''}"


def ids_of(gw: Any, member: Any, sector: dict[str, Any], cluster: dict[str, Any]) -> list[str]:
    return [k["id"] for k in keywords_of(gw, member, sector, cluster_id=cluster["id"],
                                         ordering="-volume")]


def snapshot(gw: Any, member: Any, sector: dict[str, Any]) -> Any:
    """Every cluster and every keyword's cluster: what a refused edit must leave alone."""
    return (sorted((c["id"], c["name"], c["keyword_count"]) for c in
                   clusters_of(gw, member, sector)),
            sorted((k["id"], k["cluster_id"]) for k in keywords_of(gw, member, sector)))


def test_list_filters_and_pages(gw, team) -> None:
    clustered_sector(gw, team.owner, team.granted_sector)
    add_keywords(gw, team.owner, team.other_sector, SHOES)
    gw.ok(gw.call("POST", "/api/v1/planner/keywords/auto_cluster/", team.owner, json={
        "site_id": team.other_site["id"], "sector_id": team.other_sector["id"]}), 202)
    first = gw.listing(gw.call("GET", CLUSTERS, team.owner, params={
        "site_id": team.granted_site["id"], "page_size": 1, "ordering": "-total_volume"}))
    assert first["count"] == 2
    assert first["results"][0]["name"] == "running shoes"
    assert first["next"] and first["previous"] is None
    second = gw.listing(gw.call("GET", first["next"], team.owner))
    assert [c["name"] for c in second["results"]] == ["espresso machine"]
    assert second["next"] is None
    # The editor and viewer see only their granted site's clusters.
    assert gw.wait_for(lambda: len(clusters_of(gw, team.owner, team.other_sector)) == 1, 30)
    assert gw.listing(gw.call("GET", CLUSTERS, team.viewer))["count"] == 2
    assert gw.listing(gw.call("GET", CLUSTERS, team.owner))["count"] == 3
    gw.fail(gw.call("GET", CLUSTERS, team.viewer,
                    params={"sector_id": team.other_sector["id"]}), 404)


def test_get_and_rename(gw, team, nats_url) -> None:
    sector = team.granted_sector
    shoes = clustered_sector(gw, team.owner, sector)["shoes"]
    got = gw.ok(gw.call("GET", url(shoes), team.viewer))
    assert {k: got[k] for k in ("keyword_count", "total_volume", "average_difficulty",
                                "dominant_intent", "site_id", "sector_id")} == {
        "keyword_count": 5, "total_volume": 2400, "average_difficulty": 35.0,
        "dominant_intent": "commercial", "site_id": sector["site_id"], "sector_id": sector["id"]}
    renamed = gw.ok(gw.call("PATCH", url(shoes), team.editor,
                            json={"name": "  Running   footwear ", "description": "Shoes."}))
    assert (renamed["name"], renamed["description"], renamed["keyword_count"]) == (
        "Running footwear", "Shoes.", 5)
    assert gw.ok(gw.call("GET", url(shoes), team.owner))["name"] == "Running footwear"
    gw.fail(gw.call("PATCH", url(shoes), team.editor, json={}), 400)
    gw.fail(gw.call("PATCH", url(shoes), team.editor, json={"name": "   "}), 400)
    events = planner_events(nats_url, team.owner.account_id, "evt.planner.clusters.changed.v1",
                            1)
    assert events[0]["data"]["change"] == "updated"
    assert events[0]["data"]["cluster_ids"] == [shoes["id"]]


def test_delete_unclusters_its_keywords(gw, team) -> None:
    sector = team.granted_sector
    shoes = clustered_sector(gw, team.owner, sector)["shoes"]
    gone = gw.ok(gw.call("DELETE", url(shoes), team.editor))
    assert gone["unclustered_count"] == 5
    gw.fail(gw.call("GET", url(shoes), team.owner), 404)
    gw.fail(gw.call("DELETE", url(shoes), team.owner), 404)
    unclustered = [k for k in keywords_of(gw, team.owner, sector) if k["cluster_id"] is None]
    assert sorted(k["keyword"] for k in unclustered) == sorted(t for t, *_ in SHOES)


def test_merge_either_way(gw, team) -> None:
    sector = team.granted_sector
    made = clustered_sector(gw, team.owner, sector)
    merged = gw.ok(gw.call("POST", url(made["coffee"], "merge"), team.editor,
                           json={"into_cluster_id": made["shoes"]["id"]}))
    assert (merged["id"], merged["name"]) == (made["shoes"]["id"], "running shoes")
    assert (merged["keyword_count"], merged["total_volume"]) == (10, 4250)
    assert merged["dominant_intent"] == "commercial"
    assert [c["id"] for c in clusters_of(gw, team.owner, sector)] == [made["shoes"]["id"]]
    assert len(ids_of(gw, team.owner, sector, made["shoes"])) == 10
    # The other way round: the listed clusters come into this one.
    split = gw.ok(gw.call("POST", url(merged, "split"), team.owner, json={
        "keyword_ids": ids_of(gw, team.owner, sector, merged)[:3], "name": "Big ones"}), 201)
    back = gw.ok(gw.call("POST", url(split["created"], "merge"), team.owner,
                         json={"cluster_ids": [merged["id"]]}))
    assert (back["id"], back["name"], back["keyword_count"]) == (
        split["created"]["id"], "Big ones", 10)


def test_split_moves_keywords_into_a_new_cluster(gw, team) -> None:
    sector = team.granted_sector
    shoes = clustered_sector(gw, team.owner, sector)["shoes"]
    by_text = {k["keyword"]: k["id"] for k in keywords_of(gw, team.owner, sector)}
    moved = [by_text["cheap running shoes"], by_text["trail running shoes"]]
    split = gw.ok(gw.call("POST", url(shoes, "split"), team.editor,
                          json={"keyword_ids": moved}), 201)
    original, created = split["original"], split["created"]
    assert (original["id"], original["keyword_count"], original["total_volume"]) == (
        shoes["id"], 3, 2100)
    assert created["name"] in ("cheap running shoes", "trail running shoes")
    assert (created["keyword_count"], created["total_volume"], created["average_difficulty"],
            created["sector_id"]) == (2, 300, 20.0, sector["id"])
    assert sorted(ids_of(gw, team.owner, sector, created)) == sorted(moved)
    assert len(clusters_of(gw, team.owner, sector)) == 3


def test_move_keywords_in_and_out(gw, team) -> None:
    sector = team.granted_sector
    made = clustered_sector(gw, team.owner, sector)
    coffee_ids = ids_of(gw, team.owner, sector, made["coffee"])
    moved = gw.ok(gw.call("POST", f"{CLUSTERS}move_keywords/", team.editor,
                          json={"keyword_ids": coffee_ids[:2], "cluster_id": made["shoes"]["id"]}))
    assert moved["count"] == 2
    assert (moved["cluster"]["keyword_count"], moved["cluster"]["total_volume"]) == (7, 3800)
    coffee = gw.ok(gw.call("GET", url(made["coffee"]), team.owner))
    assert (coffee["keyword_count"], coffee["total_volume"]) == (3, 450)
    out = gw.ok(gw.call("POST", f"{CLUSTERS}move_keywords/", team.editor,
                        json={"keyword_ids": coffee_ids[:1], "cluster_id": None}))
    assert (out["count"], out["cluster"]) == (1, None)
    assert gw.ok(gw.call("GET", url(made["shoes"]), team.owner))["keyword_count"] == 6
    unclustered = [k for k in keywords_of(gw, team.owner, sector) if k["cluster_id"] is None]
    assert [k["id"] for k in unclustered] == coffee_ids[:1]


def test_bad_input_is_refused_and_nothing_is_written(gw, team, db) -> None:
    sector = team.granted_sector
    made = clustered_sector(gw, team.owner, sector)
    shoes, coffee = made["shoes"], made["coffee"]
    add_keywords(gw, team.owner, team.other_sector, [("espresso beans", 10, 1, None)])
    foreign_keyword = keywords_of(gw, team.owner, team.other_sector)[0]["id"]
    before = snapshot(gw, team.owner, sector)
    outbox = db.scalar("SELECT count(*) FROM planner.outbox")
    checks = [
        (url(shoes, "split"), {"keyword_ids": []}, "keyword_ids"),
        (url(shoes, "split"), {"keyword_ids": ids_of(gw, team.owner, sector, coffee)[:1]},
         "keyword_ids"),
        (url(shoes, "split"), {"keyword_ids": ids_of(gw, team.owner, sector, shoes)},
         "keyword_ids"),
        (url(shoes, "merge"), {"into_cluster_id": shoes["id"]}, "cluster_ids"),
        (url(shoes, "merge"), {"cluster_ids": [coffee["id"], shoes["id"]]}, "cluster_ids"),
        (url(shoes, "merge"), {}, "non_field_errors"),
        (url(shoes, "merge"), {"into_cluster_id": coffee["id"], "cluster_ids": [coffee["id"]]},
         "non_field_errors"),
        (f"{CLUSTERS}move_keywords/", {"keyword_ids": [foreign_keyword],
                                       "cluster_id": shoes["id"]}, "keyword_ids"),
        (f"{CLUSTERS}move_keywords/", {"keyword_ids": [foreign_keyword]}, "cluster_id"),
    ]
    for path, body, field in checks:
        refused = gw.fail(gw.call("POST", path, team.owner, json=body), 400)
        assert field in refused["errors"], (path, body, refused)
    gw.fail(gw.call("PATCH", url(shoes), team.owner, json={"name": "x" * 256}), 400)
    gw.fail(gw.call("PATCH", url(shoes), team.owner, json={"colour": "red"}), 400)
    assert snapshot(gw, team.owner, sector) == before
    assert db.scalar("SELECT count(*) FROM planner.outbox") == outbox


def test_another_accounts_clusters_are_not_found(gw, team) -> None:
    sector = team.granted_sector
    made = clustered_sector(gw, team.owner, sector)
    shoes, coffee = made["shoes"], made["coffee"]
    keyword_ids = ids_of(gw, team.owner, sector, shoes)
    stranger = gw.register("stranger")
    mine = clustered_sector(gw, stranger, gw.create_sector(
        stranger, gw.create_site(stranger, "Mine", "mine.example.com")["id"]))["shoes"]
    before = snapshot(gw, team.owner, sector)
    gw.fail(gw.call("GET", url(shoes), stranger), 404)
    gw.fail(gw.call("PATCH", url(shoes), stranger, json={"name": "Mine"}), 404)
    gw.fail(gw.call("DELETE", url(shoes), stranger), 404)
    gw.fail(gw.call("POST", url(shoes, "merge"), stranger,
                    json={"into_cluster_id": mine["id"]}), 404)
    gw.fail(gw.call("POST", url(mine, "merge"), stranger, json={"cluster_ids": [coffee["id"]]}),
            404)
    gw.fail(gw.call("POST", url(shoes, "split"), stranger,
                    json={"keyword_ids": keyword_ids[:1]}), 404)
    gw.fail(gw.call("POST", f"{CLUSTERS}move_keywords/", stranger,
                    json={"keyword_ids": keyword_ids[:1], "cluster_id": mine["id"]}), 404)
    gw.fail(gw.call("GET", CLUSTERS, stranger, params={"sector_id": sector["id"]}), 404)
    seen = {c["id"] for c in gw.listing(gw.call("GET", CLUSTERS, stranger))["results"]}
    assert mine["id"] in seen
    assert seen.isdisjoint({shoes["id"], coffee["id"]})
    assert snapshot(gw, team.owner, sector) == before


def test_viewers_cannot_write_and_editors_only_on_granted_sites(gw, team) -> None:
    granted = clustered_sector(gw, team.owner, team.granted_sector)["shoes"]
    other = clustered_sector(gw, team.owner, team.other_sector)["shoes"]
    keyword_ids = ids_of(gw, team.owner, team.granted_sector, granted)
    before = snapshot(gw, team.owner, team.granted_sector)
    writes = [("PATCH", url(granted), {"name": "Viewer was here"}),
              ("DELETE", url(granted), None),
              ("POST", url(granted, "merge"), {"into_cluster_id": other["id"]}),
              ("POST", url(granted, "split"), {"keyword_ids": keyword_ids[:1]}),
              ("POST", f"{CLUSTERS}move_keywords/", {"keyword_ids": keyword_ids[:1],
                                                      "cluster_id": None})]
    for method, path, body in writes:
        gw.fail(gw.call(method, path, team.viewer, json=body), 403)
    assert gw.ok(gw.call("GET", url(granted), team.viewer))["id"] == granted["id"]
    assert snapshot(gw, team.owner, team.granted_sector) == before
    # The editor writes on the granted site only; the other site's clusters are not found.
    gw.fail(gw.call("GET", url(other), team.editor), 404)
    gw.fail(gw.call("PATCH", url(other), team.editor, json={"name": "Editor was here"}), 404)
    gw.fail(gw.call("DELETE", url(other), team.editor), 404)
    gw.fail(gw.call("POST", url(granted, "merge"), team.editor,
                    json={"into_cluster_id": other["id"]}), 404)
    assert gw.ok(gw.call("PATCH", url(granted), team.editor,
                         json={"name": "Editor's"}))["name"] == "Editor's"
    assert gw.ok(gw.call("GET", url(other), team.admin))["name"] == "running shoes"
