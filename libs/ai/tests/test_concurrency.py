"""Concurrency limits per (provider, account), observed by the fake server."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from igny8_ai import AIContext, AIEngine, AutoCluster, ClusterRequest
from igny8_ai.fake_server import FakeOpenAI
from igny8_ai.providers import OpenAICompatibleProvider
from igny8_ai.schemas import ClusteringAnswer
from igny8_ai.testing import RecordingSave

ProviderFactory = Callable[..., OpenAICompatibleProvider]
REQUEST = ClusterRequest(keywords=["running shoes", "yoga mat"])


async def test_calls_in_flight_never_exceed_the_limit(
    fake: FakeOpenAI, make_provider: ProviderFactory
) -> None:
    fake.set_latency(0.05)
    provider = make_provider(max_concurrency=5)
    engine = AIEngine()
    save: RecordingSave[ClusteringAnswer] = RecordingSave()

    await asyncio.gather(*(
        engine.run(AutoCluster(save=save), REQUEST, AIContext(account_id="acc-1", provider=provider))
        for _ in range(40)
    ))

    assert fake.state.request_count == 40 and len(save.saved) == 40
    # Exactly the limit: the calls did run concurrently, and never more than allowed.
    assert fake.state.max_in_flight == 5


async def test_each_account_has_its_own_limit(fake: FakeOpenAI, make_provider: ProviderFactory) -> None:
    fake.set_latency(0.05)
    provider = make_provider(max_concurrency=3)
    engine = AIEngine()
    save: RecordingSave[ClusteringAnswer] = RecordingSave()

    await asyncio.gather(*(
        engine.run(AutoCluster(save=save), REQUEST,
                   AIContext(account_id=f"acc-{index % 2}", provider=provider))
        for index in range(24)
    ))

    assert fake.state.max_in_flight == 6
