"""``/api/v1/writer/images/``: writer images (list, one), ``{id}/file`` (the bytes) and
``{id}/regenerate/`` (an operation: one image's credits are held with billing first — a 402
passes through with nothing sent — then 202 with ``data.operation_id``). Generating an
article's images is ``/api/v1/writer/tasks/generate_images/``.

``{id}/file`` takes the Authorization header, or instead a signed, expiring link: list and
detail carry ``file_url`` (``src`` plus ``account_id``, ``expires`` and ``signature``; see
``domain.image_links``) for a browser's ``<img src>``, which sends no header. A link opens its
own image only, until it expires; any other (incomplete, tampered, expired) is a 403.

The file is served by the gateway from the media store (``igny8_runtime.media``, the folder
every service shares): the writer answers *whether* the caller may see the image and under
which key (``GetImage``, so tenancy and site visibility stay the writer's rules), and the bytes
go from the store to the client without crossing NATS — messages stay small, and the writer is
not on the path of every image a page shows.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field

from igny8_contracts import pricing
from igny8_contracts.billing import CreditQuote
from igny8_contracts.writer_images import (
    GetImage,
    ImageFilters,
    ImageOrdering,
    ImageRole,
    ImageView,
    ListImages,
    RegenerateImage,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import OperationAccepted
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import (
    ActorBus,
    AnonymousBus,
    Bus,
    CurrentActor,
    Paging,
    current_identity,
)
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.image_file_links import (
    IMAGE_FILE_RESPONSES,
    ImageWithFileUrl,
    LinkParams,
    signed_account,
    with_file_url,
)
from igny8_gateway.entrypoints.paid_operations import Hold, quote_holds, start_paid_operation
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.media import MediaNotFound, MediaStore, media_store_from_settings
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated

router = api_router("/api/v1/writer/images", "writer")
routers = (router,)

REGENERATE_IMAGE_OPERATION = "writer.images.regenerate"

_bearer = HTTPBearer(auto_error=False, description="The access token (or use a signed link).")


class RegenerateImageBody(Body):
    prompt: str | None = Field(default=None, min_length=1, max_length=3000)


class _Media:
    store: MediaStore | None = None

    @classmethod
    def get(cls) -> MediaStore:
        if cls.store is None:
            cls.store = media_store_from_settings()
        return cls.store


class ImageFilterParams:
    def __init__(self, site_id: uuid.UUID | None = None, sector_id: uuid.UUID | None = None,
                 task_id: uuid.UUID | None = None, content_id: uuid.UUID | None = None,
                 role: ImageRole | None = None, ordering: ImageOrdering = "-created_at") -> None:
        self.filters = ImageFilters(site_id=site_id, sector_id=sector_id, task_id=task_id,
                                    content_id=content_id, role=role)
        self.ordering: ImageOrdering = ordering


async def _image(request: Request, actor: Actor, bus: Bus, image_id: uuid.UUID) -> ImageView:
    return await bus.ask(GetImage(account_id=actor.account_id, image_id=image_id,
                                  visible_site_ids=await scope_of(request, actor)))


# ------------------------------------------------------------------------------ fixed paths


@router.get("/", response_model=Listing[ImageWithFileUrl],
            summary="The account's images, filtered (task, content, site, sector, role); "
                    "paginated")
async def list_images(request: Request, actor: CurrentActor, bus: ActorBus, page: Paging,
                      params: Annotated[ImageFilterParams, Depends()]) -> JSONResponse:
    f = params.filters
    visible = await scope_of(request, actor, site_id=f.site_id, sector_id=f.sector_id)
    query = ListImages(account_id=actor.account_id,
                       filters=f.model_copy(update={"visible_site_ids": visible}),
                       ordering=params.ordering, page=page.number, page_size=page.size)
    found = await bus.ask(query)
    results = [with_file_url(request, actor.account_id, image) for image in found.results]
    return paginated(request, results, found.count, page.number, page.size)


# ------------------------------------------------------------------------------ one image


@router.get("/{image_id}/", response_model=Ok[ImageWithFileUrl],
            summary="One image: its prompt, alt text, caption, placement, src, and file_url (a "
                    "signed link for <img src>)")
async def get_image(request: Request, actor: CurrentActor, bus: ActorBus,
                    image_id: uuid.UUID) -> JSONResponse:
    image = await _image(request, actor, bus, image_id)
    return ok(with_file_url(request, actor.account_id, image))


@router.get("/{image_id}/file", response_class=Response,
            summary="The image's bytes (PNG), from the media store: with the Authorization "
                    "header, or without it through a signed link (an image's file_url)",
            responses=IMAGE_FILE_RESPONSES)
async def get_image_file(
        request: Request, bus: AnonymousBus, image_id: uuid.UUID,
        link: Annotated[LinkParams, Depends()],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Response:
    if link.given:
        account_id = signed_account(request, image_id, link)
        image = await bus.for_account(account_id).ask(GetImage(account_id=account_id,
                                                               image_id=image_id))
    else:
        actor = Actor.from_user((await current_identity(request, credentials))[0])
        image = await _image(request, actor, bus.for_account(actor.account_id), image_id)
    etag = f'"{image.checksum}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache",
               "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    try:
        data = await _Media.get().get(image.storage_key)
    except MediaNotFound as exc:
        raise ApiError(404, "The image's file is missing from the media store.") from exc
    return Response(content=data, media_type=image.mime_type, headers=headers)


@router.post("/{image_id}/regenerate/", status_code=202, response_model=Ok[OperationAccepted],
             summary="Generate new bytes for one image (same row, same src), optionally from a "
                     "new prompt, as an operation (one image's credits reserved first)")
async def regenerate_image(request: Request, actor: CurrentActor, bus: ActorBus,
                           image_id: uuid.UUID,
                           body: RegenerateImageBody | None = None) -> JSONResponse:
    image = await _image(request, actor, bus, image_id)
    ensure_can_write_content(actor)
    operation_id = uuid.uuid4()
    key = f"{operation_id}:{image_id}:regenerate"
    command = RegenerateImage(operation_id=operation_id, account_id=actor.account_id,
                              image_id=image_id, reservation_key=key,
                              prompt=body.prompt if body else None)
    hold = Hold(key, pricing.IMAGES, pricing.REGENERATED_IMAGES_TO_RESERVE)
    return await start_paid_operation(request, actor, bus, command, [hold],
                                      operation_id=operation_id, kind=REGENERATE_IMAGE_OPERATION,
                                      site_id=image.site_id, message="Image regeneration queued.")


@router.post("/{image_id}/regenerate/estimate/", response_model=Ok[CreditQuote],
             summary="What regenerating the image would cost (the credits it would hold) and "
                     "the credits available now; nothing is held or started")
async def estimate_regenerate_image(request: Request, actor: CurrentActor, bus: ActorBus,
                                    image_id: uuid.UUID) -> JSONResponse:
    await _image(request, actor, bus, image_id)
    hold = Hold(f"estimate:{image_id}", pricing.IMAGES, pricing.REGENERATED_IMAGES_TO_RESERVE)
    return ok(await quote_holds(bus, actor.account_id, [hold]))
