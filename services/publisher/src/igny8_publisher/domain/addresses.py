"""Which addresses an outbound call to a customer-supplied URL may reach (SSRF policy).

Refused: private (RFC 1918, unique-local), loopback, link-local (and so the cloud metadata
address 169.254.169.254), unspecified, multicast, reserved, shared (CGNAT) and the other
special-purpose ranges Python's ``ipaddress`` knows, for IPv4 and IPv6 (IPv4-mapped IPv6
addresses are judged as the IPv4 they carry). Loopback is allowed only when the development
setting says so.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

METADATA_ADDRESSES = frozenset({"169.254.169.254", "fd00:ec2::254"})


class UnsafeUrl(Exception):  # noqa: N818
    """The URL may not be called: its reason is meant for the user."""


def refusal_reason(address: str, *, allow_loopback: bool = False) -> str | None:
    """Why ``address`` may not be called, or None when it may."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if str(ip) in METADATA_ADDRESSES:
        return f"{ip} is a cloud metadata address"
    if ip.is_loopback:
        return None if allow_loopback else f"{ip} is a loopback address"
    if ip.is_unspecified:
        return f"{ip} is an unspecified address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_multicast:
        return f"{ip} is a multicast address"
    if ip.is_reserved:
        return f"{ip} is a reserved address"
    if ip.is_private:
        return f"{ip} is a private address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


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
    return f"{parts.scheme.lower()}://{netloc}{path}"
