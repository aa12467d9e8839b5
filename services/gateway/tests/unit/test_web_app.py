"""The web app as the gateway serves it: caching headers, fallback to index.html, the CSP, the
API paths left alone, CORS, and the refresh-token cookie around the auth routes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import JSONResponse

from igny8_gateway.app import load
from igny8_gateway.refresh_cookie import COOKIE_NAME, COOKIE_PATH
from igny8_gateway.web_app import (
    CONTENT_SECURITY_POLICY,
    IMMUTABLE,
    NO_CACHE,
    WebSettings,
    install_web_app,
)
from igny8_runtime.http import create_app
from igny8_runtime.settings import ServiceSettings

INDEX = ('<!doctype html><html><head>'
         '<script type="module" src="/assets/index-abc123.js"></script></head></html>')


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    script = "console.log('app');" * 100
    (tmp_path / "assets" / "index-abc123.js").write_text(script)
    (tmp_path / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(script.encode()))
    (tmp_path / "assets" / "index-abc123.css").write_text("body{margin:0}")
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path.parent / "secret.txt").write_text("outside the build")
    return tmp_path


def gateway_app(dist: Path, cors_origins: str = "") -> FastAPI:
    """The real gateway app (every API route), not started: no request reaches a service."""
    app = create_app(load(), ServiceSettings(service_name="gateway"))
    return install_web_app(app, WebSettings(web_dist_dir=str(dist), cors_origins=cors_origins))


@pytest.fixture
def client(dist: Path) -> TestClient:
    # Not entered as a context manager: the lifespan (NATS, PostgreSQL) does not run.
    return TestClient(gateway_app(dist))


def test_index_is_never_cached_and_carries_a_strict_csp(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == NO_CACHE
    csp = response.headers["content-security-policy"]
    assert csp == CONTENT_SECURITY_POLICY
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["style-src"] == "'self'"  # no inline style either
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/login", "/settings/sites", "/planner/keywords/", "/a/b/c?x=1",
                                  "/index.html"])
def test_app_paths_fall_back_to_index(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == NO_CACHE
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_hashed_assets_are_cached_for_a_year(client: TestClient) -> None:
    response = client.get("/assets/index-abc123.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert response.headers["content-type"].startswith("text/css")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_gzip_twin_is_sent_to_clients_that_accept_it(client: TestClient) -> None:
    zipped = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.headers["content-type"].startswith("text/javascript")
    assert zipped.text.startswith("console.log")  # httpx decodes it
    plain = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.text == zipped.text


def test_a_missing_asset_is_a_404_not_the_app(client: TestClient) -> None:
    response = client.get("/assets/index-gone999.js")
    assert response.status_code == 404
    assert response.json()["success"] is False


def test_other_top_level_files_are_cached_briefly(client: TestClient) -> None:
    response = client.get("/favicon.svg")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=3600"


def test_nothing_outside_the_build_is_served(client: TestClient) -> None:
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt"):
        response = client.get(path)
        assert "outside the build" not in response.text


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/v1/nope/", 404),
    ("GET", "/api", 404),
    ("POST", "/api/v1/nope/", 404),
    ("DELETE", "/api/v1/auth/login/", 405),
    ("GET", "/api/v1/auth/me/", 401),
])
def test_api_paths_are_untouched(client: TestClient, method: str, path: str, status: int) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert "content-security-policy" not in response.headers
    assert response.json()["success"] is False


def test_docs_and_openapi_are_untouched(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["info"]["title"] == "IGNY8 gateway"
    docs = client.get("/docs")
    assert "swagger" in docs.text.lower()
    assert "content-security-policy" not in docs.headers
    assert client.get("/healthz").json()["data"]["status"] == "alive"


def test_the_app_is_not_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert all(p.startswith("/api/") for p in paths)


def test_an_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    client = TestClient(gateway_app(tmp_path / "missing"))
    response = client.get("/settings/sites")
    assert response.status_code == 503
    assert "build_web.py" in response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_cors_allows_only_the_configured_origins(dist: Path) -> None:
    client = TestClient(gateway_app(dist, cors_origins="https://app.example.com, http://localhost:5173/"))
    preflight = client.options("/api/v1/auth/login/", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-igny8-refresh-cookie"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert preflight.headers["access-control-allow-credentials"] == "true"
    answer = client.get("/api/v1/auth/me/", headers={"Origin": "https://app.example.com"})
    assert answer.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "x-request-id" in answer.headers["access-control-expose-headers"].lower()
    other = client.get("/api/v1/auth/me/", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_no_cors_headers_without_configured_origins(client: TestClient) -> None:
    answer = client.get("/api/v1/auth/me/", headers={"Origin": "https://app.example.com"})
    assert "access-control-allow-origin" not in answer.headers


# ------------------------------------------------------------------ refresh-token cookie


def auth_stub() -> FastAPI:
    """Stand-ins for the auth routes: they answer as the real ones and echo what they read."""
    app = FastAPI()

    def signed_in(token: str, status: int = 200) -> JSONResponse:
        return JSONResponse({"success": True, "data": {"access": "a", "refresh": token,
                                                       "user": {"id": "u"}},
                             "message": None, "request_id": "r"}, status_code=status)

    @app.post("/api/v1/auth/login/")
    async def login() -> JSONResponse:
        return signed_in("issued-token")

    @app.post("/api/v1/auth/register/")
    async def register() -> JSONResponse:
        return signed_in("new-account-token", 201)

    @app.post("/api/v1/auth/refresh/")
    async def refresh(request: Request) -> JSONResponse:
        body: dict[str, Any] = json.loads(await request.body())
        if body.get("refresh") == "spent":
            return JSONResponse({"success": False, "error": "Invalid"}, status_code=401)
        return signed_in(f"rotated-from-{body.get('refresh')}")

    @app.post("/api/v1/auth/logout/")
    async def logout(request: Request) -> JSONResponse:
        body: dict[str, Any] = json.loads(await request.body())
        return JSONResponse({"success": True, "data": {"revoked": body.get("refresh")}})

    from igny8_gateway.refresh_cookie import RefreshCookieMiddleware

    app.add_middleware(RefreshCookieMiddleware, max_age_seconds=1209600)
    return app


OPT_IN = {"X-IGNY8-Refresh-Cookie": "1"}


def set_cookie(response: Any) -> str:
    header: str = response.headers["set-cookie"]
    return header


def test_api_clients_keep_the_token_in_the_body() -> None:
    client = TestClient(auth_stub())
    response = client.post("/api/v1/auth/login/", json={})
    assert response.json()["data"]["refresh"] == "issued-token"
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(("path", "token", "status"), [
    ("/api/v1/auth/login/", "issued-token", 200),
    ("/api/v1/auth/register/", "new-account-token", 201),
])
def test_the_browser_gets_the_token_as_an_httponly_cookie_only(path: str, token: str,
                                                               status: int) -> None:
    client = TestClient(auth_stub())
    response = client.post(path, json={}, headers=OPT_IN)
    assert response.status_code == status
    body = response.json()
    assert "refresh" not in body["data"]
    assert body["data"]["access"] == "a"
    cookie = set_cookie(response)
    assert cookie.startswith(f"{COOKIE_NAME}={token};")
    for attribute in (f"Path={COOKIE_PATH}", "HttpOnly", "SameSite=Strict", "Max-Age=1209600"):
        assert attribute in cookie
    assert "Secure" not in cookie  # plain http (tests); see the https case below
    assert response.headers["cache-control"] == "no-store"
    assert int(response.headers["content-length"]) == len(response.content)


def test_the_cookie_is_secure_over_https() -> None:
    client = TestClient(auth_stub(), base_url="https://testserver")
    response = client.post("/api/v1/auth/login/", json={}, headers=OPT_IN)
    assert "; Secure" in set_cookie(response)


def test_refresh_spends_the_cookie_and_rotates_it() -> None:
    client = TestClient(auth_stub())
    response = client.post("/api/v1/auth/refresh/", json={"refresh": ""}, headers={
        **OPT_IN, "Cookie": f"{COOKIE_NAME}=old-token"})
    assert response.status_code == 200
    assert set_cookie(response).startswith(f"{COOKIE_NAME}=rotated-from-old-token;")
    assert "refresh" not in response.json()["data"]


def test_a_token_in_the_body_wins_over_the_cookie() -> None:
    client = TestClient(auth_stub())
    response = client.post("/api/v1/auth/refresh/", json={"refresh": "from-body"}, headers={
        **OPT_IN, "Cookie": f"{COOKIE_NAME}=old-token"})
    assert set_cookie(response).startswith(f"{COOKIE_NAME}=rotated-from-from-body;")


def test_a_refused_refresh_clears_the_cookie() -> None:
    client = TestClient(auth_stub())
    response = client.post("/api/v1/auth/refresh/", json={}, headers={
        **OPT_IN, "Cookie": f"{COOKIE_NAME}=spent"})
    assert response.status_code == 401
    cookie = set_cookie(response)
    assert cookie.startswith(f"{COOKIE_NAME}=;")
    assert "Max-Age=0" in cookie


def test_logout_revokes_the_cookies_token_and_clears_it() -> None:
    client = TestClient(auth_stub())
    response = client.post("/api/v1/auth/logout/", json={"refresh": ""}, headers={
        **OPT_IN, "Cookie": f"other=1; {COOKIE_NAME}=current"})
    assert response.json()["data"]["revoked"] == "current"
    assert "Max-Age=0" in set_cookie(response)


def test_without_the_opt_in_header_the_cookie_is_ignored() -> None:
    """A cross-site form cannot add the header: the cookie alone spends nothing."""
    client = TestClient(auth_stub())
    response = client.post("/api/v1/auth/refresh/", json={"refresh": ""},
                           headers={"Cookie": f"{COOKIE_NAME}=old-token"})
    assert response.json()["data"]["refresh"] == "rotated-from-"
    assert "set-cookie" not in response.headers
