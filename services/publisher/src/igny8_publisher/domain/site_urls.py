"""A WordPress site's URL as the publisher takes it: a plain http(s) URL, normalised for
storage, and the error for one that may not be called (``UnsafeUrl``, its reason meant for the
user). Which addresses may be called is the shared SSRF policy, ``igny8_runtime.addresses``,
applied to every hop by ``adapters.safe_http``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx


class UnsafeUrl(Exception):  # noqa: N818
    """The URL may not be called: its reason is meant for the user."""


def normalize_site_url(url: str) -> str:
    """The site's base URL as we store it (``scheme://host[:port][/path]``, no trailing
    slash); ``UnsafeUrl`` for anything that is not a plain http(s) URL."""
    raw = url.strip()
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeUrl("The URL must start with http:// or https://.")
    if not parts.hostname:
        raise UnsafeUrl("The URL has no host name.")
    if parts.username or parts.password:
        raise UnsafeUrl("The URL must not contain a user name or password.")
    try:
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl("The URL's port is not a number between 0 and 65535.") from exc
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    path = parts.path.rstrip("/")
    normalized = f"{parts.scheme.lower()}://{netloc}{path}"
    checked_host(normalized)
    return normalized


def checked_host(url: str) -> httpx.URL:
    """``url`` parsed as the HTTP client will call it; ``UnsafeUrl`` when its host is not a
    host name or an IP address the client accepts (``http://0251.0376.0251.0376/``: octal
    parts; ``http://①②⑦.0.0.1/``: not a valid IDNA name), instead of failing at the call."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise UnsafeUrl(f"The URL's host is not a valid host name or IP address ({exc}).") \
            from exc
    if not parsed.host:
        raise UnsafeUrl("The URL has no host name.")
    return parsed
