"""The connection test names the check that failed: address, REST API, credentials, publishing
rights (WordPress answered by a mock transport; names resolved locally)."""

from __future__ import annotations

from typing import Any

import httpx

from igny8_publisher.adapters.safe_http import SafeHttp, mapped_resolver
from igny8_publisher.adapters.wordpress import WordPressClient
from igny8_publisher.service_layer.connections import test_connection as check

INDEX = {"name": "Blog", "namespaces": ["wp/v2", "igny8/v1"]}
RESOLVE = mapped_resolver({"blog.example": "93.184.216.34", "meta.example": "169.254.169.254"})


def _client(url: str, me: httpx.Response) -> WordPressClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/wp-json/":
            return httpx.Response(200, json=INDEX)
        return me
    http = SafeHttp(resolver=RESOLVE, transport=httpx.MockTransport(handle))
    return WordPressClient(http, url, "editor", "pass word", attempts=1)


def _checks(result: Any) -> dict[str, bool | None]:
    return {c.name: c.ok for c in result.checks}


async def test_everything_passes() -> None:
    me = httpx.Response(200, json={"slug": "editor", "capabilities": {
        "publish_posts": True, "upload_files": True}})
    result = await check(_client("https://blog.example", me))
    assert result.ok and result.wordpress_user == "editor" and result.plugin_detected
    assert set(_checks(result).values()) == {True}
    assert [c.name for c in result.checks] == ["address", "rest_api", "credentials", "can_publish"]


async def test_refused_credentials_stop_before_the_rights() -> None:
    me = httpx.Response(401, json={"code": "invalid_username", "message": "Unknown username."})
    result = await check(_client("https://blog.example", me))
    assert _checks(result) == {"address": True, "rest_api": True, "credentials": False,
                               "can_publish": None}
    assert "Unknown username" in result.message


async def test_a_user_who_may_not_publish_is_named() -> None:
    me = httpx.Response(200, json={"slug": "reader", "capabilities": {"read": True}})
    result = await check(_client("https://blog.example", me))
    assert _checks(result)["can_publish"] is False
    assert _checks(result) == {"address": True, "rest_api": True, "credentials": True,
                               "can_publish": False}
    assert not result.ok and result.wordpress_user == "reader"
    assert "'reader' lacks publish_posts, upload_files" in result.message


async def test_a_metadata_address_fails_the_first_check() -> None:
    result = await check(_client("http://meta.example", httpx.Response(200)))
    assert _checks(result) == {"address": False, "rest_api": None, "credentials": None,
                               "can_publish": None}
    assert "cloud metadata" in result.message
