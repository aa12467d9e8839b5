"""Image subjects the writer consumes or answers, each mapped to its handler."""

from __future__ import annotations

from igny8_ai.account import AccountAiUnavailable
from igny8_contracts import Envelope
from igny8_contracts.writer_images import (
    IMAGES_BILLING_OPERATION,
    FindImageTasks,
    GenerateImages,
    GetImage,
    ListImages,
    RegenerateImage,
)
from igny8_runtime.consumers import Reject
from igny8_runtime.operations import OperationReporter
from igny8_runtime.uow import UnitOfWork
from igny8_writer.adapters.article_ai import ai_for_account
from igny8_writer.adapters.media import writer_media_store
from igny8_writer.adapters.shared_ai import shared_ai_engine
from igny8_writer.app import service
from igny8_writer.entrypoints._running import Running, answering, new_uow, progress
from igny8_writer.image_settings import image_settings
from igny8_writer.service_layer import image_queries, images


async def _account_image_ai(command: GenerateImages | RegenerateImage) -> images.AccountImageAi:
    """The account's chat provider, prompt override and image generator (raises
    ``AccountAiUnavailable``)."""
    runtime = Running.get()
    ai = await ai_for_account(runtime, command.account_id)
    return images.account_image_ai(ai, shared_ai_engine(runtime), image_settings().image_provider)


@service.on_event_legacy(GenerateImages, "generate-images")
async def on_generate_images(command: GenerateImages, envelope: Envelope,
                             uow: UnitOfWork) -> None:
    """Extracts image prompts from each task's article and generates its images."""
    if envelope.account_id != command.account_id:
        raise Reject("the envelope's account differs from the command's account")
    reporter = OperationReporter(command.operation_id, command.account_id, images.OPERATION_TYPE)
    await progress(reporter, "PREP", 2, "Reading the articles")
    tools = images.ImageTools(engine=shared_ai_engine(Running.get()), media=writer_media_store(),
                              new_uow=new_uow, concurrency=image_settings().image_concurrency)
    try:
        ai = await _account_image_ai(command)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise  # redelivered later, with backoff
        for reservation in command.tasks:
            await images.release_task(tools, command, reservation)
        reporter.fail(uow, f"The account's AI settings cannot be used: {exc.reason}")
        return
    try:
        outcomes = await images.generate_images(command, ai, tools, reporter, progress)
    finally:
        await ai.aclose()
    result, message, any_good = images.summary(outcomes)
    if any_good:
        reporter.succeed(uow, result, message=message)
    else:
        reporter.fail(uow, "; ".join(f"task {f['task_id']}: {f['error']}"
                                     for f in result["failed"]), message=message)


@service.on_event_legacy(RegenerateImage, "regenerate-image")
async def on_regenerate_image(command: RegenerateImage, envelope: Envelope,
                              uow: UnitOfWork) -> None:
    """Generates new bytes for one image (same row, same src)."""
    if envelope.account_id != command.account_id:
        raise Reject("the envelope's account differs from the command's account")
    reporter = image_queries.regenerate_reporter(command)
    try:
        ai = await _account_image_ai(command)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise
        reporter.fail(uow, f"The account's AI settings cannot be used: {exc.reason}")
        uow.emit(images.usage_event(command.operation_id, command.account_id,
                                    command.reservation_key, IMAGES_BILLING_OPERATION, 0),
                 account_id=command.account_id)
        return
    try:
        await image_queries.regenerate_image(command, uow, ai, writer_media_store(), reporter)
    finally:
        await ai.aclose()


service.on_query_legacy(ListImages)(answering(image_queries.list_images, read_only=True))
service.on_query_legacy(GetImage)(answering(image_queries.get_image, read_only=True))
service.on_query_legacy(FindImageTasks)(answering(image_queries.find_image_tasks,
                                           read_only=True))
