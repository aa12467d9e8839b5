"""Embedding many texts through the real openai client against the fake server: batches in
order, unit rows, 429 with Retry-After retried, a provider that keeps failing fails clearly;
the offline provider embeds without a network."""

from __future__ import annotations

import numpy as np
import pytest

from igny8_ai import AIContext, AIEngine, AIFunctionFailed, OfflineProvider
from igny8_ai.deterministic import hashed_embedding
from igny8_ai.embeddings import embed_texts
from igny8_ai.fake_state import Fault, FaultKind

TEXTS = [f"keyword number {i} running shoes" for i in range(7)] + ["yoga mat"]


async def test_batches_come_back_in_order_as_unit_rows(fake, make_provider) -> None:
    provider = make_provider()
    outcome = await embed_texts(AIEngine(), TEXTS, AIContext(account_id="a", provider=provider),
                                batch_size=3)
    matrix = outcome.result
    assert matrix.shape[0] == len(TEXTS)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)
    expected = np.asarray([hashed_embedding(t) for t in TEXTS], dtype=np.float32)
    assert np.allclose(matrix, expected, atol=1e-5)
    assert len(fake.state.records("/embeddings")) == 3
    assert outcome.usage.calls == 3 and outcome.usage.prompt_tokens > 0
    assert not outcome.offline


async def test_rate_limits_are_retried_and_persistent_failures_fail(fake, make_provider) -> None:
    fake.inject(Fault(FaultKind.RATE_LIMIT, retry_after=0.01))
    outcome = await embed_texts(AIEngine(), TEXTS, AIContext(account_id="a",
                                                             provider=make_provider()))
    assert outcome.result.shape[0] == len(TEXTS)
    assert [r.status for r in fake.state.records("/embeddings")] == [429, 200]

    fake.inject(*[Fault(FaultKind.SERVER_ERROR)] * 2)
    with pytest.raises(AIFunctionFailed) as failed:
        await embed_texts(AIEngine(), TEXTS, AIContext(account_id="a",
                                                       provider=make_provider(max_attempts=2)))
    assert "HTTP 500" in failed.value.reason


async def test_the_offline_provider_embeds_without_network() -> None:
    outcome = await embed_texts(AIEngine(), TEXTS, AIContext(account_id="a",
                                                             provider=OfflineProvider()))
    assert outcome.offline and outcome.result.shape[0] == len(TEXTS)
