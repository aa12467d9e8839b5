"""Building WordPress clients for integrations (SSRF-guarded HTTP from the settings), and the
connection test: REST API reachable → credentials accepted → user may publish."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from igny8_contracts.publisher import CheckName, ConnectionCheck, ConnectionTest
from igny8_publisher.adapters.safe_http import SafeHttp, mapped_resolver
from igny8_publisher.adapters.wordpress import WordPressClient, WordPressError
from igny8_publisher.settings import PublisherSettings
from igny8_runtime.addresses import system_resolver

PUBLISH_CAPABILITIES = ("publish_posts", "upload_files")


def safe_http(settings: PublisherSettings) -> SafeHttp:
    resolver = mapped_resolver(settings.resolve) if settings.resolve else system_resolver
    return SafeHttp(allow_loopback=settings.allow_loopback, resolver=resolver,
                    timeout=settings.http_timeout_seconds)


@asynccontextmanager
async def wordpress_client(settings: PublisherSettings, url: str, username: str,
                           app_password: str, known: dict[str, Any] | None = None,
                           http: SafeHttp | None = None) -> AsyncIterator[WordPressClient]:
    """A client on ``http`` (a long-lived, shared one keeps its connections alive between
    articles) or on its own ``SafeHttp``, closed on exit."""
    async with contextlib.AsyncExitStack() as stack:
        if http is None:
            http = await stack.enter_async_context(safe_http(settings))
        yield WordPressClient(http, url, username, app_password,
                              attempts=settings.http_attempts,
                              backoff=settings.http_backoff_seconds,
                              retry_after_max=settings.http_retry_after_max_seconds,
                              known=known)


async def test_connection(client: WordPressClient) -> ConnectionTest:
    checks: list[ConnectionCheck] = []
    steps: list[tuple[CheckName, str]] = [
        ("address", "The URL's address may be called."),
        ("rest_api", "The WordPress REST API answers."),
        ("credentials", "WordPress accepts the user name and application password."),
        ("can_publish", "The user may publish posts and upload media."),
    ]

    def outcome(failed_at: int, message: str, user: str | None = None) -> ConnectionTest:
        for index, (name, passed) in enumerate(steps):
            if index < failed_at:
                checks.append(ConnectionCheck(name=name, ok=True, message=passed))
            elif index == failed_at:
                checks.append(ConnectionCheck(name=name, ok=False, message=message))
            else:
                checks.append(ConnectionCheck(name=name, ok=None, message="Not checked."))
        ok = failed_at >= len(steps)
        return ConnectionTest(ok=ok, message="Connection works." if ok else message, checks=checks,
                              wordpress_user=user, plugin_detected=client.plugin_detected)

    try:
        await client.discover()
    except WordPressError as exc:
        return outcome(0 if exc.kind == "unsafe_url" else 1, exc.message)
    try:
        me = await client.me()
    except WordPressError as exc:
        return outcome(2 if exc.kind in ("auth", "forbidden", "not_found") else 1, exc.message)
    user = str(me.get("slug") or me.get("name") or "")
    capabilities = me.get("capabilities") or {}
    missing = [c for c in PUBLISH_CAPABILITIES if not capabilities.get(c)]
    if missing:
        return outcome(3, f"The WordPress user {user!r} lacks {', '.join(missing)}: give it the "
                          "Author, Editor or Administrator role.", user)
    return outcome(len(steps), "", user)
