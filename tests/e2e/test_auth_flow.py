"""Signing up, in, around and out through the gateway; the balance answered by billing."""

from __future__ import annotations

import time

import pytest

from igny8_contracts.billing import default_plan

pytestmark = pytest.mark.e2e


def test_register_login_me_and_balance_within_seconds(gw, db) -> None:
    started = time.monotonic()
    email = gw.unique_email("Founder").upper()
    registered = gw.ok(gw.call("POST", "/api/v1/auth/register/", json={
        "email": email, "password": gw.password, "account_name": "Acme SEO",
        "first_name": "Ada", "last_name": "Lovelace",
    }), 201)
    user = registered["user"]
    assert user["email"] == email.lower()
    assert (user["first_name"], user["last_name"], user["role"]) == ("Ada", "Lovelace", "owner")
    assert user["is_active"] is True
    assert user["account"]["name"] == "Acme SEO"
    assert user["account"]["plan_slug"] == default_plan().slug
    assert registered["access"] != registered["refresh"]

    signed_in = gw.login(email.lower())
    me = gw.ok(gw.call("GET", "/api/v1/auth/me/", signed_in))
    assert me == user

    def balance() -> dict | None:
        response = gw.call("GET", "/api/v1/billing/balance/", signed_in)
        return gw.ok(response) if response.status_code == 200 else None

    opened = gw.wait_for(balance, timeout=15)
    assert opened["account_id"] == user["account"]["id"]
    assert opened["plan_slug"] == default_plan().slug
    assert opened["total_credits"] == default_plan().monthly_credits == 100
    assert time.monotonic() - started < 15

    # The account, its owner and both identity events were written together.
    assert db.scalar("SELECT password_hash FROM gateway.users WHERE id = :id",
                     id=user["id"]).startswith("$argon2id$")
    subjects = set(db.scalars("SELECT subject FROM gateway.outbox WHERE payload->>'account_id'"
                              " = :a", a=user["account"]["id"]))
    assert subjects == {"evt.gateway.account.created.v1", "evt.gateway.user.added.v1"}


def test_wrong_password_is_401_without_saying_which_part_was_wrong(gw) -> None:
    owner = gw.register()
    wrong = gw.fail(gw.call("POST", "/api/v1/auth/login/",
                            json={"email": owner.email, "password": "Wrong-Horse-42!"}), 401)
    unknown = gw.fail(gw.call("POST", "/api/v1/auth/login/",
                              json={"email": gw.unique_email(), "password": gw.password}), 401)
    assert wrong["error"] == unknown["error"]


def test_refresh_rotates_and_the_new_pair_works(gw) -> None:
    owner = gw.register()
    pair = gw.ok(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": owner.refresh}))
    assert pair["refresh"] != owner.refresh
    assert pair["user"]["id"] == owner.id
    me = gw.call("GET", "/api/v1/auth/me/", headers={"Authorization": f"Bearer {pair['access']}"})
    assert gw.ok(me)["id"] == owner.id
    again = gw.ok(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": pair["refresh"]}))
    assert again["refresh"] not in (pair["refresh"], owner.refresh)


def test_logout_revokes_the_sign_in(gw) -> None:
    owner = gw.register()
    gw.ok(gw.call("POST", "/api/v1/auth/logout/", json={"refresh": owner.refresh}))
    gw.fail(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": owner.refresh}), 401)
    # Another sign-in of the same user is a different family and keeps working.
    other = gw.login(owner.email)
    gw.ok(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": other.refresh}))


def test_deactivated_user_is_locked_out_at_once(gw, team) -> None:
    gw.ok(gw.call("DELETE", f"/api/v1/auth/users/{team.editor.id}/", team.owner))
    response = gw.call("GET", "/api/v1/auth/me/", team.editor)
    gw.fail(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    gw.fail(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": team.editor.refresh}), 401)
    gw.fail(gw.call("POST", "/api/v1/auth/login/",
                    json={"email": team.editor.email, "password": gw.password}), 401)


def test_role_change_takes_effect_without_signing_in_again(gw, team) -> None:
    gw.fail(gw.call("GET", "/api/v1/auth/users/", team.viewer), 403)
    gw.ok(gw.call("PATCH", f"/api/v1/auth/users/{team.viewer.id}/", team.owner,
                  json={"role": "admin"}))
    assert gw.listing(gw.call("GET", "/api/v1/auth/users/", team.viewer))["count"] == 4


def test_request_id_is_echoed_and_openapi_is_served(gw) -> None:
    response = gw.call("GET", "/api/v1/auth/me/", headers={"X-Request-ID": "trace-me-123"})
    assert gw.fail(response, 401)["request_id"] == "trace-me-123"
    schema = gw.client.get("/openapi.json").json()
    for path in ("/api/v1/auth/register/", "/api/v1/auth/login/", "/api/v1/auth/refresh/",
                 "/api/v1/auth/logout/", "/api/v1/auth/me/", "/api/v1/auth/users/",
                 "/api/v1/auth/sites/{site_id}/", "/api/v1/auth/sectors/",
                 "/api/v1/auth/site-access/", "/api/v1/billing/balance/"):
        assert path in schema["paths"], path
    assert gw.client.get("/docs").status_code == 200
