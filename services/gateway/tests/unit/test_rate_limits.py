"""Token buckets: a burst, then the sustained rate; Retry-After says when a token is back;
buckets are per key and their number is bounded."""

from __future__ import annotations

import pytest

from igny8_gateway.domain.rate_limits import RateRule, TokenBuckets, client_key


def test_a_burst_passes_then_the_next_request_waits_for_a_token() -> None:
    buckets = TokenBuckets(RateRule(burst=3, per_second=0.5))
    assert [buckets.take("a", 100.0) for _ in range(3)] == [None, None, None]
    assert buckets.take("a", 100.0) == 2  # one token every 2 s
    assert buckets.take("a", 101.0) == 1  # half a token back: one more second
    assert buckets.take("a", 102.0) is None
    assert buckets.take("a", 102.0) == 2


def test_tokens_refill_up_to_the_burst_only() -> None:
    buckets = TokenBuckets(RateRule(burst=2, per_second=10))
    assert buckets.take("a", 0.0) is None
    assert buckets.take("a", 3600.0) is None  # an hour idle still allows only the burst
    assert buckets.take("a", 3600.0) is None
    assert buckets.take("a", 3600.0) == 1


def test_keys_have_their_own_buckets() -> None:
    buckets = TokenBuckets(RateRule(burst=1, per_second=1))
    assert buckets.take("a", 0.0) is None
    assert buckets.take("a", 0.0) == 1
    assert buckets.take("b", 0.0) is None


def test_a_clock_going_backwards_refills_nothing() -> None:
    buckets = TokenBuckets(RateRule(burst=1, per_second=1))
    assert buckets.take("a", 10.0) is None
    assert buckets.take("a", 5.0) == 1


def test_the_least_recently_used_bucket_is_forgotten_beyond_max_keys() -> None:
    buckets = TokenBuckets(RateRule(burst=1, per_second=0.001), max_keys=2)
    buckets.take("a", 0.0)
    buckets.take("b", 0.0)
    assert buckets.take("a", 0.0) is not None  # "a" used last: "b" goes first
    buckets.take("c", 0.0)
    assert len(buckets) == 2
    assert buckets.take("a", 0.0) is not None  # still remembered, still empty
    assert buckets.take("b", 0.0) is None  # forgotten: a full bucket again


@pytest.mark.parametrize(("burst", "per_second"), [(0, 1.0), (1, 0.0), (1, -1.0)])
def test_a_rule_needs_a_burst_and_a_positive_rate(burst: int, per_second: float) -> None:
    with pytest.raises(ValueError, match="burst"):
        RateRule(burst, per_second)


@pytest.mark.parametrize(("address", "key"), [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
    ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("fe80::1%eth0", "fe80::/64"),
    ("unknown", "unknown"),
])
def test_clients_are_keyed_by_address_and_ipv6_by_its_64_network(address: str, key: str) -> None:
    assert client_key(address) == key
