"""Writer images through the gateway.

``POST /api/v1/writer/tasks/generate_images/`` (an operation: every task must be the caller's
and have an article; each task's credits are reserved with billing first — its image prompts
and its images, two holds — and a 402 passes through with nothing sent; then 202 with
``data.operation_id``), ``/api/v1/writer/images/`` (list, one), ``{id}/file`` (the bytes) and
``{id}/regenerate/`` (an operation, one image's credits reserved first).

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
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field

from igny8_contracts import Answered
from igny8_contracts.writer_images import (
    DEFAULT_IN_ARTICLE_IMAGES,
    IMAGES_BILLING_OPERATION,
    MAX_IMAGE_TASKS,
    MAX_IN_ARTICLE_IMAGES,
    PROMPTS_BILLING_OPERATION,
    FindImageTasks,
    GenerateImages,
    GetImage,
    ImageFilters,
    ImageOrdering,
    ImageRole,
    ImageTaskReservation,
    ListImages,
    RegenerateImage,
    image_reservation_keys,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import accept_operation
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.credits import Hold, release_all, reserve_all
from igny8_gateway.entrypoints.deps import CurrentActor, Paging, current_identity
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.image_file_links import LinkParams, signed_account, with_file_url
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime import rpc
from igny8_runtime.http import runtime_of
from igny8_runtime.media import MediaNotFound, MediaStore, media_store_from_settings
from igny8_runtime.operations import CommandNotAccepted
from igny8_runtime.responses import ApiError, ok, paginated

task_router = api_router("/api/v1/writer/tasks", "writer")
router = api_router("/api/v1/writer/images", "writer")
routers = (task_router, router)

GENERATE_IMAGES_OPERATION = "writer.tasks.generate_images"
REGENERATE_IMAGE_OPERATION = "writer.images.regenerate"


class GenerateImagesBody(Body):
    task_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_IMAGE_TASKS)
    in_article_count: int = Field(default=DEFAULT_IN_ARTICLE_IMAGES, ge=0,
                                  le=MAX_IN_ARTICLE_IMAGES)


class RegenerateBody(Body):
    prompt: str | None = Field(default=None, min_length=1, max_length=3000)


async def ask_writer(request: Request, query: Answered[Any], actor: Actor) -> Any:
    """The writer's ``data``, or its error as the same HTTP status; no answer → 503."""
    return await _ask_writer_for(request, query, actor.account_id)


async def _ask_writer_for(request: Request, query: Answered[Any], account_id: uuid.UUID) -> Any:
    runtime = runtime_of(request)
    result = await rpc.ask_result(runtime.broker, query, account_id=account_id, source="gateway",
                           timeout=runtime.settings.rpc_timeout_seconds)
    if not result.ok:
        if result.error is None:
            raise ApiError(502, "The writer gave an answer the gateway does not understand.")
        raise ApiError(result.error.status, result.error.message, result.error.errors)
    return result.data


class _Media:
    store: MediaStore | None = None

    @classmethod
    def get(cls) -> MediaStore:
        if cls.store is None:
            cls.store = media_store_from_settings()
        return cls.store


# ------------------------------------------------------------------------------ generating


@task_router.post(
    "/generate_images/", status_code=202,
    summary="Extract image prompts from the tasks' articles and generate one featured and "
            "in_article_count in-article images each, as an operation (credits reserved first; "
            "402 when the account cannot pay). Answers data.operation_id")
async def generate_images(request: Request, actor: CurrentActor,
                          body: GenerateImagesBody) -> JSONResponse:
    task_ids = list(dict.fromkeys(body.task_ids))
    found = await ask_writer(request, FindImageTasks(
        account_id=actor.account_id, task_ids=task_ids,
        visible_site_ids=await scope_of(request, actor)), actor)
    known = {uuid.UUID(t["task_id"]): t for t in found["tasks"]}
    missing = [str(t) for t in task_ids if t not in known]
    if missing:
        raise ApiError(404, "Task not found.", {"task_ids": [f"not found: {', '.join(missing)}"]})
    bare = [str(t) for t in task_ids if known[t]["content_id"] is None]
    if bare:
        raise ApiError(400, "Some tasks have no article yet: generate their content first.",
                       {"task_ids": [f"no article: {', '.join(bare)}"]})
    ensure_can_write_content(actor)
    operation_id = uuid.uuid4()
    images_per_task = 1 + body.in_article_count
    reservations = []
    holds: list[Hold] = []
    for task_id in task_ids:
        prompts_key, images_key = image_reservation_keys(operation_id, task_id)
        reservations.append(ImageTaskReservation(task_id=task_id, prompts_key=prompts_key,
                                                 images_key=images_key,
                                                 max_images=images_per_task))
        holds += [Hold(prompts_key, PROMPTS_BILLING_OPERATION, images_per_task),
                  Hold(images_key, IMAGES_BILLING_OPERATION, images_per_task)]
    await reserve_all(request, actor, holds)
    sites = {known[t]["site_id"] for t in task_ids}
    command = GenerateImages(operation_id=operation_id, account_id=actor.account_id,
                             tasks=reservations, in_article_count=body.in_article_count)
    try:
        return await accept_operation(
            request, actor, command, operation_id=operation_id, kind=GENERATE_IMAGES_OPERATION,
            site_id=uuid.UUID(sites.pop()) if len(sites) == 1 else None,
            message="Image generation queued.")
    except CommandNotAccepted:
        await release_all(request, actor, [hold.key for hold in holds])
        raise


# ------------------------------------------------------------------------------ images


class ImageFilterParams:
    def __init__(self, site_id: uuid.UUID | None = None, sector_id: uuid.UUID | None = None,
                 task_id: uuid.UUID | None = None, content_id: uuid.UUID | None = None,
                 role: ImageRole | None = None, ordering: ImageOrdering = "-created_at") -> None:
        self.filters = ImageFilters(site_id=site_id, sector_id=sector_id, task_id=task_id,
                                    content_id=content_id, role=role)
        self.ordering: ImageOrdering = ordering


@router.get("/", summary="The account's images, filtered (task, content, site, sector, role); "
                         "paginated")
async def list_images(request: Request, actor: CurrentActor, page: Paging,
                      params: Annotated[ImageFilterParams, Depends()]) -> JSONResponse:
    f = params.filters
    visible = await scope_of(request, actor, site_id=f.site_id, sector_id=f.sector_id)
    query = ListImages(account_id=actor.account_id,
                       filters=f.model_copy(update={"visible_site_ids": visible}),
                       ordering=params.ordering, page=page.number, page_size=page.size)
    data = await ask_writer(request, query, actor)
    results = [with_file_url(request, actor.account_id, image) for image in data["results"]]
    return paginated(request, results, data["count"], page.number, page.size)


async def _image(request: Request, actor: Actor, image_id: uuid.UUID) -> Any:
    return await ask_writer(request, GetImage(
        account_id=actor.account_id, image_id=image_id,
        visible_site_ids=await scope_of(request, actor)), actor)


@router.get("/{image_id}/", summary="One image: its prompt, alt text, caption, placement, src, "
                                    "and file_url (a signed link for <img src>)")
async def get_image(request: Request, actor: CurrentActor, image_id: uuid.UUID) -> JSONResponse:
    return ok(with_file_url(request, actor.account_id, await _image(request, actor, image_id)))


_bearer = HTTPBearer(auto_error=False, description="The access token (or use a signed link).")


@router.get("/{image_id}/file",
            summary="The image's bytes (PNG), from the media store: with the Authorization "
                    "header, or without it through a signed link (an image's file_url)",
            response_class=Response)
async def image_file(
        request: Request, image_id: uuid.UUID, link: Annotated[LinkParams, Depends()],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Response:
    if link.given:
        account_id = signed_account(request, image_id, link)
        image = await _ask_writer_for(request, GetImage(account_id=account_id,
                                                        image_id=image_id), account_id)
    else:
        actor = Actor.from_user((await current_identity(request, credentials))[0])
        image = await _image(request, actor, image_id)
    etag = f'"{image["checksum"]}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache",
               "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    try:
        data = await _Media.get().get(image["storage_key"])
    except MediaNotFound as exc:
        raise ApiError(404, "The image's file is missing from the media store.") from exc
    return Response(content=data, media_type=image["mime_type"], headers=headers)


@router.post("/{image_id}/regenerate/", status_code=202,
             summary="Generate new bytes for one image (same row, same src), optionally from a "
                     "new prompt, as an operation (one image's credits reserved first)")
async def regenerate_image(request: Request, actor: CurrentActor, image_id: uuid.UUID,
                           body: RegenerateBody | None = None) -> JSONResponse:
    image = await _image(request, actor, image_id)
    ensure_can_write_content(actor)
    operation_id = uuid.uuid4()
    key = f"{operation_id}:{image_id}:regenerate"
    await reserve_all(request, actor, [Hold(key, IMAGES_BILLING_OPERATION, 1)])
    command = RegenerateImage(operation_id=operation_id, account_id=actor.account_id,
                              image_id=image_id, reservation_key=key,
                              prompt=body.prompt if body else None)
    try:
        return await accept_operation(
            request, actor, command, operation_id=operation_id, kind=REGENERATE_IMAGE_OPERATION,
            site_id=uuid.UUID(image["site_id"]), message="Image regeneration queued.")
    except CommandNotAccepted:
        await release_all(request, actor, [key])
        raise
