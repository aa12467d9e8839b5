"""Signed file links of writer images (``domain.image_links``) for the image routes: the
signer (its key derived from the secrets keys every gateway replica shares, so any replica
opens a link another signed), ``file_url`` on image views (``ImageWithFileUrl``), checking a
link's parameters, and the file route's declared answers."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import Field

from igny8_contracts.writer_images import ImageView
from igny8_gateway.domain.image_links import KEY_PURPOSE, ImageLinkSigner, InvalidImageLink
from igny8_gateway.settings import GatewaySettings
from igny8_runtime.http import runtime_of
from igny8_runtime.responses import ApiError
from igny8_runtime.secrets import SecretBox


class _Links:
    signer: ImageLinkSigner | None = None
    ttl_seconds: int = 3600

    @classmethod
    def get(cls, request: Request) -> ImageLinkSigner:
        if cls.signer is None:
            cls.ttl_seconds = GatewaySettings().image_link_ttl_seconds
            cls.signer = ImageLinkSigner(runtime_of(request).get(SecretBox).derive_key(KEY_PURPOSE))
        return cls.signer


class ImageWithFileUrl(ImageView):
    file_url: str = Field(description="The image's bytes through a signed, expiring link (for "
                                      "<img src>, which sends no Authorization header)")


def with_file_url(request: Request, account_id: uuid.UUID, image: ImageView) -> ImageWithFileUrl:
    """The image view with ``file_url``: its ``src`` signed for ``ttl_seconds`` (or more)."""
    signer = _Links.get(request)
    return ImageWithFileUrl(**image.model_dump(), file_url=signer.link(
        image.src, account_id, image.id, _Links.ttl_seconds))


# The image file route's answers: the bytes as the writer stored them, or 304 when the
# client's ``If-None-Match`` is the image's ETag.
IMAGE_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The image's bytes",
          "content": {media_type: {"schema": {"type": "string", "format": "binary"}}
                      for media_type in ("image/png", "image/jpeg", "image/webp")}},
    304: {"description": "Not modified: `If-None-Match` matched the image's ETag"},
}


class LinkParams:
    """A signed link's query parameters (none of them: the request must carry a token)."""

    def __init__(self, account_id: uuid.UUID | None = None,
                 expires: Annotated[int | None, Query(ge=0, le=2**40)] = None,
                 signature: Annotated[str | None, Query(max_length=128)] = None) -> None:
        self.account_id = account_id
        self.expires = expires
        self.signature = signature

    @property
    def given(self) -> bool:
        return any(v is not None for v in (self.account_id, self.expires, self.signature))


def signed_account(request: Request, image_id: uuid.UUID, params: LinkParams) -> uuid.UUID:
    """The account a valid link opens ``image_id`` for; 403 (unified format) otherwise."""
    try:
        return _Links.get(request).verify(image_id, params.account_id, params.expires,
                                          params.signature)
    except InvalidImageLink as exc:
        raise ApiError(403, str(exc)) from exc
