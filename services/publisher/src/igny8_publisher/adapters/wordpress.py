"""WordPress's core REST API (``/wp/v2``) with an application password, through ``SafeHttp``.

Transient failures (timeouts, connection errors, 5xx, 429) are retried with doubling backoff,
honouring ``Retry-After``; everything else is raised at once as a ``WordPressError`` whose
``kind`` says what went wrong (``auth`` for 401, ``forbidden`` for 403: never retried).
The REST API is found at ``/wp-json/`` or, without pretty permalinks, ``/?rest_route=/``.
"""

from __future__ import annotations

import asyncio
import email.utils
import html
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal

import httpx

from igny8_publisher.adapters.safe_http import SafeHttp
from igny8_publisher.domain.site_urls import UnsafeUrl

ErrorKind = Literal["unsafe_url", "unreachable", "not_wordpress", "rest_disabled", "auth",
                    "forbidden", "transient", "rejected", "not_found"]
Sleep = Callable[[float], Awaitable[None]]
POST_STATUSES = "publish,future,draft,pending,private"


class WordPressError(Exception):
    def __init__(self, kind: ErrorKind, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.kind in ("transient", "unreachable")

    @property
    def needs_attention(self) -> bool:
        """The integration's credentials or permissions must be fixed by a person."""
        return self.kind in ("auth", "forbidden")


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date), None when absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return html.unescape(body["message"])
    return f"HTTP {response.status_code}"


class SiteCache:
    """What sites told us recently (REST index, permalink style, registered meta, term ids),
    shared by one process's clients for ``ttl`` seconds: publishing an article then costs the
    requests that change something (uploads, the post) and few lookups."""

    def __init__(self, ttl: float = 120.0) -> None:
        self.ttl = ttl
        self.entries: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}

    def of(self, base_url: str, username: str) -> dict[str, Any]:
        now = time.monotonic()
        key = (base_url.rstrip("/"), username)
        entry = self.entries.get(key)
        if entry is None or entry[0] < now:
            entry = (now + self.ttl, {})
            self.entries[key] = entry
        return entry[1]

    def forget(self, base_url: str, username: str) -> None:
        self.entries.pop((base_url.rstrip("/"), username), None)


class WordPressClient:
    def __init__(self, http: SafeHttp, base_url: str, username: str, app_password: str, *,
                 attempts: int = 4, backoff: float = 0.5, retry_after_max: float = 30.0,
                 sleep: Sleep = asyncio.sleep, known: dict[str, Any] | None = None) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.auth = (username, app_password.replace(" ", "")) if app_password else None
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.retry_after_max = retry_after_max
        self.sleep = sleep
        self.pretty_permalinks = True
        self.known: dict[str, Any] = known if known is not None else {}
        self.index: dict[str, Any] | None = self.known.get("index")
        if self.index is not None:
            self.pretty_permalinks = bool(self.known.get("pretty", True))
        self._meta_keys: dict[str, str] | None = self.known.get("meta")

    # ------------------------------------------------------------------ transport

    def _url(self, route: str, params: dict[str, Any] | None) -> tuple[str, dict[str, Any]]:
        if self.pretty_permalinks:
            return f"{self.base_url}/wp-json{route}", dict(params or {})
        return f"{self.base_url}/", {"rest_route": route, **(params or {})}

    async def _send(self, method: str, url: str, params: dict[str, Any], *,
                    json: Any = None, content: bytes | None = None,
                    headers: dict[str, str] | None = None, auth: bool = True) -> httpx.Response:
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                response = await self.http.request(
                    method, url, params=params, json=json, content=content, headers=headers,
                    auth=self.auth if auth else None)
            except UnsafeUrl as exc:
                raise WordPressError("unsafe_url", str(exc)) from exc
            except httpx.TimeoutException as exc:
                if last:
                    raise WordPressError("unreachable",
                                         f"WordPress did not answer in time ({exc!r}).") from exc
            except httpx.TransportError as exc:
                if last:
                    raise WordPressError("unreachable",
                                         f"WordPress cannot be reached ({exc!r}).") from exc
            else:
                if response.status_code != 429 and response.status_code < 500:
                    return response
                if last:
                    raise WordPressError("transient", f"WordPress answered {response.status_code}: "
                                         f"{_error_message(response)}", response.status_code)
                wait = retry_after_seconds(response.headers.get("retry-after"))
                if wait is not None:
                    delay = max(delay, min(wait, self.retry_after_max))
            await self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    async def call(self, method: str, route: str, *, params: dict[str, Any] | None = None,
                   json: Any = None, content: bytes | None = None,
                   headers: dict[str, str] | None = None) -> Any:
        """An authenticated REST call; its JSON, or ``WordPressError``."""
        if self.index is None:
            await self.discover()
        url, query = self._url(route, params)
        response = await self._send(method, url, query, json=json, content=content, headers=headers)
        if response.status_code == 401:
            raise WordPressError("auth", "WordPress refused the user name or application password: "
                                 f"{_error_message(response)}", 401)
        if response.status_code == 403:
            raise WordPressError("forbidden", "The WordPress user is not allowed to do this: "
                                 f"{_error_message(response)}", 403)
        if response.status_code == 404:
            raise WordPressError("not_found", _error_message(response), 404)
        if response.status_code >= 400:
            raise WordPressError("rejected", f"WordPress refused the request: {_error_message(response)}",
                                 response.status_code)
        try:
            return response.json()
        except ValueError as exc:
            raise WordPressError("not_wordpress", "WordPress answered something that is not JSON.") from exc

    # ------------------------------------------------------------------ discovery and user

    async def discover(self) -> dict[str, Any]:
        """The REST API's index (namespaces, site name). Tells a site that is not WordPress
        from a WordPress whose REST API is switched off."""
        looks_like_wordpress = False
        for pretty in (True, False):
            self.pretty_permalinks = pretty
            url, params = self._url("/", None)
            response = await self._send("GET", url, params, auth=False)
            body: Any = None
            try:
                body = response.json()
            except ValueError:
                body = None
            if response.status_code == 200 and isinstance(body, dict) and "namespaces" in body:
                if "wp/v2" not in body["namespaces"]:
                    raise WordPressError("rest_disabled", "The WordPress REST API does not offer "
                                         "wp/v2 (a plugin may be restricting it).")
                self.index = body
                self.known.update(index=body, pretty=pretty)
                return body
            if (isinstance(body, dict) and {"code", "message"} <= body.keys()) or \
                    "api.w.org" in response.headers.get("link", "") or \
                    "/wp-content/" in response.text[:200_000]:
                looks_like_wordpress = True
                reason = _error_message(response) if isinstance(body, dict) else ""
        if looks_like_wordpress:
            raise WordPressError("rest_disabled", "This is a WordPress site but its REST API is "
                                 f"not available{': ' + reason if reason else ''}.")
        raise WordPressError("not_wordpress", f"No WordPress REST API at {self.base_url} "
                             "(neither /wp-json/ nor ?rest_route=/ answered).")

    @property
    def plugin_detected(self) -> bool:
        namespaces = (self.index or {}).get("namespaces", [])
        return any(str(n).startswith("igny8") for n in namespaces)

    async def me(self) -> dict[str, Any]:
        return dict(await self.call("GET", "/wp/v2/users/me", params={"context": "edit"}))

    async def list_all(self, route: str, params: dict[str, Any] | None = None,
                       limit: int = 2000) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page = 1
        while len(items) < limit:
            batch = await self.call("GET", route, params={"per_page": 100, "page": page, **(params or {})})
            if not isinstance(batch, list) or not batch:
                break
            items.extend(batch)
            if len(batch) < 100:
                break
            page += 1
        return items

    async def post_types(self) -> dict[str, Any]:
        return dict(await self.call("GET", "/wp/v2/types"))

    async def registered_meta_keys(self) -> dict[str, str]:
        """The post meta WordPress accepts over REST, with their types (the bridge plugin
        registers the SEO and ``_igny8_*`` ones); other keys would make it refuse the post."""
        if self._meta_keys is None:
            schema = await self.call("OPTIONS", "/wp/v2/posts")
            properties = schema.get("schema", {}).get("properties", {}) if isinstance(schema, dict) else {}
            meta = properties.get("meta", {}).get("properties", {})
            self._meta_keys = {
                key: str(spec.get("type", "string")) if isinstance(spec, dict) else "string"
                for key, spec in (meta.items() if isinstance(meta, dict) else [])}
            self.known["meta"] = self._meta_keys
        return self._meta_keys

    def forget_meta(self) -> None:
        """The registered meta changed (a plugin was activated): read them again next time."""
        self._meta_keys = None
        self.known.pop("meta", None)

    # ------------------------------------------------------------------ terms

    async def term_ids(self, taxonomy: Literal["categories", "tags"], names: list[str]) -> list[int]:
        """The ids of the terms named ``names`` (case-insensitive), creating missing ones."""
        ids: list[int] = []
        known: dict[tuple[str, str], int] = self.known.setdefault("terms", {})
        for name in dict.fromkeys(n.strip() for n in names if n.strip()):
            if (taxonomy, name.lower()) in known:
                ids.append(known[(taxonomy, name.lower())])
                continue
            found = await self.call("GET", f"/wp/v2/{taxonomy}",
                                    params={"search": name, "per_page": 100, "_fields": "id,name"})
            match = next((t["id"] for t in found if html.unescape(t["name"]).lower() == name.lower()), None)
            if match is None:
                try:
                    match = (await self.call("POST", f"/wp/v2/{taxonomy}", json={"name": name}))["id"]
                except WordPressError as exc:
                    if exc.status != 400 or "exist" not in exc.message.lower():
                        raise
                    again = await self.call("GET", f"/wp/v2/{taxonomy}", params={"search": name})
                    match = next(t["id"] for t in again if html.unescape(t["name"]).lower() == name.lower())
            ids.append(int(match))
            known[(taxonomy, name.lower())] = int(match)
        return ids

    # ------------------------------------------------------------------ media

    async def find_media(self, slug: str) -> dict[str, Any] | None:
        found = await self.call("GET", "/wp/v2/media", params={"slug": slug, "_fields": "id,source_url"})
        return dict(found[0]) if found else None

    async def upload_media(self, filename: str, data: bytes, mime_type: str, *, slug: str,
                           title: str, alt_text: str, caption: str) -> dict[str, Any]:
        return dict(await self.call(
            "POST", "/wp/v2/media", content=data,
            params={"slug": slug, "title": title, "alt_text": alt_text, "caption": caption},
            headers={"Content-Type": mime_type,
                     "Content-Disposition": f'attachment; filename="{filename}"'}))

    # ------------------------------------------------------------------ posts

    async def get_post(self, post_id: str) -> dict[str, Any] | None:
        try:
            return dict(await self.call("GET", f"/wp/v2/posts/{int(post_id)}", params={"context": "edit"}))
        except WordPressError as exc:
            if exc.kind == "not_found":
                return None
            raise

    async def find_posts(self, search: str) -> list[dict[str, Any]]:
        return list(await self.call("GET", "/wp/v2/posts", params={
            "search": search, "status": POST_STATUSES, "context": "edit", "per_page": 100}))

    async def create_post(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(await self.call("POST", "/wp/v2/posts", json=body))

    async def update_post(self, post_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return dict(await self.call("POST", f"/wp/v2/posts/{int(post_id)}", json=body))
