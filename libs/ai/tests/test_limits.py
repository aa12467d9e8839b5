"""Token buckets, the limiter and the backoff schedule, on a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from igny8_ai.limits import Limiter, ProviderLimits, RetryPolicy, TokenBucket
from igny8_ai.providers import parse_retry_after


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_bucket_refills_at_its_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(capacity=60, clock=clock)  # 1 token a second

    bucket.take(60)
    assert bucket.wait_time(1) == pytest.approx(1.0)
    clock.now += 30
    assert bucket.wait_time(30) == 0
    assert bucket.wait_time(31) == pytest.approx(1.0)
    clock.now += 1000
    assert bucket.level <= 60 and bucket.wait_time(60) == 0  # never above capacity


async def test_requests_per_minute_delays_the_call_over_the_limit() -> None:
    clock = FakeClock()
    limiter = Limiter(ProviderLimits(requests_per_minute=2, tokens_per_minute=1_000_000),
                      clock=clock, sleep=clock.sleep)

    for _ in range(3):
        async with limiter.slot(estimated_tokens=10):
            pass

    assert clock.slept == [pytest.approx(30.0)]  # the third request waits for half a minute


async def test_tokens_are_settled_against_the_actual_use() -> None:
    clock = FakeClock()
    limiter = Limiter(ProviderLimits(requests_per_minute=1000, tokens_per_minute=600),
                      clock=clock, sleep=clock.sleep)

    async with limiter.slot(estimated_tokens=500) as settlement:
        settlement.actual = 100
    assert limiter.tokens.level == pytest.approx(500)  # 400 given back

    async with limiter.slot(estimated_tokens=100) as settlement:
        settlement.actual = 700  # far more than estimated: the bucket goes into debt
    assert limiter.tokens.level == pytest.approx(-200)

    async with limiter.slot(estimated_tokens=100):
        pass
    assert clock.slept == [pytest.approx(30.0)]  # 300 tokens at 10 a second


def test_backoff_is_exponential_bounded_and_jittered() -> None:
    policy = RetryPolicy(base_delay_seconds=1, max_delay_seconds=5, jitter_ratio=0.2)

    delays = [policy.backoff(attempt) for attempt in range(1, 6)]

    for delay, base in zip(delays, [1, 2, 4, 5, 5], strict=True):
        assert base <= delay <= base * 1.2


def test_retry_after_wins_over_the_schedule() -> None:
    policy = RetryPolicy(base_delay_seconds=0.01)

    assert policy.backoff(1, retry_after=7.0) == 7.0


def test_retry_after_headers_are_parsed() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)

    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert 15 < (parse_retry_after({"retry-after": soon}) or 0) <= 20
    assert parse_retry_after({"retry-after": "soon-ish"}) is None
    assert parse_retry_after({}) is None
