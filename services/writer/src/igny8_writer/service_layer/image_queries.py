"""Reading images (list, one, the tasks an operation may illustrate, what the publisher gets)
and regenerating one image: new bytes under the same key, same row and ``src``."""

from __future__ import annotations

import hashlib
import uuid
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from igny8_ai.images import ImageGenerationFailed
from igny8_contracts import QueryResult
from igny8_contracts.writer import PublishableImage
from igny8_contracts.writer_images import (
    IMAGES_BILLING_OPERATION,
    FindImageTasks,
    GetImage,
    ImagePage,
    ImageRegenerated,
    ImageTaskRef,
    ImageTaskRefs,
    ListImages,
    RegenerateImage,
)
from igny8_runtime.media import MediaStore
from igny8_runtime.operations import OperationReporter
from igny8_runtime.uow import UnitOfWork
from igny8_writer.adapters.content_repository import ContentRepository
from igny8_writer.adapters.image_repository import ImageRepository
from igny8_writer.adapters.task_repository import TaskRepository
from igny8_writer.domain.images import srcs_in
from igny8_writer.service_layer.images import AccountImageAi, usage_event

REGENERATE_OPERATION_TYPE: Final = "writer.images.regenerate"
NOT_FOUND: Final = "Image not found."


async def list_images(query: ListImages, uow: UnitOfWork) -> QueryResult:
    rows, count = await ImageRepository(uow.session).page(
        query.account_id, query.filters, query.ordering, query.page, query.page_size)
    return QueryResult.success(ImagePage(results=rows, count=count).model_dump(mode="json"))


async def get_image(query: GetImage, uow: UnitOfWork) -> QueryResult:
    image = await ImageRepository(uow.session).get(query.account_id, query.image_id,
                                                   query.visible_site_ids)
    if image is None:
        return QueryResult.failure(404, NOT_FOUND)
    return QueryResult.success(image.model_dump(mode="json"))


async def find_image_tasks(query: FindImageTasks, uow: UnitOfWork) -> QueryResult:
    found = await TaskRepository(uow.session).many(query.account_id, query.task_ids,
                                                   query.visible_site_ids)
    refs = [ImageTaskRef(task_id=t.id, site_id=t.site_id, sector_id=t.sector_id,
                         content_id=t.content_id) for t in found]
    return QueryResult.success(ImageTaskRefs(tasks=refs).model_dump(mode="json"))


async def images_for_publishing(session: AsyncSession, account_id: uuid.UUID,
                                content_id: uuid.UUID) -> list[PublishableImage]:
    """The content's images for GetPublishableContent, featured first then in-article by
    position (``src`` exactly as written in its HTML). An in-article image its current HTML
    no longer shows (an edit removed it, the article was written again) is left out."""
    row = await ContentRepository(session).row(account_id, content_id)
    shown = set(srcs_in(row.html or "")) if row is not None else set()
    return [PublishableImage(image_id=i.id, role=i.role, position=i.position,
                             storage_key=i.storage_key, src=i.src, alt_text=i.alt_text,
                             caption=i.caption, mime_type=i.mime_type)
            for i in await ImageRepository(session).of_content(account_id, content_id)
            if i.role == "featured" or i.src in shown]


def regenerate_reporter(command: RegenerateImage) -> OperationReporter:
    return OperationReporter(command.operation_id, command.account_id, REGENERATE_OPERATION_TYPE)


async def regenerate_image(command: RegenerateImage, uow: UnitOfWork, ai: AccountImageAi,
                           media: MediaStore, reporter: OperationReporter) -> None:
    """New bytes for one image (same key, row and ``src``); its usage settles the hold."""
    repository = ImageRepository(uow.session)
    image = await repository.get(command.account_id, command.image_id)

    def release() -> None:
        uow.emit(usage_event(command.operation_id, command.account_id, command.reservation_key,
                             IMAGES_BILLING_OPERATION, 0), account_id=command.account_id)

    if image is None:
        reporter.fail(uow, "The image no longer exists.")
        release()
        return
    if await repository.made_by_operation(image.id, command.operation_id):
        # A redelivered command: the image was regenerated (and charged) already.
        reporter.succeed(uow, {"image_id": str(image.id)}, message="Image regenerated.")
        return
    prompt = command.prompt or image.prompt
    try:
        result = await ai.images.generate(prompt, ai.images.size_for(image.role),
                                          str(command.account_id))
    except ImageGenerationFailed as exc:
        reporter.fail(uow, f"Regenerating the image failed: {exc.reason}")
        release()
        return
    await media.put(image.storage_key, result.png, result.mime_type)
    checksum = hashlib.sha256(result.png).hexdigest()
    await repository.change(image.id, {
        "prompt": prompt, "mime_type": result.mime_type, "size_bytes": len(result.png),
        "checksum": checksum,
        "provider": ai.images.config.name[:100], "model": result.model[:100],
        "offline": result.offline, "operation_id": command.operation_id})
    uow.emit(usage_event(command.operation_id, command.account_id, command.reservation_key,
                         IMAGES_BILLING_OPERATION, 1, provider=ai.images.config.name,
                         model=result.model, cost=result.cost_usd),
             account_id=command.account_id)
    uow.emit(ImageRegenerated(operation_id=command.operation_id, account_id=command.account_id,
                              image_id=image.id, task_id=image.task_id,
                              content_id=image.content_id, offline=result.offline),
             account_id=command.account_id)
    message = "Image regenerated." + (" It is an offline placeholder: configure an image "
                                      "provider for real images." if result.offline else "")
    reporter.succeed(uow, {"image_id": str(image.id), "offline": result.offline,
                           "checksum": checksum}, message=message)

