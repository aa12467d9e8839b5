"""The refresh token as an ``HttpOnly`` cookie for the web app, around the unchanged
``/api/v1/auth/`` routes (API clients keep the token in the JSON body, as before).

A browser opts in with the header ``X-IGNY8-Refresh-Cookie: 1`` (a custom header, so a
cross-site form cannot send it, and a cross-origin script needs a CORS preflight):

* ``register/``, ``login/``, ``refresh/`` answered 200/201: the refresh token moves from
  ``data.refresh`` into the cookie (``HttpOnly; SameSite=Strict; Path=/api/v1/auth/``,
  ``Secure`` over HTTPS), so page scripts never see it;
* ``refresh/`` and ``logout/`` without a ``refresh`` in their body: the cookie's value is put
  there before the route reads it;
* ``logout/`` (whatever its answer) and a refused ``refresh/`` (401, e.g. a spent token
  presented again, which revokes its whole sign-in): the cookie is cleared.

The path covers ``refresh/`` and ``logout/``, the only routes that read the cookie; the
other auth routes (``me/``, ``users/``…) get it too but ignore it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from http.cookies import CookieError, SimpleCookie
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "igny8_refresh"
COOKIE_PATH = "/api/v1/auth/"
OPT_IN_HEADER = b"x-igny8-refresh-cookie"

ISSUING = frozenset({"/api/v1/auth/register/", "/api/v1/auth/login/", "/api/v1/auth/refresh/"})
SPENDING = frozenset({"/api/v1/auth/refresh/", "/api/v1/auth/logout/"})
CLEARING = "/api/v1/auth/logout/"
REFRESH = "/api/v1/auth/refresh/"

#: The auth bodies are tiny; a bigger one is passed on untouched (the route refuses it).
MAX_BODY = 64 * 1024


def _cookie_value(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            with contextlib.suppress(CookieError):  # a malformed header is ignored
                jar.load(value.decode("latin-1"))
            if COOKIE_NAME in jar and jar[COOKIE_NAME].value:
                return jar[COOKIE_NAME].value
    return None


def set_cookie_header(token: str, max_age: int, secure: bool) -> bytes:
    parts = [f"{COOKIE_NAME}={token}", f"Path={COOKIE_PATH}", f"Max-Age={max_age}",
             "HttpOnly", "SameSite=Strict"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def clear_cookie_header(secure: bool) -> bytes:
    return set_cookie_header("", 0, secure)


class RefreshCookieMiddleware:
    def __init__(self, app: ASGIApp, max_age_seconds: int) -> None:
        self.app = app
        self.max_age = max_age_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope.get("method") != "POST"
                or not any(n == OPT_IN_HEADER and v.strip() == b"1" for n, v in scope["headers"])
                or (path not in ISSUING and path not in SPENDING)):
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"
        if path in SPENDING:
            scope, receive = await self._with_cookie_token(scope, receive)
        await self.app(scope, receive, self._rewriting_send(path, send, secure))

    async def _with_cookie_token(self, scope: Scope, receive: Receive) -> tuple[Scope, Receive]:
        """Read the (small) body; give it the cookie's token when it has none of its own."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return scope, _replay([message], receive)
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = bool(message.get("more_body", False))
            if size > MAX_BODY:
                rest = [{"type": "http.request", "body": b"".join(chunks), "more_body": more}]
                return scope, _replay(rest, receive)
        raw = b"".join(chunks)
        token = _cookie_value(scope)
        body: Any
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            body = None
        if token is not None and isinstance(body, dict) and not body.get("refresh"):
            body["refresh"] = token
            raw = json.dumps(body).encode()
            headers = [(n, v) for n, v in scope["headers"]
                       if n not in (b"content-length", b"content-type")]
            headers += [(b"content-type", b"application/json"),
                        (b"content-length", str(len(raw)).encode())]
            scope = {**scope, "headers": headers}
        return scope, _replay([{"type": "http.request", "body": raw, "more_body": False}], receive)

    def _rewriting_send(self, path: str, send: Send, secure: bool) -> Send:
        """Hold the (small, JSON) answer back; move the token to the cookie or clear it."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def wrapped(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status = int(start["status"])
            body = b"".join(chunks)
            headers = MutableHeaders(raw=list(start["headers"]))
            cookie: bytes | None = None
            if path in ISSUING and status in (200, 201):
                body, token = _take_refresh(body)
                if token is not None:
                    cookie = set_cookie_header(token, self.max_age, secure)
            elif path == CLEARING or (path == REFRESH and status == 401):
                cookie = clear_cookie_header(secure)
            if cookie is not None:
                headers.append("set-cookie", cookie.decode("latin-1"))
                headers["cache-control"] = "no-store"
            headers["content-length"] = str(len(body))
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        return wrapped


def _take_refresh(body: bytes) -> tuple[bytes, str | None]:
    """The answer without ``data.refresh``, and that token (None when there is none)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body, None
    data = parsed.get("data") if isinstance(parsed, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("refresh"), str):
        return body, None
    token = data.pop("refresh")
    return json.dumps(parsed).encode(), token


def _replay(messages: Sequence[Message], then: Receive) -> Receive:
    """``messages`` first, then the client's own (e.g. its disconnect)."""
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        return await then()

    return receive
