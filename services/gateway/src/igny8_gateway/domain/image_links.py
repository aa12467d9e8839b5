"""Signed, expiring links to an image's file, so a browser's ``<img src>`` (which sends no
Authorization header) can show it.

A link is ``<src>?account_id=<uuid>&expires=<unix seconds>&signature=<hex>``; the signature is
HMAC-SHA256 (under a key only the gateway holds) over the image id, its account and the expiry,
so it opens that one image until then and nothing else. The account travels in the link because
the writer answers for an image only within its account. ``expires`` is rounded up to a
``GRANULARITY`` boundary: the same image listed twice within a few minutes gets the same link,
which the browser's cache then recognises.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

KEY_PURPOSE = "gateway: writer image file links v1"
GRANULARITY = 300  # seconds


class InvalidImageLink(Exception):  # noqa: N818 - reads as what the link is
    """The link is incomplete, expired, or not signed for this image."""


@dataclass(frozen=True)
class ImageLinkSigner:
    key: bytes
    clock: Callable[[], float] = field(default=time.time)

    def _signature(self, account_id: uuid.UUID, image_id: uuid.UUID, expires: int) -> str:
        message = f"writer-image-file\n{account_id}\n{image_id}\n{expires}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def sign(self, account_id: uuid.UUID, image_id: uuid.UUID, ttl_seconds: int) -> dict[str, str]:
        """The link's query parameters, valid for at least ``ttl_seconds``."""
        expires = math.ceil((self.clock() + ttl_seconds) / GRANULARITY) * GRANULARITY
        return {"account_id": str(account_id), "expires": str(expires),
                "signature": self._signature(account_id, image_id, expires)}

    def link(self, src: str, account_id: uuid.UUID, image_id: uuid.UUID, ttl_seconds: int) -> str:
        return f"{src}?{urlencode(self.sign(account_id, image_id, ttl_seconds))}"

    def verify(self, image_id: uuid.UUID, account_id: uuid.UUID | None, expires: int | None,
               signature: str | None) -> uuid.UUID:
        """The account the link was signed for; ``InvalidImageLink`` when it opens nothing."""
        if account_id is None or expires is None or not signature:
            raise InvalidImageLink("The image link is incomplete: it needs account_id, expires "
                                   "and signature.")
        expected = self._signature(account_id, image_id, expires)
        if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
            raise InvalidImageLink("The image link's signature is not valid for this image.")
        if expires <= self.clock():
            raise InvalidImageLink("The image link has expired: list the image again for a "
                                   "fresh one.")
        return account_id
