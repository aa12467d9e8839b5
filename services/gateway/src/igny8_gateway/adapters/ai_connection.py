"""Connection test of an AI provider setting, through the same ``openai`` client the AI engine
uses: one chat completion of at most one token with the chosen model, and what went wrong in
words a user can act on (unreachable, key refused, model unknown)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final, Literal

import openai

from igny8_ai.providers import (
    ChatMessage,
    ChatRequest,
    OpenAICompatibleProvider,
    ProviderConfig,
    ProviderError,
)

TEST_TIMEOUT_SECONDS: Final = 15.0

Outcome = Literal["ok", "unreachable", "authentication_rejected", "model_not_found", "error"]


@dataclass(frozen=True)
class ConnectionReport:
    outcome: Outcome
    message: str
    latency_ms: int | None = None
    model: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


async def reach_provider(config: ProviderConfig) -> ConnectionReport:
    """Reach the provider ``config`` describes once (an offline provider needs no network)."""
    if config.kind == "offline":
        return ConnectionReport("ok", "The offline provider needs no network or key; it writes "
                                "placeholder output.", 0, "offline")
    # The provider makes exactly one attempt (the engine would retry; a test should not).
    config = config.model_copy(update={"timeout_seconds": TEST_TIMEOUT_SECONDS})
    provider = OpenAICompatibleProvider(config)
    started = time.monotonic()
    try:
        answer = await provider.complete(ChatRequest(
            messages=[ChatMessage("user", "Reply with OK.")], max_tokens=1, temperature=0,
            json_mode=False))
    except ProviderError as exc:
        return _failure(exc, config)
    finally:
        await provider.aclose()
    latency = round((time.monotonic() - started) * 1000)
    return ConnectionReport("ok", f"Connected: {config.model} answered in {latency} ms.",
                            latency, answer.model or config.model)


def _failure(error: ProviderError, config: ProviderConfig) -> ConnectionReport:
    cause = error.__cause__
    where = config.base_url or "the OpenAI API"
    if isinstance(cause, openai.APIConnectionError):  # includes timeouts
        return ConnectionReport("unreachable", f"Could not reach {where}: {error.reason}")
    if isinstance(cause, openai.AuthenticationError | openai.PermissionDeniedError):
        return ConnectionReport("authentication_rejected",
                                f"{where} rejected the API key (HTTP {cause.status_code}).")
    if isinstance(cause, openai.NotFoundError):
        return ConnectionReport("model_not_found",
                                f"{where} does not know the model '{config.model}' (or the base "
                                "URL is not an OpenAI-compatible API root).")
    return ConnectionReport("error", f"The provider answered with an error: {error.reason}")
