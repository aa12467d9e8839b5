"""Cluster stats follow edits made through the keyword paths: changing a member's volume,
difficulty or intent, deleting a member, and bulk-deleting members recompute the stats of
the clusters those keywords belong to."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.cluster_fixtures import CLUSTERS, clustered_sector
from tests.e2e.planner_fixtures import KEYWORDS, keywords_of

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]

STATS = ("keyword_count", "total_volume", "average_difficulty", "dominant_intent")


def stats(gw: Any, member: Any, cluster: dict[str, Any]) -> dict[str, Any]:
    got = gw.ok(gw.call("GET", f"{CLUSTERS}{cluster['id']}/", member))
    return {name: got[name] for name in STATS}


def by_text(gw: Any, member: Any, sector: dict[str, Any]) -> dict[str, Any]:
    return {k["keyword"]: k for k in keywords_of(gw, member, sector)}


# SHOES: 5 keywords, volume 2400, difficulty 40/50/30/20/None → 35.0, 3 of 5 commercial.
SHOES_BEFORE = {"keyword_count": 5, "total_volume": 2400, "average_difficulty": 35.0,
                "dominant_intent": "commercial"}


def test_patching_a_members_volume_difficulty_and_intent(gw, team) -> None:
    sector = team.granted_sector
    made = clustered_sector(gw, team.owner, sector)
    shoes, coffee = made["shoes"], made["coffee"]
    coffee_before = stats(gw, team.owner, coffee)
    assert stats(gw, team.owner, shoes) == SHOES_BEFORE
    keyword = by_text(gw, team.owner, sector)["running shoes"]
    assert keyword["cluster_id"] == shoes["id"]
    gw.ok(gw.call("PATCH", f"{KEYWORDS}{keyword['id']}/", team.editor, json={"volume": 5000}))
    assert stats(gw, team.owner, shoes) == {**SHOES_BEFORE, "total_volume": 6400}
    # Difficulty 40 → 100: (100+50+30+20)/4; two commercial became one, against two
    # transactional.
    gw.ok(gw.call("PATCH", f"{KEYWORDS}{keyword['id']}/", team.editor,
                  json={"difficulty": 100, "intent": "navigational"}))
    assert stats(gw, team.owner, shoes) == {
        "keyword_count": 5, "total_volume": 6400, "average_difficulty": 50.0,
        "dominant_intent": "commercial"}
    trail = by_text(gw, team.owner, sector)["trail running shoes"]
    gw.ok(gw.call("PATCH", f"{KEYWORDS}{trail['id']}/", team.editor,
                  json={"intent": "transactional", "volume": None}))
    assert stats(gw, team.owner, shoes) == {
        "keyword_count": 5, "total_volume": 6300, "average_difficulty": 50.0,
        "dominant_intent": "transactional"}
    # The other cluster is left alone.
    assert stats(gw, team.owner, coffee) == coffee_before


def test_deleting_a_member(gw, team) -> None:
    sector = team.granted_sector
    shoes = clustered_sector(gw, team.owner, sector)["shoes"]
    keyword = by_text(gw, team.owner, sector)["running shoes"]
    gw.ok(gw.call("DELETE", f"{KEYWORDS}{keyword['id']}/", team.editor))
    # Left: 800/50/commercial, 300/30/transactional, 200/20/transactional, 100/None/commercial.
    assert stats(gw, team.owner, shoes) == {
        "keyword_count": 4, "total_volume": 1400, "average_difficulty": 33.33,
        "dominant_intent": "commercial"}


def test_bulk_deleting_members_of_two_clusters(gw, team) -> None:
    sector = team.granted_sector
    made = clustered_sector(gw, team.owner, sector)
    shoes, coffee = made["shoes"], made["coffee"]
    texts = by_text(gw, team.owner, sector)
    ids = [texts[t]["id"] for t in ("best running shoes", "trail running shoes",
                                    "espresso machine", "espresso machine reviews")]
    gone = gw.ok(gw.call("POST", f"{KEYWORDS}bulk_delete/", team.editor, json={"ids": ids}))
    assert gone["deleted_count"] == 4
    # Shoes left: 1000/40/commercial, 300/30/transactional, 200/20/transactional.
    assert stats(gw, team.owner, shoes) == {
        "keyword_count": 3, "total_volume": 1500, "average_difficulty": 30.0,
        "dominant_intent": "transactional"}
    # Coffee left: 500/70/commercial, 250/None/informational, 150/30/transactional.
    assert stats(gw, team.owner, coffee) == {
        "keyword_count": 3, "total_volume": 900, "average_difficulty": 50.0,
        "dominant_intent": "commercial"}
