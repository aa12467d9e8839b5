"""The web app in a real Chromium against the real gateway and billing (web/e2e/journey.mjs:
sign up → site and sector → listed → reload → sign out, axe-core on every page, screenshots
under build/test-artifacts/web/), and the refresh-token cookie through the real auth routes."""

from __future__ import annotations

import httpx
import pytest

from igny8_devtools.testing import ServiceProcess
from tests.e2e.browser import WEB, missing, run_browser_script
from tests.e2e.conftest import PASSWORD, Gateway

pytestmark = pytest.mark.e2e

OPT_IN = {"X-IGNY8-Refresh-Cookie": "1"}


def test_first_visit_in_chromium(gateway: ServiceProcess, billing: ServiceProcess) -> None:
    shots = run_browser_script("journey", gateway)
    assert len(shots) >= 7, shots


def test_index_and_assets_as_served(gateway: ServiceProcess, api: httpx.Client) -> None:
    if not (WEB / "dist" / "index.html").is_file():
        missing("web app not built: .venv/bin/python scripts/build_web.py")
    index = api.get("/planner/keywords")
    assert index.status_code == 200
    assert index.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in index.headers["content-security-policy"]
    asset = next(p for p in (WEB / "dist" / "assets").glob("index-*.js"))
    served = api.get(f"/assets/{asset.name}", headers={"Accept-Encoding": "gzip"})
    assert served.status_code == 200
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers.get("content-encoding") == "gzip"
    assert served.content == asset.read_bytes()


def test_refresh_cookie_through_the_real_auth_routes(gw: Gateway) -> None:
    owner = gw.register("cookie")
    with httpx.Client(base_url=str(gw.client.base_url), timeout=20.0) as browser:
        login = browser.post("/api/v1/auth/login/", headers=OPT_IN,
                             json={"email": owner.email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        assert "refresh" not in login.json()["data"]
        first = browser.cookies["igny8_refresh"]

        refreshed = browser.post("/api/v1/auth/refresh/", headers=OPT_IN, json={"refresh": ""})
        assert refreshed.status_code == 200, refreshed.text
        assert "refresh" not in refreshed.json()["data"]
        second = browser.cookies["igny8_refresh"]
        assert second != first
        me = browser.get("/api/v1/auth/me/",
                         headers={"Authorization": f"Bearer {refreshed.json()['data']['access']}"})
        assert me.json()["data"]["email"] == owner.email

        # The spent token presented again (a stolen copy): refused, the cookie cleared, and
        # the whole sign-in revoked, so the current token is refused too.
        browser.cookies.clear()
        browser.cookies.set("igny8_refresh", first)
        reused = browser.post("/api/v1/auth/refresh/", headers=OPT_IN, json={})
        assert reused.status_code == 401
        assert "igny8_refresh=;" in reused.headers["set-cookie"]
        browser.cookies.clear()
        browser.cookies.set("igny8_refresh", second)
        current = browser.post("/api/v1/auth/refresh/", headers=OPT_IN, json={})
        assert current.status_code == 401

    with httpx.Client(base_url=str(gw.client.base_url), timeout=20.0) as browser:
        browser.post("/api/v1/auth/login/", headers=OPT_IN,
                     json={"email": owner.email, "password": PASSWORD}).raise_for_status()
        token = browser.cookies["igny8_refresh"]
        logout = browser.post("/api/v1/auth/logout/", headers=OPT_IN, json={"refresh": ""})
        assert logout.status_code == 200, logout.text
        assert "Max-Age=0" in logout.headers["set-cookie"]
        again = gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": token})
        assert again.status_code == 401

    # API clients are unchanged: the token stays in the body, no cookie.
    plain = gw.call("POST", "/api/v1/auth/login/", json={"email": owner.email, "password": PASSWORD})
    assert plain.json()["data"]["refresh"]
    assert "set-cookie" not in plain.headers
