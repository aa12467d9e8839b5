"""The WordPress client's failure handling: transient answers retried with backoff (honouring
Retry-After), authentication failures not retried, sites that are not WordPress told apart
from a WordPress whose REST API is off."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from igny8_publisher.adapters.safe_http import SafeHttp, mapped_resolver
from igny8_publisher.adapters.wordpress import (
    SiteCache,
    WordPressClient,
    WordPressError,
    retry_after_seconds,
)

INDEX = {"name": "Blog", "namespaces": ["oembed/1.0", "wp/v2"]}
Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler, delays: list[float]) -> WordPressClient:
    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    http = SafeHttp(resolver=mapped_resolver({"blog.example": "93.184.216.34"}),
                    transport=httpx.MockTransport(handler))
    return WordPressClient(http, "https://blog.example", "editor", "abcd efgh", attempts=4,
                           backoff=0.5, retry_after_max=30, sleep=sleep)


def _route(answers: dict[str, list[httpx.Response]]) -> tuple[Handler, list[str]]:
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/wp-json/":
            return httpx.Response(200, json=INDEX)
        queue = answers[request.url.path]
        return queue.pop(0) if len(queue) > 1 else queue[0]
    return handle, calls


async def test_5xx_and_429_are_retried_with_backoff_honouring_retry_after() -> None:
    handler, calls = _route({"/wp-json/wp/v2/users/me": [
        httpx.Response(503), httpx.Response(429, headers={"retry-after": "7"}),
        httpx.Response(200, json={"id": 1, "slug": "editor"})]})
    delays: list[float] = []
    me = await _client(handler, delays).me()
    assert me["slug"] == "editor"
    assert calls.count("/wp-json/wp/v2/users/me") == 3
    assert delays == [0.5, 7.0]


async def test_transient_failures_give_up_after_the_attempts_as_retryable() -> None:
    handler, calls = _route({"/wp-json/wp/v2/users/me": [httpx.Response(502)]})
    delays: list[float] = []
    with pytest.raises(WordPressError) as raised:
        await _client(handler, delays).me()
    assert raised.value.kind == "transient" and raised.value.retryable
    assert calls.count("/wp-json/wp/v2/users/me") == 4
    assert delays == [0.5, 1.0, 2.0]


async def test_a_wrong_password_is_not_retried_and_needs_attention() -> None:
    handler, calls = _route({"/wp-json/wp/v2/users/me": [httpx.Response(
        401, json={"code": "incorrect_password",
                   "message": "The provided password is an invalid application password."})]})
    with pytest.raises(WordPressError) as raised:
        await _client(handler, []).me()
    assert raised.value.kind == "auth" and raised.value.needs_attention and not raised.value.retryable
    assert "invalid application password" in raised.value.message
    assert calls.count("/wp-json/wp/v2/users/me") == 1


async def test_a_site_that_is_not_wordpress_is_named_so() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="<html>Just a shop</html>")
    with pytest.raises(WordPressError) as raised:
        await _client(handle, []).discover()
    assert raised.value.kind == "not_wordpress"


async def test_a_wordpress_with_its_rest_api_off_is_named_so() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"code": "rest_disabled", "message": "REST is off."})
    with pytest.raises(WordPressError) as raised:
        await _client(handle, []).discover()
    assert raised.value.kind == "rest_disabled" and "REST is off" in raised.value.message


async def test_without_pretty_permalinks_the_rest_route_parameter_is_used() -> None:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.params.get("rest_route") == "/":
            return httpx.Response(200, json=INDEX)
        if request.url.params.get("rest_route") == "/wp/v2/users/me":
            return httpx.Response(200, json={"id": 3})
        return httpx.Response(404, text="<link rel='https://api.w.org/'> not found")
    client = _client(handle, [])
    assert (await client.me())["id"] == 3
    assert not client.pretty_permalinks


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


async def test_clients_sharing_a_site_cache_read_the_index_meta_and_terms_once() -> None:
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        if request.url.path == "/wp-json/":
            return httpx.Response(200, json=INDEX)
        if request.method == "OPTIONS":
            return httpx.Response(200, json={"schema": {"properties": {"meta": {"properties": {
                "_igny8_content_id": {"type": "string"}}}}}})
        return httpx.Response(200, json=[{"id": 5, "name": "News"}])

    sites = SiteCache()
    http = SafeHttp(resolver=mapped_resolver({"blog.example": "93.184.216.34"}),
                    transport=httpx.MockTransport(handle))
    for _ in range(2):
        client = WordPressClient(http, "https://blog.example", "editor", "pw",
                                 known=sites.of("https://blog.example/", "editor"))
        assert await client.registered_meta_keys() == {"_igny8_content_id": "string"}
        assert await client.term_ids("categories", ["News", "news "]) == [5, 5]
    assert calls == ["GET /wp-json/", "OPTIONS /wp-json/wp/v2/posts",
                     "GET /wp-json/wp/v2/categories"]
    sites.forget("https://blog.example", "editor")
    assert sites.of("https://blog.example", "editor") == {}
