"""Reading images (list, one, the tasks an operation may illustrate, what the publisher gets)
and regenerating one image: new bytes under the same key, same row and ``src``."""

from __future__ import annotations

import hashlib
import uuid
from typing import Final

from igny8_ai.images import ImageGenerationFailed
from igny8_contracts import QueryResult, pricing
from igny8_contracts.writer import PublishableImage
from igny8_contracts.writer_images import (
    FindImageTasks,
    GetImage,
    ImagePage,
    ImageRegenerated,
    ImageTaskRef,
    ImageTaskRefs,
    ImageView,
    ListImages,
    RegenerateImage,
)
from igny8_runtime.media import MediaStore
from igny8_runtime.operations import OperationReporter
from igny8_writer.domain.images import srcs_in
from igny8_writer.service_layer.images import AccountImageAi, usage_event
from igny8_writer.service_layer.uow import WriterUnitOfWork

REGENERATE_OPERATION_TYPE: Final = "writer.images.regenerate"
NOT_FOUND: Final = QueryResult.failure(404, "Image not found.")


async def list_images(query: ListImages, uow: WriterUnitOfWork) -> ImagePage:
    rows, count = await uow.images.page(
        query.account_id, query.filters, query.ordering, query.page, query.page_size)
    return ImagePage(results=rows, count=count)


async def get_image(query: GetImage, uow: WriterUnitOfWork) -> ImageView | QueryResult:
    return await uow.images.get(query.account_id, query.image_id,
                                query.visible_site_ids) or NOT_FOUND


async def find_image_tasks(query: FindImageTasks, uow: WriterUnitOfWork) -> ImageTaskRefs:
    found = await uow.tasks.many(query.account_id, query.task_ids, query.visible_site_ids)
    refs = [ImageTaskRef(task_id=t.id, site_id=t.site_id, sector_id=t.sector_id,
                         content_id=t.content_id) for t in found]
    return ImageTaskRefs(tasks=refs)


async def images_for_publishing(uow: WriterUnitOfWork, account_id: uuid.UUID,
                                content_id: uuid.UUID) -> list[PublishableImage]:
    """The content's images for GetPublishableContent, featured first then in-article by
    position (``src`` exactly as written in its HTML). An in-article image its current HTML
    no longer shows (an edit removed it, the article was written again) is left out."""
    row = await uow.content.row(account_id, content_id)
    shown = set(srcs_in(row.html or "")) if row is not None else set()
    return [PublishableImage(image_id=i.id, role=i.role, position=i.position,
                             storage_key=i.storage_key, src=i.src, alt_text=i.alt_text,
                             caption=i.caption, mime_type=i.mime_type)
            for i in await uow.images.of_content(account_id, content_id)
            if i.role == "featured" or i.src in shown]


def regenerate_reporter(command: RegenerateImage) -> OperationReporter:
    return OperationReporter(command.operation_id, command.account_id, REGENERATE_OPERATION_TYPE)


async def regenerate_image(command: RegenerateImage, uow: WriterUnitOfWork, ai: AccountImageAi,
                           media: MediaStore, reporter: OperationReporter) -> None:
    """New bytes for one image (same key, row and ``src``); its usage settles the hold."""
    image = await uow.images.get(command.account_id, command.image_id)

    def release() -> None:
        uow.emit(usage_event(command.operation_id, command.account_id, command.reservation_key,
                             pricing.IMAGES, 0), account_id=command.account_id)

    if image is None:
        reporter.fail(uow, "The image no longer exists.")
        release()
        return
    if await uow.images.made_by_operation(image.id, command.operation_id):
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
    await uow.images.change(image.id, {
        "prompt": prompt, "mime_type": result.mime_type, "size_bytes": len(result.png),
        "checksum": checksum,
        "provider": ai.images.config.name[:100], "model": result.model[:100],
        "offline": result.offline, "operation_id": command.operation_id})
    uow.emit(usage_event(command.operation_id, command.account_id, command.reservation_key,
                         pricing.IMAGES, 1, provider=ai.images.config.name,
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

