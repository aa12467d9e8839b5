"""Concurrency and rate limits per (provider, account), and retries with backoff.

A ``Limiter`` holds a concurrency semaphore and two token buckets: requests per minute and
tokens per minute. Token use is not known before a call, so a call takes an estimate up front
and settles the difference once the provider has reported its usage (the bucket may go below
zero, which delays later calls until it has refilled).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class ProviderLimits(BaseModel):
    max_concurrency: int = Field(default=8, ge=1)
    requests_per_minute: int = Field(default=500, ge=1)
    tokens_per_minute: int = Field(default=200_000, ge=1)


class RetryPolicy(BaseModel):
    """Bounded retries: transport errors (429, 5xx, timeouts) and unusable answers alike."""

    max_attempts: int = Field(default=4, ge=1)
    base_delay_seconds: float = Field(default=0.5, ge=0)
    max_delay_seconds: float = Field(default=30.0, ge=0)
    jitter_ratio: float = Field(default=0.2, ge=0, le=1)
    # Answers that are truncated or malformed are retried at most this many times in total.
    max_answer_attempts: int = Field(default=3, ge=1)

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 1).

        A Retry-After from the provider wins over our own schedule: waiting less would only
        earn another 429.
        """
        if retry_after is not None:
            return max(0.0, retry_after)
        delay: float = min(self.max_delay_seconds, self.base_delay_seconds * 2.0 ** (attempt - 1))
        return delay + random.uniform(0, delay * self.jitter_ratio)


@dataclass
class TokenBucket:
    """``capacity`` tokens, refilled continuously at ``capacity`` per ``period`` seconds."""

    capacity: float
    period: float = 60.0
    clock: Clock = time.monotonic
    level: float = field(init=False)
    updated: float = field(init=False)

    def __post_init__(self) -> None:
        self.level = self.capacity
        self.updated = self.clock()

    @property
    def rate(self) -> float:
        return self.capacity / self.period

    def _refill(self) -> None:
        now = self.clock()
        self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self, amount: float) -> float:
        """Seconds until ``amount`` tokens are available (0 if they are now)."""
        self._refill()
        needed = min(amount, self.capacity) - self.level
        return max(0.0, needed / self.rate)

    def take(self, amount: float) -> None:
        self._refill()
        self.level -= amount

    def give_back(self, amount: float) -> None:
        self._refill()
        self.level = min(self.capacity, self.level + amount)

    async def acquire(self, amount: float, sleep: Sleep = asyncio.sleep) -> float:
        """Wait until ``amount`` tokens are there and take them; returns the seconds waited."""
        waited = 0.0
        while (delay := self.wait_time(amount)) > 0:
            await sleep(delay)
            waited += delay
        self.take(amount)
        return waited


class Limiter:
    def __init__(self, limits: ProviderLimits, clock: Clock = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.limits = limits
        self._semaphore = asyncio.Semaphore(limits.max_concurrency)
        self.requests = TokenBucket(limits.requests_per_minute, clock=clock)
        self.tokens = TokenBucket(limits.tokens_per_minute, clock=clock)
        self._sleep = sleep
        self.in_flight = 0

    @asynccontextmanager
    async def slot(self, estimated_tokens: int) -> AsyncIterator[TokenSettlement]:
        """Hold one concurrency slot for one call; settle the real token use via the result."""
        async with self._semaphore:
            await self.requests.acquire(1, self._sleep)
            await self.tokens.acquire(estimated_tokens, self._sleep)
            settlement = TokenSettlement(estimated_tokens)
            self.in_flight += 1
            try:
                yield settlement
            finally:
                self.in_flight -= 1
                if settlement.actual is not None:
                    difference = estimated_tokens - settlement.actual
                    if difference > 0:
                        self.tokens.give_back(difference)
                    else:
                        self.tokens.take(-difference)


@dataclass
class TokenSettlement:
    estimated: int
    actual: int | None = None


class LimiterRegistry:
    """One limiter per (provider, account), created on first use."""

    def __init__(self, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        self._limiters: dict[tuple[str, str], Limiter] = {}
        self._clock = clock
        self._sleep = sleep

    def get(self, provider: str, account_id: str, limits: ProviderLimits) -> Limiter:
        key = (provider, account_id)
        limiter = self._limiters.get(key)
        if limiter is None or limiter.limits != limits:
            limiter = Limiter(limits, self._clock, self._sleep)
            self._limiters[key] = limiter
        return limiter
