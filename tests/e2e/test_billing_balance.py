"""``GET /api/v1/billing/balance/`` is answered by billing over request/reply: its answers
pass through in the unified format, and with billing down it is 503 + Retry-After at once."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from igny8_gateway.adapters.tokens import KeyRing, TokenService
from igny8_gateway.settings import GatewaySettings

pytestmark = pytest.mark.e2e


def test_billing_errors_pass_through_in_unified_format(gw, db, jwt_key_dir) -> None:
    # An account billing never heard of: written straight to the gateway's tables, so no
    # AccountCreated event ever reaches billing and its "no balance" answer is certain.
    account_id, user_id = uuid.uuid4(), uuid.uuid4()
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO gateway.accounts (id, name, plan_slug, max_sites, max_users, is_active)"
            " VALUES (:id, 'Silent', 'free', 3, 5, true)"), {"id": account_id})
        conn.execute(text(
            "INSERT INTO gateway.users (id, account_id, email, password_hash, role, first_name,"
            " last_name, is_active) VALUES (:id, :account, :email, '', 'owner', '', '', true)"),
            {"id": user_id, "account": account_id, "email": gw.unique_email("silent")})
    settings = GatewaySettings()
    tokens = TokenService(KeyRing.load(jwt_key_dir), issuer=settings.jwt_issuer,
                          audience=settings.jwt_audience, clock=lambda: datetime.now(UTC))
    access = tokens.issue_access(user_id, account_id, "owner")
    response = gw.call("GET", "/api/v1/billing/balance/",
                       headers={"Authorization": f"Bearer {access}"})
    assert "balance" in gw.fail(response, 404)["error"].lower()


def test_balance_needs_a_signed_in_user(gw) -> None:
    gw.fail(gw.call("GET", "/api/v1/billing/balance/"), 401)


def test_balance_is_503_with_retry_after_while_billing_is_down(gw, billing) -> None:
    owner = gw.register()
    gw.wait_for(lambda: gw.call("GET", "/api/v1/billing/balance/", owner).status_code == 200,
                timeout=15)
    billing.terminate()
    try:
        started = time.monotonic()
        response = gw.call("GET", "/api/v1/billing/balance/", owner)
        elapsed = time.monotonic() - started
        gw.fail(response, 503)
        assert int(response.headers["retry-after"]) > 0
        assert elapsed < 5, f"took {elapsed:.1f}s"
        # Identity keeps working without billing.
        gw.ok(gw.call("GET", "/api/v1/auth/me/", owner))
    finally:
        billing.start().wait_ready(60)
    gw.wait_for(lambda: gw.call("GET", "/api/v1/billing/balance/", owner).status_code == 200,
                timeout=15)
