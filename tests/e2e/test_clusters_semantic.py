"""Semantic auto-clustering through the gateway: keywords embedded by the account's provider
(the fake OpenAI server, through the openai client, with the account's key), grouped and named
like the local method, new keywords joining existing clusters, one clustering run's credits
reserved first and settled after; an account without a provider embeds offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from igny8_ai.fake_server import FakeOpenAI
from tests.e2e.cluster_fixtures import (
    COFFEE,
    SHOES,
    add_keywords,
    auto_cluster,
    clusters_of,
    start_auto_cluster,
)
from tests.e2e.idea_fixtures import balance
from tests.e2e.planner_fixtures import finished

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]

KEY = "sk-semantic-account-3b7a"
EMBEDDING_MODEL = "fake-embedding-1"
CLUSTERING_RUN_CREDITS = 10


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI.running(api_key=KEY,
                            known_models=frozenset({"fake-chat", EMBEDDING_MODEL})) as server:
        yield server


def settled(gw, member, expected_total: int) -> dict:
    return gw.wait_for(lambda: (b := balance(gw, member))["total_credits"] == expected_total
                       and b["held_credits"] == 0 and b, timeout=20)


def test_semantic_clustering_uses_the_accounts_embeddings(gw, team, fake) -> None:
    owner, sector = team.owner, team.granted_sector
    gw.ok(gw.call("PUT", "/api/v1/system/settings/ai/", owner, json={
        "kind": "openai_compatible", "base_url": fake.base_url, "model": "fake-chat",
        "embedding_model": EMBEDDING_MODEL, "api_key": KEY}))
    add_keywords(gw, team.editor, sector, SHOES + COFFEE)
    before = balance(gw, owner)["total_credits"]
    calls_before = len(fake.state.records("/embeddings"))

    operation = auto_cluster(gw, team.editor, sector, method="semantic")
    assert operation["result"] == {"keywords_clustered": 10, "clusters_created": 2,
                                   "clusters_updated": 0}
    calls = fake.state.records("/embeddings")[calls_before:]
    assert calls and {c.status for c in calls} == {200}
    assert {c.authorization for c in calls} == {f"Bearer {KEY}"}
    assert {c.body["model"] for c in calls} == {EMBEDDING_MODEL}
    assert sorted(text for c in calls for text in c.body["input"]) == sorted(
        k[0] for k in SHOES + COFFEE)
    clusters = {c["name"]: c for c in clusters_of(gw, team.viewer, sector)}
    assert set(clusters) == {"running shoes", "espresso machine"}
    assert clusters["running shoes"]["keyword_count"] == 5
    settled(gw, owner, before - CLUSTERING_RUN_CREDITS)

    # a new keyword joins its topic's cluster; the existing members are embedded again
    add_keywords(gw, team.editor, sector, [("running shoes for flat feet", 90, 35, None)])
    grown = auto_cluster(gw, team.editor, sector, method="semantic")
    assert grown["result"] == {"keywords_clustered": 1, "clusters_created": 0,
                               "clusters_updated": 1}
    clusters = {c["name"]: c for c in clusters_of(gw, team.viewer, sector)}
    assert clusters["running shoes"]["keyword_count"] == 6
    settled(gw, owner, before - 2 * CLUSTERING_RUN_CREDITS)


def test_a_rejected_key_fails_the_run_and_releases_the_credits(gw, team, fake) -> None:
    owner, sector = team.owner, team.granted_sector
    gw.ok(gw.call("PUT", "/api/v1/system/settings/ai/", owner, json={
        "kind": "openai_compatible", "base_url": fake.base_url,
        "embedding_model": EMBEDDING_MODEL, "api_key": "sk-wrong-key"}))
    add_keywords(gw, owner, sector, SHOES)
    before = balance(gw, owner)["total_credits"]
    accepted = gw.ok(start_auto_cluster(gw, owner, sector, method="semantic"), 202)
    operation = finished(gw, owner, accepted["operation_id"])
    assert operation["state"] == "failed"
    assert "HTTP 401" in operation["error"]
    assert clusters_of(gw, owner, sector) == []
    settled(gw, owner, before)


def test_without_a_provider_semantic_clustering_embeds_offline(gw, team, fake) -> None:
    sector = team.granted_sector
    add_keywords(gw, team.owner, sector, SHOES + COFFEE)
    requests = fake.state.request_count
    operation = auto_cluster(gw, team.owner, sector, method="semantic")
    assert operation["result"]["clusters_created"] == 2
    assert fake.state.request_count == requests


def test_viewers_cannot_start_semantic_clustering(gw, team) -> None:
    gw.fail(start_auto_cluster(gw, team.viewer, team.granted_sector, method="semantic"), 403)
