"""Idea generation uses the account's own AI provider and prompt: the gateway keeps them, the
planner asks for them (GetAccountAi), opens the key with the shared secrets key and calls the
provider through the openai client. An account without settings keeps the offline default."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from igny8_ai.fake_server import FakeOpenAI
from tests.e2e.idea_fixtures import balance, generated, ideas_of, make_clusters

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]

KEY = "sk-ideas-account-91c2"
MODEL = "fake-ideas-model"
MARK = "ACCOUNT-PROMPT-5d1e"
TEMPLATE = (f"{MARK}: propose {{{{ideas_per_cluster}}}} ideas for each cluster in "
            "<<{{clusters}}>> as JSON.")


def ideas_responder(body: Mapping[str, Any]) -> str:
    """Answers the override's prompt: one idea per cluster it names."""
    prompt = str(body["messages"][-1]["content"])
    clusters = json.loads(re.search(r"<<(.*)>>", prompt, re.DOTALL).group(1))  # type: ignore[union-attr]
    return json.dumps({"ideas": [
        {"cluster": c["name"], "title": f"Provider idea about {c['name']}",
         "description": "Written by the account's provider.", "target_keywords": c["keywords"][:2]}
        for c in clusters]})


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI.running(api_key=KEY, known_models=frozenset({MODEL})) as server:
        server.responder = ideas_responder
        yield server


def test_ideas_come_from_the_accounts_provider_with_its_prompt(gw, db, team, nats_url,
                                                               fake) -> None:
    owner = team.owner
    gw.ok(gw.call("PUT", "/api/v1/system/settings/ai/", owner, json={
        "kind": "openai_compatible", "base_url": fake.base_url, "model": MODEL, "api_key": KEY}))
    gw.ok(gw.call("PUT", "/api/v1/system/prompts/generate_ideas/", owner,
                  json={"template": TEMPLATE}))
    clusters = make_clusters(gw, db, nats_url, owner, team.granted_sector)
    balance(gw, owner)
    before = len(fake.state.records("/chat/completions"))

    operation = generated(gw, owner, clusters, ideas_per_cluster=1)
    assert operation["state"] == "succeeded", operation
    assert operation["result"]["offline"] is False
    assert "offline" not in operation["message"]

    calls = fake.state.records("/chat/completions")[before:]
    assert calls and all(c.status == 200 for c in calls)
    assert {c.authorization for c in calls} == {f"Bearer {KEY}"}
    assert all(c.body["model"] == MODEL for c in calls)
    prompt = calls[-1].body["messages"][-1]["content"]
    assert prompt.startswith(f"{MARK}: propose 1 ideas for each cluster in <<")

    ideas = ideas_of(gw, owner, sector_id=team.granted_sector["id"])
    assert len(ideas) == len(clusters)
    for idea in ideas:
        assert idea["title"] == f"Provider idea about {idea['cluster_name']}"
        assert "offline" not in idea["description"]


def test_an_account_without_settings_still_gets_offline_ideas(gw, db, team, nats_url,
                                                              fake) -> None:
    clusters = make_clusters(gw, db, nats_url, team.owner, team.granted_sector)
    balance(gw, team.owner)
    before = fake.state.request_count
    operation = generated(gw, team.owner, clusters, ideas_per_cluster=1)
    assert operation["state"] == "succeeded", operation
    assert operation["result"]["offline"] is True
    assert "offline provider" in operation["message"]
    assert fake.state.request_count == before
