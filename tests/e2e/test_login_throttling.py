"""Failed sign-ins are throttled per email (5 per 15 minutes) and per client address (20):
429 with Retry-After, even for the right password."""

from __future__ import annotations

import uuid

import pytest

from igny8_gateway.settings import GatewaySettings

pytestmark = pytest.mark.e2e

SETTINGS = GatewaySettings()
LOGIN = "/api/v1/auth/login/"


def _client_address() -> dict[str, str]:
    """A fresh documentation-range address (uvicorn trusts X-Forwarded-For from 127.0.0.1),
    so these failures count against no other test's address."""
    suffix = uuid.uuid4().hex
    return {"X-Forwarded-For": f"2001:db8:{suffix[:4]}:{suffix[4:8]}::{suffix[8:12]}"}


def _login(gw, email: str, password: str, address: dict[str, str]):
    return gw.call("POST", LOGIN, headers=address, json={"email": email, "password": password})


def _assert_throttled(gw, response) -> None:
    gw.fail(response, 429)
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= SETTINGS.login_window_seconds


def test_too_many_failures_for_one_email(gw) -> None:
    owner = gw.register()
    address = _client_address()
    for _ in range(SETTINGS.login_max_failures_per_email):
        gw.fail(_login(gw, owner.email, "Wrong-Horse-42!", address), 401)
    _assert_throttled(gw, _login(gw, owner.email, gw.password, address))
    # Case or another address does not get around it.
    _assert_throttled(gw, _login(gw, owner.email.upper(), gw.password, _client_address()))
    # Other accounts sign in as usual; tokens already issued keep working.
    other = gw.register()
    gw.ok(_login(gw, other.email, gw.password, address))
    gw.ok(gw.call("GET", "/api/v1/auth/me/", owner))


def test_a_success_forgets_earlier_failures_of_that_email(gw) -> None:
    owner = gw.register()
    address = _client_address()
    for _ in range(2):
        for _ in range(SETTINGS.login_max_failures_per_email - 1):
            gw.fail(_login(gw, owner.email, "Wrong-Horse-42!", address), 401)
        gw.ok(_login(gw, owner.email, gw.password, address))


def test_too_many_failures_from_one_address(gw) -> None:
    owner = gw.register()
    address = _client_address()
    for _ in range(SETTINGS.login_max_failures_per_ip):
        gw.fail(_login(gw, gw.unique_email("guess"), "Wrong-Horse-42!", address), 401)
    _assert_throttled(gw, _login(gw, owner.email, gw.password, address))
    gw.ok(_login(gw, owner.email, gw.password, _client_address()))
