"""The offline provider: the default, no network, no key, and it says so."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from igny8_ai import (
    OFFLINE_MARK,
    AIContext,
    AIEngine,
    AutoCluster,
    ClusterRequest,
    GenerateIdeas,
    IdeaCluster,
    IdeasRequest,
    Phase,
    ProviderConfig,
    build_provider,
)
from igny8_ai.schemas import ClusteringAnswer, IdeasAnswer
from igny8_ai.testing import RecordingSave


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the offline provider tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_default_provider_is_offline_and_needs_no_key() -> None:
    provider = build_provider(ProviderConfig())

    assert provider.offline and provider.name == "offline"


async def test_offline_clustering_groups_keywords_and_says_it_is_offline(no_network: None) -> None:
    save: RecordingSave[ClusteringAnswer] = RecordingSave()
    progress: list[tuple[Phase, int, str]] = []

    async def on_progress(phase: Phase, percent: int, message: str) -> None:
        progress.append((phase, percent, message))

    keywords = ["running shoes", "trail running shoes", "best running shoes", "yoga mat", "cheap yoga mat"]
    outcome = await AIEngine().run(
        AutoCluster(save=save), ClusterRequest(keywords=keywords),
        AIContext(account_id="acc-1", provider=build_provider(ProviderConfig()), on_progress=on_progress),
    )

    clusters = {c.name: c.keywords for c in save.saved[0].clusters}
    assert clusters == {"Running": ["running shoes", "trail running shoes", "best running shoes"],
                        "Yoga": ["yoga mat", "cheap yoga mat"]}
    assert all(OFFLINE_MARK in c.description for c in save.saved[0].clusters)
    assert outcome.offline and outcome.usage.provider == "offline" and outcome.usage.cost_usd == 0
    assert "offline provider" in progress[-1][2] and progress[-1][:2] == (Phase.DONE, 100)


async def test_offline_ideas_are_deterministic_and_marked(no_network: None) -> None:
    request = IdeasRequest(clusters=[IdeaCluster(name="Running shoes", keywords=["running shoes"])],
                           ideas_per_cluster=2)
    runs = []
    for _ in range(2):
        save: RecordingSave[IdeasAnswer] = RecordingSave()
        await AIEngine().run(GenerateIdeas(save=save), request,
                             AIContext(account_id="acc-1", provider=build_provider(ProviderConfig())))
        runs.append(save.saved[0])

    assert runs[0] == runs[1]
    assert [idea.cluster for idea in runs[0].ideas] == ["Running shoes", "Running shoes"]
    assert all(OFFLINE_MARK in idea.description for idea in runs[0].ideas)


async def test_offline_embeddings_and_images_need_no_network(no_network: None) -> None:
    provider = build_provider(ProviderConfig())

    embeddings = await provider.embed(["running shoes", "shoes for running", "yoga mat"])
    image = await provider.generate_image("a running shoe")

    assert len(embeddings.vectors) == 3 and embeddings.offline
    assert image.png is not None and image.png.startswith(b"\x89PNG") and image.offline
