"""The SSRF policy for customer-supplied URLs: which addresses and hosts are refused."""

from __future__ import annotations

import pytest

from igny8_runtime.addresses import address_refusal, url_refusal


@pytest.mark.parametrize(("address", "fragment"), [
    ("10.1.2.3", "private"), ("192.168.0.10", "private"), ("172.16.5.5", "private"),
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("169.254.169.254", "metadata"),
    ("169.254.10.1", "link-local"), ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"),
    ("100.64.0.1", "not a public"), ("fd00::1", "private"), ("::ffff:10.0.0.1", "private"),
    ("fe80::1", "link-local"), ("not-an-ip", "not an IP"),
])
def test_non_public_addresses_are_refused(address: str, fragment: str) -> None:
    reason = address_refusal(address)
    assert reason is not None and fragment in reason


def test_public_addresses_pass_and_loopback_only_when_allowed() -> None:
    assert address_refusal("93.184.216.34") is None
    assert address_refusal("2606:4700::1111") is None
    assert address_refusal("127.0.0.1", allow_loopback=True) is None
    assert address_refusal("10.0.0.1", allow_loopback=True) is not None


async def test_urls_are_judged_by_every_address_their_host_resolves_to() -> None:
    answers = {"public.example": ["93.184.216.34"],
               "sneaky.example": ["93.184.216.34", "10.0.0.7"]}

    async def resolver(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError("no such host")
        return answers[host]

    assert await url_refusal("https://public.example/v1", resolver=resolver) is None
    sneaky = await url_refusal("https://sneaky.example/v1", resolver=resolver)
    assert sneaky is not None and "10.0.0.7" in sneaky and "sneaky.example" in sneaky
    assert "metadata" in (await url_refusal("http://169.254.169.254/latest",
                                            resolver=resolver) or "")
    assert await url_refusal("http://[::1]:8900/v1", resolver=resolver) is not None
    assert await url_refusal("http://127.0.0.1:8900/v1", allow_loopback=True,
                             resolver=resolver) is None
    assert await url_refusal("https://unknown.example/v1", resolver=resolver) is None
