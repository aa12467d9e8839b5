"""Outbound HTTP to customer-supplied URLs, guarded against SSRF.

Every hop (the first request and each redirect, which we follow ourselves) resolves the host,
refuses it if any of its addresses is not allowed (the shared SSRF policy,
``igny8_runtime.addresses``), and connects to the
vetted address itself (the host name only travels in the ``Host`` header and TLS SNI), so a
second DNS answer cannot swap in another address between the check and the connection.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Mapping
from typing import Any

import httpx

from igny8_publisher.domain.site_urls import UnsafeUrl, checked_host
from igny8_runtime.addresses import Resolver, address_refusal, system_resolver

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def mapped_resolver(mapping: Mapping[str, str], fallback: Resolver = system_resolver) -> Resolver:
    """Answers the hosts in ``mapping`` from it (development and tests), others from DNS."""
    lowered = {k.lower(): v for k, v in mapping.items()}

    async def resolve(host: str, port: int) -> list[str]:
        if host.lower() in lowered:
            return [lowered[host.lower()]]
        return await fallback(host, port)

    return resolve


class SafeHttp:
    def __init__(self, *, allow_loopback: bool = False, resolver: Resolver = system_resolver,
                 timeout: float = 30.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.allow_loopback = allow_loopback
        self.resolver = resolver
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                                        transport=transport, follow_redirects=False)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> SafeHttp:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def vet(self, url: httpx.URL) -> str:
        """The address to connect to for ``url``; ``UnsafeUrl`` (with the reason) if not
        allowed."""
        if url.scheme not in ("http", "https"):
            raise UnsafeUrl(f"Only http and https URLs can be called, not {url.scheme!r}.")
        host = url.host
        if not host:
            raise UnsafeUrl("The URL has no host name.")
        port = url.port or (443 if url.scheme == "https" else 80)
        if _is_ip(host):
            addresses = [host]
        else:
            try:
                addresses = await self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise UnsafeUrl(f"The host name {host!r} cannot be resolved.") from exc
        if not addresses:
            raise UnsafeUrl(f"The host name {host!r} cannot be resolved.")
        for address in addresses:
            reason = address_refusal(address, allow_loopback=self.allow_loopback)
            if reason:
                raise UnsafeUrl(f"Refusing to connect to {host}: {reason}.")
        return addresses[0]

    async def request(self, method: str, url: str, *, params: Mapping[str, Any] | None = None,
                      headers: Mapping[str, str] | None = None, content: bytes | None = None,
                      json: Any = None, auth: tuple[str, str] | None = None) -> httpx.Response:
        """One request, following up to ``MAX_REDIRECTS`` redirects, each hop vetted.
        Credentials go only to the origin of the first URL."""
        checked_host(url)
        target = httpx.URL(url, params=params)
        origin = (target.scheme, target.host, target.port)
        for _hop in range(MAX_REDIRECTS + 1):
            address = await self.vet(target)
            pinned = target.copy_with(host=address)
            hop_headers = {**(headers or {}), "Host": _host_header(target)}
            same_origin = (target.scheme, target.host, target.port) == origin
            request = self.client.build_request(
                method, pinned, headers=hop_headers, content=content, json=json,
                extensions={"sni_hostname": target.host})
            if auth and same_origin:
                request.headers["Authorization"] = basic_auth(*auth)
            response = await self.client.send(request)
            if response.status_code not in REDIRECTS or "location" not in response.headers:
                return response
            await response.aclose()
            try:
                target = target.join(response.headers["location"])
            except httpx.InvalidURL as exc:
                raise UnsafeUrl(f"The site redirected to an invalid URL ({exc}).") from exc
            if response.status_code == 303 or (response.status_code in (301, 302)
                                               and method not in ("GET", "HEAD")):
                method, content, json = "GET", None, None
        raise UnsafeUrl(f"More than {MAX_REDIRECTS} redirects.")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def _host_header(url: httpx.URL) -> str:
    default = 443 if url.scheme == "https" else 80
    host = f"[{url.host}]" if ":" in url.host else url.host
    return host if url.port in (None, default) else f"{host}:{url.port}"
