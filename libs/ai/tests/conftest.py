"""One fake OpenAI server for the session (reset before each test), and providers pointing at it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

import pytest

from igny8_ai.fake_server import FakeOpenAI, default_responder
from igny8_ai.providers import OpenAICompatibleProvider
from igny8_ai.schemas import ClusteringAnswer
from igny8_ai.testing import RecordingSave, fake_provider_config

CLUSTERS = {"clusters": [
    {"name": "Running shoes", "description": "Shoes for running",
     "keywords": ["running shoes", "trail running shoes", "best running shoes"]},
    {"name": "Yoga mats", "description": "Mats", "keywords": ["yoga mat", "cheap yoga mat"]},
]}


def clustering_responder(body: Mapping[str, Any]) -> str:
    return json.dumps(CLUSTERS)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI.running(latency=0.0) as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    fake_server.state.reset()
    fake_server.set_latency(0.0)
    fake_server.responder = clustering_responder
    yield fake_server
    fake_server.state.reset()
    fake_server.responder = default_responder


ProviderFactory = Callable[..., OpenAICompatibleProvider]


@pytest.fixture
async def make_provider(fake: FakeOpenAI) -> AsyncIterator[ProviderFactory]:
    made: list[OpenAICompatibleProvider] = []

    def build(**options: Any) -> OpenAICompatibleProvider:
        provider = OpenAICompatibleProvider(fake_provider_config(fake.base_url, **options))
        made.append(provider)
        return provider

    yield build
    for provider in made:
        await provider.aclose()


@pytest.fixture
def recorder() -> RecordingSave[ClusteringAnswer]:
    return RecordingSave()
