"""Helpers for tests that drive the engine against the fake server (here and in services)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from igny8_ai.limits import ProviderLimits, RetryPolicy
from igny8_ai.providers import ProviderConfig

AnswerT = TypeVar("AnswerT")


def fake_provider_config(base_url: str, *, timeout: float = 5.0, max_concurrency: int = 8,
                         max_attempts: int = 4, max_answer_attempts: int = 3,
                         requests_per_minute: int = 100_000, model: str = "gpt-4o-mini") -> ProviderConfig:
    """An openai_compatible config for the fake server, with short backoffs so tests stay fast."""
    return ProviderConfig(
        kind="openai_compatible", name="fake", base_url=base_url, api_key="test-key", model=model,
        timeout_seconds=timeout,
        limits=ProviderLimits(max_concurrency=max_concurrency, requests_per_minute=requests_per_minute,
                              tokens_per_minute=10_000_000),
        retry=RetryPolicy(max_attempts=max_attempts, base_delay_seconds=0.01, max_delay_seconds=0.05,
                          max_answer_attempts=max_answer_attempts),
    )


class RecordingSave(Generic[AnswerT]):
    """A ``save`` callable that records the answers it was given and returns their count."""

    def __init__(self) -> None:
        self.saved: list[AnswerT] = []

    async def __call__(self, answer: AnswerT, request: Any, context: Any) -> int:
        self.saved.append(answer)
        return len(self.saved)
