"""Request rate limits kept in the process (pure: the caller passes the clock).

A token bucket per key: ``burst`` requests at once, then ``per_second`` on average. Memory is
bounded: at most ``max_keys`` buckets are kept, the least recently used forgotten first (a
forgotten bucket starts full again, which only ever errs towards letting a request in).

Being in-process, a limit holds per replica: with N gateway replicas behind a load balancer a
client may get up to N times the configured rate. That suits its one use (shedding floods of
unauthenticated webhooks before they cost the publisher a request and a database lookup);
limits that must hold across replicas need shared state, as login throttling keeps in
PostgreSQL.
"""

from __future__ import annotations

import ipaddress
import math
from collections import OrderedDict
from dataclasses import dataclass


def client_key(address: str) -> str:
    """The bucket key of a client address: an IPv6 client is keyed by its /64 network (one
    subscriber usually holds a whole /64, so rotating addresses inside it gains nothing), an
    IPv4 one (also IPv4-mapped IPv6) by its address; anything else as given."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass(frozen=True)
class RateRule:
    """``burst`` requests at once, refilled at ``per_second``."""

    burst: int
    per_second: float

    def __post_init__(self) -> None:
        if self.burst < 1 or self.per_second <= 0:
            raise ValueError("a rate rule needs burst >= 1 and per_second > 0")


@dataclass
class _Bucket:
    tokens: float
    updated_at: float


class TokenBuckets:
    """One token bucket per key under one ``RateRule``."""

    def __init__(self, rule: RateRule, max_keys: int = 10_000) -> None:
        self.rule = rule
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str, now: float) -> int | None:
        """Spend one token of ``key``'s bucket at ``now`` (monotonic seconds): ``None`` when
        the request may go, else the whole seconds until a token is back (Retry-After)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(float(self.rule.burst), now)
            self._buckets[key] = bucket
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            elapsed = max(0.0, now - bucket.updated_at)
            bucket.tokens = min(float(self.rule.burst),
                                bucket.tokens + elapsed * self.rule.per_second)
            bucket.updated_at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - bucket.tokens) / self.rule.per_second))

    def __len__(self) -> int:
        return len(self._buckets)
