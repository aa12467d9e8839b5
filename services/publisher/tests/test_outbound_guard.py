"""SSRF guard: the shared policy (``igny8_runtime.addresses``) applied to every hop, addresses
refused, every redirect hop vetted, host names resolved locally (injected resolver: no outside
traffic)."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igny8_publisher.adapters.safe_http import SafeHttp, mapped_resolver
from igny8_publisher.domain.site_urls import UnsafeUrl, normalize_site_url


async def _no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"tests never ask DNS (asked for {host})")


RESOLVE = mapped_resolver({"metadata.example": "169.254.169.254", "intranet.example": "10.0.0.1",
                           "blog.example": "93.184.216.34", "localhost.example": "127.0.0.1",
                           "v6.example": "::ffff:10.1.2.3"}, fallback=_no_dns)


@pytest.mark.parametrize(("address", "words"), [
    ("169.254.169.254", "metadata"), ("10.0.0.1", "private"), ("192.168.1.5", "private"),
    ("172.16.0.1", "private"), ("127.0.0.1", "loopback"), ("::1", "loopback"),
    ("0.0.0.0", "unspecified"), ("169.254.10.10", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("240.0.0.1", "reserved"), ("fc00::1", "private"),
    ("::ffff:10.0.0.1", "private"), ("100.64.0.1", "public"),
])
async def test_non_public_addresses_are_refused(address: str, words: str) -> None:
    host = f"[{address}]" if ":" in address else address
    async with SafeHttp(resolver=_no_dns) as http:
        with pytest.raises(UnsafeUrl, match=words):
            await http.vet(httpx.URL(f"http://{host}/wp-json/"))


async def test_public_addresses_pass_and_loopback_only_when_allowed() -> None:
    async with SafeHttp(resolver=_no_dns) as http:
        assert await http.vet(httpx.URL("https://93.184.216.34/")) == "93.184.216.34"
        assert await http.vet(httpx.URL("https://[2606:2800:220:1:248:1893:25c8:1946]/"))
    async with SafeHttp(resolver=_no_dns, allow_loopback=True) as http:
        assert await http.vet(httpx.URL("http://127.0.0.1:8080/")) == "127.0.0.1"
        for refused in ("http://10.0.0.1/", "http://169.254.169.254/"):
            with pytest.raises(UnsafeUrl):
                await http.vet(httpx.URL(refused))


def _transport(seen: list[httpx.Request], redirect_to: str | None = None) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if redirect_to and request.headers["host"] == "blog.example":
            return httpx.Response(302, headers={"location": redirect_to})
        return httpx.Response(200, json={"ok": True})
    return httpx.MockTransport(handle)


@pytest.mark.parametrize(("url", "message"), [
    ("http://metadata.example/wp-json/", "169.254.169.254 is a cloud metadata address"),
    ("http://intranet.example/wp-json/", "10.0.0.1 is a private address"),
    ("http://v6.example/", "10.1.2.3 is a private address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://[::1]:8080/", "::1 is a loopback address"),
])
async def test_urls_resolving_to_forbidden_addresses_are_refused_before_connecting(
        url: str, message: str) -> None:
    seen: list[httpx.Request] = []
    async with SafeHttp(resolver=RESOLVE, transport=_transport(seen)) as http:
        with pytest.raises(UnsafeUrl, match=message.replace(".", r"\.")):
            await http.request("GET", url)
    assert seen == []


async def test_a_redirect_to_loopback_is_refused() -> None:
    seen: list[httpx.Request] = []
    transport = _transport(seen, "http://localhost.example/admin")
    async with SafeHttp(resolver=RESOLVE, transport=transport) as http:
        with pytest.raises(UnsafeUrl, match=r"127\.0\.0\.1 is a loopback address"):
            await http.request("GET", "http://blog.example/wp-json/")
    assert [r.headers["host"] for r in seen] == ["blog.example"]


async def test_a_redirect_to_a_metadata_ip_literal_is_refused() -> None:
    seen: list[httpx.Request] = []
    target = "http://169.254.169.254/latest/meta-data/"
    async with SafeHttp(resolver=RESOLVE, transport=_transport(seen, target)) as http:
        with pytest.raises(UnsafeUrl, match="metadata"):
            await http.request("GET", "http://blog.example/")


async def test_allowed_hosts_are_called_at_the_vetted_address_with_their_host_name() -> None:
    seen: list[httpx.Request] = []
    async with SafeHttp(resolver=RESOLVE, transport=_transport(seen)) as http:
        response = await http.request("GET", "http://blog.example/wp-json/", auth=("u", "p"))
    assert response.status_code == 200
    assert seen[0].url.host == "93.184.216.34"
    assert seen[0].headers["host"] == "blog.example"
    assert seen[0].headers["authorization"].startswith("Basic ")


async def test_credentials_do_not_follow_a_redirect_to_another_origin() -> None:
    seen: list[httpx.Request] = []
    resolve = mapped_resolver({"blog.example": "93.184.216.34", "cdn.example": "93.184.216.35"},
                              fallback=_no_dns)
    async with SafeHttp(resolver=resolve, transport=_transport(seen, "http://cdn.example/x")) as http:
        await http.request("GET", "http://blog.example/", auth=("u", "p"))
    assert "authorization" in seen[0].headers and "authorization" not in seen[1].headers


async def test_loopback_is_allowed_only_with_the_development_setting() -> None:
    seen: list[httpx.Request] = []
    async with SafeHttp(resolver=RESOLVE, allow_loopback=True, transport=_transport(seen)) as http:
        assert (await http.request("GET", "http://localhost.example/")).status_code == 200
        with pytest.raises(UnsafeUrl):
            await http.request("GET", "http://intranet.example/")


@pytest.mark.parametrize(("url", "expected"), [
    ("https://Blog.Example.com/", "https://blog.example.com"),
    ("http://blog.example.com:8080/news/", "http://blog.example.com:8080/news"),
])
def test_site_urls_are_normalised(url: str, expected: str) -> None:
    assert normalize_site_url(url) == expected


@pytest.mark.parametrize("url", ["ftp://blog.example", "file:///etc/passwd", "https://u:p@blog.example",
                                 "blog.example", "http://", "http://0251.0376.0251.0376/",
                                 "http://①②⑦.0.0.1:9080/"])
def test_unusable_site_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        normalize_site_url(url)


@pytest.mark.parametrize("url", ["http://0251.0376.0251.0376/", "http://①②⑦.0.0.1:9080/"])
async def test_a_stored_url_the_client_cannot_parse_is_refused_with_a_reason(url: str) -> None:
    async with SafeHttp(resolver=RESOLVE, allow_loopback=True,
                        transport=_transport([])) as http:
        with pytest.raises(UnsafeUrl, match="not a valid host name or IP address"):
            await http.request("GET", url)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_site_url_is_normalised_to_a_callable_url_or_refused(url: str) -> None:
    """Whatever is typed: refused with a reason, or stored in a form the client can call."""
    try:
        normalized = normalize_site_url(url)
    except UnsafeUrl:
        return
    parsed = httpx.URL(normalized)
    assert parsed.scheme in ("http", "https") and parsed.host
