"""LLM auto-clustering through the gateway (the original system's AI clustering): the
account's provider (the fake OpenAI server, with the account's key) groups, names and
describes clusters using the account's ``auto_cluster`` prompt; one clustering run's credits
reserved and settled; without a provider the offline provider groups them and says so."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from igny8_ai.fake_server import FakeOpenAI
from tests.e2e.cluster_fixtures import COFFEE, SHOES, add_keywords, auto_cluster, clusters_of
from tests.e2e.idea_fixtures import balance
from tests.e2e.planner_fixtures import keywords_of

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]

KEY = "sk-llm-cluster-account-42aa"
MARK = "CLUSTER-PROMPT-9f0c"
TEMPLATE = f"{MARK} Group these keywords: <<{{{{keywords}}}}>> Answer JSON only."


def clusters_responder(body: Mapping[str, Any]) -> str:
    """Groups by topic word; leaves 'trail running shoes' out, as a model sometimes does."""
    prompt = str(body["messages"][-1]["content"])
    keywords = json.loads(re.search(r"<<(.*)>>", prompt, re.DOTALL).group(1))  # type: ignore[union-attr]
    shoes = [k for k in keywords if "shoes" in k and k != "trail running shoes"]
    coffee = [k for k in keywords if "espresso" in k]
    return json.dumps({"clusters": [
        {"name": "Running Shoes", "description": "Buying running shoes.", "keywords": shoes},
        {"name": "Espresso Machines", "description": "Home espresso.", "keywords": coffee}]})


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI.running(api_key=KEY) as server:
        server.responder = clusters_responder
        yield server


def test_llm_clustering_uses_the_accounts_provider_and_prompt(gw, team, fake) -> None:
    owner, sector = team.owner, team.granted_sector
    gw.ok(gw.call("PUT", "/api/v1/system/settings/ai/", owner, json={
        "kind": "openai_compatible", "base_url": fake.base_url, "api_key": KEY}))
    gw.ok(gw.call("PUT", "/api/v1/system/prompts/auto_cluster/", owner,
                  json={"template": TEMPLATE}))
    add_keywords(gw, team.editor, sector, SHOES + COFFEE)
    before = balance(gw, owner)["total_credits"]
    calls_before = len(fake.state.records("/chat/completions"))

    operation = auto_cluster(gw, team.editor, sector, method="llm")
    assert operation["result"] == {"keywords_clustered": 9, "clusters_created": 2,
                                   "clusters_updated": 0, "keywords_left_unclustered": 1,
                                   "offline": False}
    assert "left 1 unclustered" in operation["message"]
    [call] = fake.state.records("/chat/completions")[calls_before:]
    assert call.authorization == f"Bearer {KEY}"
    assert call.body["messages"][-1]["content"].startswith(f"{MARK} Group these keywords: <<")

    clusters = {c["name"]: c for c in clusters_of(gw, team.viewer, sector)}
    assert set(clusters) == {"Running Shoes", "Espresso Machines"}
    assert clusters["Running Shoes"]["description"] == "Buying running shoes."
    assert (clusters["Running Shoes"]["keyword_count"],
            clusters["Espresso Machines"]["keyword_count"]) == (4, 5)
    unclustered = [k["keyword"] for k in keywords_of(gw, owner, sector)
                   if k["cluster_id"] is None]
    assert unclustered == ["trail running shoes"]
    gw.wait_for(lambda: (b := balance(gw, owner))["total_credits"] == before - 10
                and b["held_credits"] == 0, timeout=20)


def test_without_a_provider_the_offline_provider_clusters_and_says_so(gw, team, fake) -> None:
    sector = team.granted_sector
    add_keywords(gw, team.owner, sector, SHOES + COFFEE)
    requests = fake.state.request_count
    operation = auto_cluster(gw, team.owner, sector, method="llm")
    assert operation["result"]["offline"] is True
    assert operation["result"]["keywords_clustered"] == 10
    assert "offline provider" in operation["message"]
    assert fake.state.request_count == requests
    assert all("[offline provider]" in c["description"]
               for c in clusters_of(gw, team.owner, sector))
