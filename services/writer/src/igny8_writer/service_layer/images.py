"""Generating an article's images as an operation, task by task (at most ``concurrency`` at
once): extract image prompts from the article with the AI engine, generate each image with
the account's image provider, store the bytes in the media store, then in one transaction
replace the task's image rows, place the in-article images in the HTML as a new content
version, emit ImagesGenerated and the task's two usage events (prompts, images) that settle
its reservations. A task that fails is reported and charged nothing; the others go on.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from igny8_ai import AIContext, AIEngine, AIFunctionFailed, Provider, UsageRecord, build_provider
from igny8_ai.account import AccountAiResolved
from igny8_ai.image_prompts import (
    ExtractImagePrompts,
    ImagePlan,
    ImagePromptsRequest,
    PlannedImage,
    plan_images,
)
from igny8_ai.images import (
    ImageGenerationFailed,
    ImageGenerator,
    ImageProviderConfig,
    ImageResult,
)
from igny8_ai.schemas import ImagePromptsAnswer
from igny8_contracts import pricing
from igny8_contracts.usage import WriterAiUsageRecorded
from igny8_contracts.writer_images import GenerateImages, ImagesGenerated, ImageTaskReservation
from igny8_runtime.faults import is_infrastructure_fault
from igny8_runtime.handling import Progress
from igny8_runtime.logging import get_logger
from igny8_runtime.media import MediaStore
from igny8_runtime.operations import OperationReporter
from igny8_writer.domain.html import sanitize_html
from igny8_writer.domain.images import PlacedImage, place_images
from igny8_writer.image_settings import image_provider_for
from igny8_writer.service_layer.deletion import remove_files
from igny8_writer.service_layer.uow import WriterUnitOfWork

OPERATION_TYPE: Final = "writer.tasks.generate_images"
MAX_LISTED_FAILURES: Final = 20
MAX_REASON: Final = 300
log = get_logger(__name__)


@dataclass(frozen=True)
class AccountImageAi:
    """What one account's image work runs with (its provider, or the writer's default)."""

    chat: Provider
    images: ImageGenerator
    prompt_override: str | None = None

    async def aclose(self) -> None:
        await self.chat.aclose()
        await self.images.aclose()


def account_image_ai(ai: AccountAiResolved, engine: AIEngine,
                     default_images: ImageProviderConfig) -> AccountImageAi:
    """The account's image tools, drawing on ``engine``'s limiters: image prompts and images
    share the (provider, account) limiter of the account's article calls."""
    return AccountImageAi(
        chat=build_provider(ai.provider),
        images=ImageGenerator(image_provider_for(ai, default_images), limiters=engine.limiters),
        prompt_override=ai.override_for(ExtractImagePrompts.prompt_key))


@dataclass(frozen=True)
class ImageTools:
    engine: AIEngine
    media: MediaStore
    new_uow: Callable[[], WriterUnitOfWork]
    concurrency: int = 20


@dataclass
class TaskOutcome:
    task_id: uuid.UUID
    image_ids: list[uuid.UUID] = field(default_factory=list)
    failed_images: int = 0
    error: str = ""
    offline: bool = False


def storage_key(account_id: uuid.UUID, image_id: uuid.UUID) -> str:
    return f"{account_id}/{image_id}.png"


def usage_event(command_operation: uuid.UUID, account_id: uuid.UUID, key: str,
                operation_type: str, quantity: int, *, usage: UsageRecord | None = None,
                provider: str = "", model: str = "", cost: Any = 0) -> WriterAiUsageRecorded:
    return WriterAiUsageRecorded(
        operation_id=str(command_operation), reservation_key=key, account_id=account_id,
        operation_type=operation_type, quantity=quantity,
        provider=(usage.provider if usage else provider)[:100],
        model=(usage.model if usage else model)[:100],
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
        cost_usd=usage.cost_usd if usage else cost, succeeded=quantity > 0)


async def release_task(tools: ImageTools, command: GenerateImages,
                   reservation: ImageTaskReservation, usage: UsageRecord | None = None) -> None:
    """Report that nothing was used, so billing releases both holds."""
    async with tools.new_uow() as uow:
        for key, kind in ((reservation.prompts_key, pricing.IMAGE_PROMPTS),
                          (reservation.images_key, pricing.IMAGES)):
            uow.emit(usage_event(command.operation_id, command.account_id, key, kind, 0,
                                 usage=usage if kind == pricing.IMAGE_PROMPTS else None),
                     account_id=command.account_id)
        await uow.commit()


async def _generate_all(plan: ImagePlan, ai: AccountImageAi, tools: ImageTools,
                        account_id: uuid.UUID) -> list[tuple[PlannedImage, uuid.UUID, ImageResult]]:
    """Every planned image generated and stored; the ones that failed are left out."""

    async def one(planned: PlannedImage) -> tuple[PlannedImage, uuid.UUID, ImageResult] | None:
        image_id = uuid.uuid4()
        try:
            result = await ai.images.generate(planned.prompt, ai.images.size_for(planned.role),
                                              str(account_id))
        except ImageGenerationFailed as exc:
            log.warning("image_failed", account_id=str(account_id), reason=exc.reason)
            return None
        await tools.media.put(storage_key(account_id, image_id), result.png, result.mime_type)
        return planned, image_id, result

    made = await asyncio.gather(*(one(p) for p in plan.images))
    return [m for m in made if m is not None]


def _image_row(command: GenerateImages, article: Any, planned: PlannedImage,
               image_id: uuid.UUID, result: ImageResult, provider: str) -> dict[str, Any]:
    return {
        "id": image_id, "account_id": command.account_id, "site_id": article.site_id,
        "sector_id": article.sector_id, "task_id": article.task_id,
        "content_id": article.id, "role": planned.role, "position": planned.position,
        "heading_index": planned.heading_index, "prompt": planned.prompt,
        "alt_text": planned.alt_text[:500], "caption": planned.caption[:500],
        "storage_key": storage_key(command.account_id, image_id),
        "mime_type": result.mime_type, "size_bytes": len(result.png),
        "checksum": hashlib.sha256(result.png).hexdigest(), "provider": provider[:100],
        "model": result.model[:100], "offline": result.offline,
        "operation_id": command.operation_id,
    }


async def illustrate_task(command: GenerateImages, reservation: ImageTaskReservation,
                          ai: AccountImageAi, tools: ImageTools) -> TaskOutcome:
    outcome = TaskOutcome(reservation.task_id)
    async with tools.new_uow() as uow:
        done = await uow.images.made_by(command.account_id, reservation.task_id,
                                        command.operation_id)
        task = await uow.tasks.get(command.account_id, reservation.task_id)
        article = (await uow.content.row(command.account_id, task.content_id)
                   if task is not None and task.content_id is not None else None)
    if done:  # a redelivered command: this task was finished (and charged) already
        outcome.image_ids = done
        return outcome
    if article is None or not (article.html or "").strip():
        outcome.error = "the task has no article to illustrate" if task else "the task no longer exists"
        await release_task(tools, command, reservation)
        return outcome
    request = ImagePromptsRequest(title=article.title, html=article.html,
                                  in_article_count=command.in_article_count)

    async def keep_plan(answer: ImagePromptsAnswer, req: ImagePromptsRequest,
                        _: AIContext) -> ImagePlan:
        return plan_images(answer, req)

    context = AIContext(account_id=str(command.account_id), provider=ai.chat,
                        operation_id=str(command.operation_id), prompt_override=ai.prompt_override)
    try:
        prompts = await tools.engine.run(ExtractImagePrompts(save=keep_plan), request, context)
    except AIFunctionFailed as failed:
        outcome.error = f"extracting image prompts failed: {failed.reason}"
        await release_task(tools, command, reservation, failed.usage)
        return outcome
    plan = prompts.result
    made = await _generate_all(plan, ai, tools, command.account_id)
    outcome.failed_images = len(plan.images) - len(made)
    if not made:
        outcome.error = f"all {len(plan.images)} images failed to generate"
    await _save(command, reservation, article, plan, made, prompts.usage, ai, tools, outcome)
    return outcome


async def _save(command: GenerateImages, reservation: ImageTaskReservation, article: Any,
                plan: ImagePlan, made: list[tuple[PlannedImage, uuid.UUID, ImageResult]],
                prompt_usage: UsageRecord, ai: AccountImageAi, tools: ImageTools,
                outcome: TaskOutcome) -> None:
    provider = ai.images.config.name
    old_keys: list[str] = []
    async with tools.new_uow() as uow:
        if made:
            current = await uow.content.get(command.account_id, article.id, lock=True)
            old_keys = await uow.images.delete_of_task(command.account_id, article.task_id)
            await uow.images.add([_image_row(command, article, p, i, r, provider)
                                  for p, i, r in made])
            if current is not None:
                placed = [PlacedImage(i, p.position, p.heading_index, p.alt_text, p.caption)
                          for p, i, _ in made if p.role == "in_article"]
                html = sanitize_html(place_images(current.html, placed))
                if html != current.html:
                    version = current.version + 1
                    await uow.content.change(article.id, {"html": html, "version": version})
                    await uow.versions.add(content_id=article.id,
                                           account_id=command.account_id, version=version,
                                           title=current.title, html=html, source="edited")
            outcome.image_ids = [i for _, i, _ in made]
            outcome.offline = all(r.offline for _, _, r in made)
            uow.emit(ImagesGenerated(operation_id=command.operation_id,
                                     account_id=command.account_id, task_id=article.task_id,
                                     content_id=article.id, image_ids=outcome.image_ids,
                                     offline=outcome.offline), account_id=command.account_id)
        cost = sum((r.cost_usd for _, _, r in made), start=Decimal(0))
        uow.emit(usage_event(command.operation_id, command.account_id, reservation.prompts_key,
                             pricing.IMAGE_PROMPTS, len(plan.images) if made else 0,
                             usage=prompt_usage), account_id=command.account_id)
        uow.emit(usage_event(command.operation_id, command.account_id, reservation.images_key,
                             pricing.IMAGES, len(made), provider=provider,
                             model=made[0][2].model if made else "", cost=cost),
                 account_id=command.account_id)
        await uow.commit()
    await remove_files(tools.media, old_keys)


async def generate_images(command: GenerateImages, ai: AccountImageAi, tools: ImageTools,
                          reporter: OperationReporter, progress: Progress) -> list[TaskOutcome]:
    """Every task of the command, ``tools.concurrency`` at a time; progress as tasks finish."""
    gate = asyncio.Semaphore(tools.concurrency)
    finished = 0
    total = len(command.tasks)

    async def run(reservation: ImageTaskReservation) -> TaskOutcome:
        nonlocal finished
        async with gate:
            try:
                outcome = await illustrate_task(command, reservation, ai, tools)
            except Exception as exc:  # one task's surprise must not sink the batch
                if is_infrastructure_fault(exc):
                    raise  # ...but an outage is no task's fault: the command runs again
                log.exception("image_task_crashed", task_id=str(reservation.task_id))
                outcome = TaskOutcome(reservation.task_id, error=f"{type(exc).__name__}: {exc}")
                await release_task(tools, command, reservation)
        finished += 1
        await progress(reporter, "AI_CALL", 5 + 90 * finished // total,
                       f"{finished}/{total} articles illustrated")
        return outcome

    return list(await asyncio.gather(*(run(r) for r in command.tasks)))


def summary(outcomes: list[TaskOutcome]) -> tuple[dict[str, Any], str, bool]:
    """The operation's result, its message, and whether any task succeeded. The result stays
    small whatever the batch (an operation event's result is bounded): counts, and the first
    ``MAX_LISTED_FAILURES`` failures with their reason cut short; the images themselves are
    listed by ``GET /api/v1/writer/images/?task_id=…``."""
    good = [o for o in outcomes if not o.error]
    bad = [o for o in outcomes if o.error]
    failures = [{"task_id": str(o.task_id), "error": o.error[:MAX_REASON]}
                for o in bad[:MAX_LISTED_FAILURES]]
    created = sum(len(o.image_ids) for o in good)
    offline = bool(good) and all(o.offline for o in good)
    result = {"tasks": len(outcomes), "succeeded": len(good), "failed": failures,
              "failed_count": len(bad), "images_created": created,
              "failed_images": sum(o.failed_images for o in outcomes), "offline": offline}
    message = (f"{created} images generated for {len(good)} of {len(outcomes)} articles."
               + (f" {len(bad)} failed." if bad else "")
               + (" They are offline placeholders: configure an image provider for real "
                  "images." if offline else ""))
    return result, message, bool(good)
