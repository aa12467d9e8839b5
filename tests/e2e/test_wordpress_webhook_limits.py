"""The public webhook's rate limits, through the gateway with the real publisher behind it:
one client address (an IPv6 client's whole /64), and one integration id from any address, get
a burst and then 429 with Retry-After in the unified format, decided by the gateway before the
publisher is asked (a correctly signed delivery refused there is never recorded); other
addresses and integrations are unaffected, and the integration delivers again once
Retry-After has passed.

Client addresses are fresh documentation-range addresses in X-Forwarded-For (the gateway's
uvicorn trusts it from 127.0.0.1), so no other test's deliveries share these buckets."""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable

import httpx
import pytest

from igny8_gateway.entrypoints.webhook_settings import BridgeSettings
from igny8_publisher.domain.webhooks import ConnectionKeyParts
from tests.e2e.conftest import Database, Gateway, Team
from tests.e2e.webhook_fixtures import connected, deliver, status_body, written

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("publisher")]

LIMITS = BridgeSettings()  # the gateway's (same environment, no overrides in the tests)


def fresh_address(host: str | None = None) -> str:
    """An address in a fresh /64 (``host`` given: ``<that /64>::<host>``)."""
    suffix = uuid.uuid4().hex
    return f"2001:db8:{suffix[:4]}:{suffix[4:8]}::{host or suffix[8:12]}"


def refused_after(send: Callable[[], httpx.Response], expected_status: int, burst: int,
                  per_second: float) -> tuple[int, httpx.Response]:
    """Call ``send()`` until the gateway answers 429: how many went through (each answered
    ``expected_status`` by the publisher) and the 429. Fails if the limit comes before the
    burst or long after what the burst and the refill since the first call allow."""
    started = time.monotonic()
    passed = 0
    while True:
        response = send()
        if response.status_code == 429:
            break
        assert response.status_code == expected_status, response.text
        passed += 1
        allowed = burst + math.ceil((time.monotonic() - started) * per_second) + 1
        assert passed <= allowed, f"no limit after {passed} requests"
    assert passed >= burst
    return passed, response


def assert_throttled(gw: Gateway, response: httpx.Response, per_second: float) -> int:
    body = gw.fail(response, 429)
    assert "retry later" in body["error"].lower()
    wait = int(response.headers["Retry-After"])
    assert 1 <= wait <= math.ceil(1 / per_second)
    return wait


def test_one_client_address_is_limited_before_the_publisher_is_asked(
    gw: Gateway, team: Team, api: httpx.Client, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    address = fresh_address("1")
    neighbour = address.replace("::1", "::2")  # same /64: the same client
    body = status_body(str(uuid.uuid4()))

    def unknown_integration() -> httpx.Response:  # each a fresh integration id: its own bucket
        return deliver(api, parts, body, integration_id=str(uuid.uuid4()),
                       client_address=address)

    _, refused = refused_after(unknown_integration, 404, LIMITS.webhook_burst_per_address,
                               LIMITS.webhook_rate_per_address)
    assert_throttled(gw, refused, LIMITS.webhook_rate_per_address)

    for same_client in (address, neighbour):
        assert_throttled(gw, deliver(api, parts, body, client_address=same_client),
                         LIMITS.webhook_rate_per_address)
    assert written(db, parts.integration_id) == (0, 0)  # the publisher never saw it

    receipt = gw.ok(deliver(api, parts, body, client_address=fresh_address()))
    assert receipt["ignored"] is True  # received (the post is not one IGNY8 published)
    assert written(db, parts.integration_id) == (1, 0)


def test_one_integration_is_limited_from_any_address_and_recovers_after_retry_after(
    gw: Gateway, team: Team, api: httpx.Client, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    body = status_body(str(uuid.uuid4()))

    def forged() -> httpx.Response:
        return deliver(api, parts, body, secret="not-the-secret", client_address=fresh_address())

    _, refused = refused_after(forged, 401, LIMITS.webhook_burst_per_integration,
                               LIMITS.webhook_rate_per_integration)
    assert_throttled(gw, refused, LIMITS.webhook_rate_per_integration)

    # Correctly signed, from yet another address, the id spelled in capitals: still limited,
    # and nothing reached the publisher.
    shouted = deliver(api, parts, body, integration_id=str(parts.integration_id).upper(),
                      client_address=fresh_address())
    wait = assert_throttled(gw, shouted, LIMITS.webhook_rate_per_integration)
    assert written(db, parts.integration_id) == (0, 0)

    other: ConnectionKeyParts = connected(gw, team.owner, team.other_site["id"])
    gw.ok(deliver(api, other, status_body(str(uuid.uuid4())), client_address=fresh_address()))

    time.sleep(wait)
    gw.ok(deliver(api, parts, body, client_address=fresh_address()))
    assert written(db, parts.integration_id) == (1, 0)
