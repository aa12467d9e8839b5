"""Retries of one provider call (chat, embeddings, images), with tenacity.

    attempts = provider_attempts(config.retry, sleep, before_retry)
    try:
        async for attempt in attempts:
            with attempt:
                async with provider_deadline(config.timeout_seconds, "the provider"):
                    return await provider.complete(chat)
    except ProviderError as error:
        ...  # not retryable, or the last attempt: attempts_made(attempts) says how many

A ``ProviderError`` marked retryable (429, 5xx, timeouts, malformed transport answers) is tried
again, ``RetryPolicy.max_attempts`` times in all, after ``RetryPolicy.backoff``: the provider's
Retry-After when it sent one, else exponential with jitter. Anything else propagates at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from igny8_ai.limits import RetryPolicy, Sleep
from igny8_ai.providers import ProviderError

# (the error, the attempt that failed (from 1), seconds until the next one)
BeforeRetry = Callable[[ProviderError, int, float], Awaitable[None]]


def _is_retryable(error: BaseException) -> bool:
    return isinstance(error, ProviderError) and error.retryable


def _failure(state: RetryCallState) -> ProviderError:
    assert state.outcome is not None
    error = state.outcome.exception()
    assert isinstance(error, ProviderError)  # only those are retried
    return error


def provider_attempts(policy: RetryPolicy, sleep: Sleep,
                      before_retry: BeforeRetry | None = None) -> AsyncRetrying:
    def wait(state: RetryCallState) -> float:
        return policy.backoff(state.attempt_number, _failure(state).retry_after)

    async def before_sleep(state: RetryCallState) -> None:
        if before_retry is not None:
            assert state.next_action is not None
            await before_retry(_failure(state), state.attempt_number, state.next_action.sleep)

    return AsyncRetrying(stop=stop_after_attempt(policy.max_attempts), wait=wait,
                         retry=retry_if_exception(_is_retryable), before_sleep=before_sleep,
                         sleep=sleep, reraise=True)


def attempts_made(attempts: AsyncRetrying) -> int:
    number: int = attempts.statistics.get("attempt_number", 0)
    return number


@asynccontextmanager
async def provider_deadline(seconds: float, who: str) -> AsyncIterator[None]:
    """``asyncio.timeout``, the timeout being a retryable ``ProviderError``."""
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError as exc:
        raise ProviderError(f"timeout: {who} did not answer in time", retryable=True) from exc
