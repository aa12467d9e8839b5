"""The single-page app (``web/``) served by the gateway at ``/``, and what a browser needs
around the API: CORS for an app served from another origin, and the refresh-token cookie.

* ``/assets/…`` (Vite's content-hashed files): ``Cache-Control: public, max-age=31536000,
  immutable``; a missing asset is a 404, never ``index.html``.
* other files at the top of the build (``favicon.svg``…): an hour.
* ``index.html`` and every other path under the app (the app's own routes, e.g.
  ``/settings/sites``): ``index.html`` with ``Cache-Control: no-cache``.
* ``/api/…``, ``/docs``, ``/openapi.json``, ``/healthz``, ``/readyz`` never reach these routes.
* every answer of the app carries a strict Content-Security-Policy (no inline script or style:
  Mantine's styles ship as a CSS file, see ``web/src/shell/theme.ts``).
* a file with a pre-compressed ``.gz`` twin (written by ``scripts/build_web.py``) is sent
  gzipped to clients that accept it.

Settings (environment): ``IGNY8_WEB_DIST_DIR`` (default ``<repo>/web/dist``) and
``IGNY8_CORS_ORIGINS`` (comma-separated origins allowed to call the API from a browser).
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from igny8_gateway.refresh_cookie import RefreshCookieMiddleware
from igny8_gateway.settings import GatewaySettings
from igny8_runtime.cli import run_server, settings_for
from igny8_runtime.http import create_app
from igny8_runtime.logging import configure_logging
from igny8_runtime.service import Service

#: Where ``npm run build`` puts the app when the gateway runs from a checkout.
DEFAULT_DIST = Path(__file__).resolve().parents[4] / "web" / "dist"

#: Paths the app never answers: the API and the service's own pages.
RESERVED = ("api", "docs", "redoc", "openapi.json", "healthz", "readyz")

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=3600"
NO_CACHE = "no-cache"

#: No inline script or style, nothing from elsewhere; the API is on the same origin.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

_COMPRESSIBLE = re.compile(r"\.(?:js|mjs|css|html|svg|json|txt|map)$")

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>IGNY8: the web app is not built</title></head><body>
<h1>The web app is not built</h1>
<p>Run <code>make run</code> (it builds the app when its sources change) or
<code>.venv/bin/python scripts/build_web.py</code>, then reload this page.
The API is at <a href="/docs">/docs</a>.</p></body></html>"""


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_", extra="ignore")

    web_dist_dir: str = ""
    cors_origins: str = ""

    def dist(self) -> Path:
        return Path(self.web_dist_dir) if self.web_dist_dir else DEFAULT_DIST

    def origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]


class AppPathConvertor(Convertor[str]):
    """Any path except the reserved ones, so API paths keep their own 404 and 405 answers."""

    regex = r"(?!(?:" + "|".join(re.escape(r) for r in RESERVED) + r")(?:/|$)).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("igny8_app_path", AppPathConvertor())


def _inside(root: Path, relative: str) -> Path | None:
    """The regular file ``relative`` under ``root``, or None (also for ``..`` escapes)."""
    if "\x00" in relative:
        return None
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _file(request: Request, path: Path, cache_control: str) -> Response:
    headers = {**SECURITY_HEADERS, "Cache-Control": cache_control}
    gz = path.with_name(path.name + ".gz")
    if _COMPRESSIBLE.search(path.name):
        headers["Vary"] = "Accept-Encoding"
        if "gzip" in request.headers.get("accept-encoding", "") and gz.is_file():
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            headers["Content-Encoding"] = "gzip"
            return FileResponse(gz, media_type=media_type, headers=headers)
    return FileResponse(path, headers=headers)


def serve_app(app: FastAPI, dist: Path) -> None:
    """Answer GET/HEAD on every path outside ``RESERVED`` with the built app."""

    def app_path(request: Request) -> Response:  # sync: FastAPI runs it in a thread (file I/O)
        root = dist.resolve()
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503,
                                headers={**SECURITY_HEADERS, "Cache-Control": NO_CACHE,
                                         "Retry-After": "30"})
        relative: str = request.path_params["path"]
        if relative:
            found = _inside(root, relative)
            if found is not None and found.name != "index.html" and not found.name.endswith(".gz"):
                in_assets = found.parent == root / "assets"
                return _file(request, found, IMMUTABLE if in_assets else SHORT)
            if relative.startswith("assets/") or relative == "assets":
                raise StarletteHTTPException(404, "No such file.")
        return _file(request, index, NO_CACHE)

    app.add_api_route("/{path:igny8_app_path}", app_path, methods=["GET", "HEAD"],
                      include_in_schema=False)


def install_web_app(app: FastAPI, settings: WebSettings | None = None,
                    gateway: GatewaySettings | None = None) -> FastAPI:
    """Serve the app at ``/``, allow the configured CORS origins, set the refresh cookie.

    Call it after every API route is included (the app's catch-all route comes last)."""
    settings = settings or WebSettings()
    gateway = gateway or GatewaySettings()
    serve_app(app, settings.dist())
    app.add_middleware(RefreshCookieMiddleware,
                       max_age_seconds=int(gateway.refresh_ttl.total_seconds()))
    origins = settings.origins()
    if origins:  # added last: outermost, so a preflight is answered before anything else
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    return app


def build_app(service: Service[Any]) -> FastAPI:
    """The gateway's HTTP app as it is served: the API (runtime's app factory) + the web app."""
    return install_web_app(create_app(service, settings_for(service)))


def serve(service: Service[Any]) -> None:
    """``python -m igny8_gateway serve``: as ``igny8_runtime.cli`` serves, with the web app."""
    settings = settings_for(service)
    configure_logging(service.name, settings.log_level, settings.log_json)
    run_server(install_web_app(create_app(service, settings)), settings)
