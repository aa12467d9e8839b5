"""Image subjects the writer consumes or answers, each mapped to its handler."""

from __future__ import annotations

from igny8_ai import AIEngine
from igny8_ai.account import AccountAiUnavailable
from igny8_contracts import QueryResult, pricing
from igny8_contracts.writer_images import (
    FindImageTasks,
    GenerateImages,
    GetImage,
    ImagePage,
    ImageTaskRefs,
    ImageView,
    ListImages,
    RegenerateImage,
)
from igny8_runtime.handling import HandlerContext
from igny8_runtime.operations import OperationReporter
from igny8_writer.adapters.media import ImageFiles
from igny8_writer.app import service
from igny8_writer.entrypoints.context import ai_for_account, new_uows
from igny8_writer.image_settings import WriterImageSettings
from igny8_writer.service_layer import image_queries, images
from igny8_writer.service_layer.uow import WriterUnitOfWork


async def _account_image_ai(ctx: HandlerContext,
                            command: GenerateImages | RegenerateImage) -> images.AccountImageAi:
    """The account's chat provider, prompt override and image generator (raises
    ``AccountAiUnavailable``)."""
    ai = await ai_for_account(ctx, command.account_id)
    return images.account_image_ai(ai, ctx.get(AIEngine),
                                   ctx.get(WriterImageSettings).image_provider)


@service.on_event(GenerateImages, "generate-images")
async def on_generate_images(command: GenerateImages, uow: WriterUnitOfWork,
                             ctx: HandlerContext) -> None:
    """Extracts image prompts from each task's article and generates its images."""
    reporter = OperationReporter(command.operation_id, command.account_id, images.OPERATION_TYPE)
    await ctx.progress(reporter, "PREP", 2, "Reading the articles")
    tools = images.ImageTools(engine=ctx.get(AIEngine), media=ctx.get(ImageFiles).store,
                              new_uow=new_uows(ctx),
                              concurrency=ctx.get(WriterImageSettings).image_concurrency)
    try:
        ai = await _account_image_ai(ctx, command)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise  # redelivered later, with backoff
        for reservation in command.tasks:
            await images.release_task(tools, command, reservation)
        reporter.fail(uow, f"The account's AI settings cannot be used: {exc.reason}")
        return
    try:
        outcomes = await images.generate_images(command, ai, tools, reporter, ctx.progress)
    finally:
        await ai.aclose()
    result, message, any_good = images.summary(outcomes)
    if any_good:
        reporter.succeed(uow, result, message=message)
    else:
        reporter.fail(uow, "; ".join(f"task {f['task_id']}: {f['error']}"
                                     for f in result["failed"]), message=message)


@service.on_event(RegenerateImage, "regenerate-image")
async def on_regenerate_image(command: RegenerateImage, uow: WriterUnitOfWork,
                              ctx: HandlerContext) -> None:
    """Generates new bytes for one image (same row, same src)."""
    reporter = image_queries.regenerate_reporter(command)
    try:
        ai = await _account_image_ai(ctx, command)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise
        reporter.fail(uow, f"The account's AI settings cannot be used: {exc.reason}")
        uow.emit(images.usage_event(command.operation_id, command.account_id,
                                    command.reservation_key, pricing.IMAGES, 0),
                 account_id=command.account_id)
        return
    try:
        await image_queries.regenerate_image(command, uow, ai, ctx.get(ImageFiles).store,
                                             reporter)
    finally:
        await ai.aclose()


@service.on_query(ListImages, read_only=True)
async def on_list_images(query: ListImages, uow: WriterUnitOfWork,
                         ctx: HandlerContext) -> ImagePage:
    """Answers a page of the account's images matching the filters."""
    return await image_queries.list_images(query, uow)


@service.on_query(GetImage, read_only=True)
async def on_get_image(query: GetImage, uow: WriterUnitOfWork,
                       ctx: HandlerContext) -> ImageView | QueryResult:
    """Answers one image in the caller's scope."""
    return await image_queries.get_image(query, uow)


@service.on_query(FindImageTasks, read_only=True)
async def on_find_image_tasks(query: FindImageTasks, uow: WriterUnitOfWork,
                              ctx: HandlerContext) -> ImageTaskRefs:
    """Answers which of the given tasks are in the caller's scope (with their content)."""
    return await image_queries.find_image_tasks(query, uow)
