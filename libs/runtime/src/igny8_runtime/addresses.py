"""Which hosts an outbound call to a customer-supplied URL may reach (SSRF policy), for any
service: private (RFC 1918, unique-local), loopback, link-local (so the cloud metadata address
169.254.169.254), unspecified, multicast, reserved, shared (CGNAT) and other non-global
addresses are refused, IPv4 and IPv6 alike (IPv4-mapped IPv6 judged as the IPv4 it carries).
Loopback may be allowed for local development.

``url_refusal`` resolves the URL's host and judges every address it resolves to. It checks a
moment before the call, so a DNS answer that changes in between is not caught: callers that
need that too must connect to the vetted address themselves.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

METADATA_ADDRESSES = frozenset({"169.254.169.254", "fd00:ec2::254"})

Resolver = Callable[[str, int], Awaitable[list[str]]]


def address_refusal(address: str, *, allow_loopback: bool = False) -> str | None:
    """Why ``address`` (an IP) may not be called, or None when it may."""
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
    for kind, matches in (("unspecified", ip.is_unspecified), ("link-local", ip.is_link_local),
                          ("multicast", ip.is_multicast), ("reserved", ip.is_reserved),
                          ("private", ip.is_private)):
        if matches:
            return f"{ip} is a {kind} address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def url_refusal(url: str, *, allow_loopback: bool = False,
                      resolver: Resolver = system_resolver) -> str | None:
    """Why ``url`` may not be called (its host resolves to a refused address), or None. A host
    that does not resolve is not refused here: calling it fails as unreachable."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return "the URL has no host"
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "the URL's port is not a number between 0 and 65535"
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = await resolver(host, port)
        except OSError:
            return None
    for address in addresses:
        reason = address_refusal(address, allow_loopback=allow_loopback)
        if reason is not None:
            return f"{host} resolves to {reason}" if address != host else reason
    return None
