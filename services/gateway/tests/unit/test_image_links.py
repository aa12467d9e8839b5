import uuid

import pytest

from igny8_gateway.domain.image_links import (
    GRANULARITY,
    KEY_PURPOSE,
    ImageLinkSigner,
    InvalidImageLink,
)
from igny8_runtime.secrets import SecretBox

ACCOUNT, OTHER_ACCOUNT = uuid.uuid4(), uuid.uuid4()
IMAGE, OTHER_IMAGE = uuid.uuid4(), uuid.uuid4()
NOW = 1_800_000_010.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def signer(clock: Clock, key: bytes = b"k" * 32) -> ImageLinkSigner:
    return ImageLinkSigner(key, clock)


def test_a_link_opens_its_image_until_it_expires() -> None:
    clock = Clock()
    params = signer(clock).sign(ACCOUNT, IMAGE, 3600)
    expires = int(params["expires"])
    assert NOW + 3600 <= expires < NOW + 3600 + GRANULARITY and expires % GRANULARITY == 0
    check = signer(clock).verify
    assert check(IMAGE, ACCOUNT, expires, params["signature"]) == ACCOUNT
    assert check(IMAGE, ACCOUNT, expires, params["signature"].upper()) == ACCOUNT
    clock.now = expires
    with pytest.raises(InvalidImageLink, match="expired"):
        check(IMAGE, ACCOUNT, expires, params["signature"])


def test_links_within_the_granularity_are_the_same_url() -> None:
    clock = Clock()
    first = signer(clock).link("/f", ACCOUNT, IMAGE, 3600)
    clock.now += 1
    assert signer(clock).link("/f", ACCOUNT, IMAGE, 3600) == first
    assert first.startswith(f"/f?account_id={ACCOUNT}&expires=")


@pytest.mark.parametrize("change", ["image", "account", "expires", "signature", "key", "missing",
                                    "non_ascii"])
def test_a_link_changed_in_any_part_opens_nothing(change: str) -> None:
    clock = Clock()
    params = signer(clock).sign(ACCOUNT, IMAGE, 3600)
    image, account, expires, signature = IMAGE, ACCOUNT, int(params["expires"]), params["signature"]
    key = b"k" * 32
    if change == "image":
        image = OTHER_IMAGE
    elif change == "account":
        account = OTHER_ACCOUNT
    elif change == "expires":
        expires += GRANULARITY
    elif change == "signature":
        signature = ("0" if signature[0] != "0" else "1") + signature[1:]
    elif change == "key":
        key = b"x" * 32
    elif change == "non_ascii":
        signature = "é" * 64
    with pytest.raises(InvalidImageLink):
        signer(clock, key).verify(image, account, expires,
                                  None if change == "missing" else signature)


def test_every_process_with_the_same_secrets_keys_derives_the_same_signing_key() -> None:
    keys = [SecretBox.generate_key().encode(), SecretBox.generate_key().encode()]
    key = SecretBox(keys).derive_key(KEY_PURPOSE)
    assert len(key) == 32 and SecretBox(keys).derive_key(KEY_PURPOSE) == key
    assert SecretBox(keys).derive_key("another purpose") != key
    assert SecretBox(keys[::-1]).derive_key(KEY_PURPOSE) != key  # the current key signs
