"""Usage and cost per operation, and the progress reported through the phases."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from igny8_ai import AIContext, AIEngine, AutoCluster, ClusterRequest, Phase, cost_usd
from igny8_ai.fake_server import FakeOpenAI
from igny8_ai.providers import OpenAICompatibleProvider
from igny8_ai.schemas import ClusteringAnswer
from igny8_ai.testing import RecordingSave
from igny8_ai.usage import UsageRecord

ProviderFactory = Callable[..., OpenAICompatibleProvider]


def test_cost_follows_the_price_table() -> None:
    assert cost_usd("gpt-4o-mini", 1_000_000, 1_000_000) == Decimal("0.75")
    assert cost_usd("gpt-4o-mini-2024-07-18", 2_000, 0) == Decimal("0.0003")
    assert cost_usd("some-local-llama", 10, 10) is None


def test_an_unpriced_model_is_flagged_not_guessed() -> None:
    usage = UsageRecord(operation_id="op", operation_type="auto_cluster", account_id="a",
                        provider="p", model="some-local-llama")
    usage.add_call("some-local-llama", 100, 50)

    assert usage.cost_usd == 0 and not usage.priced and usage.total_tokens == 150


async def test_usage_records_the_tokens_the_provider_reported(
    fake: FakeOpenAI, make_provider: ProviderFactory
) -> None:
    progress: list[tuple[Phase, int]] = []

    async def on_progress(phase: Phase, percent: int, message: str) -> None:
        progress.append((phase, percent))

    outcome = await AIEngine().run(
        AutoCluster(save=RecordingSave[ClusteringAnswer]()), ClusterRequest(keywords=["running shoes"]),
        AIContext(account_id="acc-9", provider=make_provider(), operation_id="op-1", on_progress=on_progress),
    )

    usage = outcome.usage
    assert (usage.operation_id, usage.operation_type, usage.account_id) == ("op-1", "auto_cluster", "acc-9")
    assert usage.provider == "fake" and usage.model == "gpt-4o-mini" and usage.calls == 1
    assert usage.prompt_tokens > 100 and usage.completion_tokens > 10  # the fake's own counts
    assert usage.cost_usd == cost_usd("gpt-4o-mini", usage.prompt_tokens, usage.completion_tokens) > 0
    assert usage.succeeded and usage.priced
    assert progress == [(Phase.INIT, 0), (Phase.PREP, 10), (Phase.AI_CALL, 25), (Phase.PARSE, 60),
                        (Phase.SAVE, 80), (Phase.DONE, 100)]
