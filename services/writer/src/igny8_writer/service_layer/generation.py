"""Writing a batch of tasks' articles as one operation.

Each task runs on its own through the AI engine (several at once) and settles on its own, in
its own transaction: the content (a new version when the task already had some), the task's
new status, ContentGenerated (v2, with the task's idea) and the usage event that captures the
credits held for that task — or, when no answer passed the checks, the task marked failed with
the reason and a usage event that charges nothing (its reservation is released). A task that
fails never stops the others; the operation's result lists every failure. A redelivered command
skips the tasks this operation already settled.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from igny8_ai import AIContext, AIEngine, AIFunctionFailed, Provider, UsageRecord
from igny8_contracts import pricing
from igny8_contracts.usage import WriterAiUsageRecorded
from igny8_contracts.writer import (
    AuthorProfileView,
    ContentGeneratedV2,
    GenerateContent,
    TaskReservation,
    TaskView,
)
from igny8_runtime.handling import Progress
from igny8_runtime.operations import OperationReporter
from igny8_writer.adapters.article_ai import ArticleRequest, WriteArticle, shape
from igny8_writer.domain.articles import Article, GeneratedContent
from igny8_writer.service_layer.uow import WriterUnitOfWork

OPERATION_TYPE: Final = "writer.tasks.generate_content"
KEYWORDS_IN_PROMPT: Final = 20
OFFLINE_NOTE: Final = (" They came from the offline provider (placeholders): configure an AI "
                       "provider for real articles.")

NewUnitOfWork = Callable[[], WriterUnitOfWork]


def reporter_for(command: GenerateContent) -> OperationReporter:
    return OperationReporter(command.operation_id, command.account_id, OPERATION_TYPE)


@dataclass
class TaskOutcome:
    task_id: uuid.UUID
    content_id: uuid.UUID | None = None
    error: str | None = None
    offline: bool = False


def article_request(task: TaskView, profile: AuthorProfileView | None) -> ArticleRequest:
    keywords = [k.keyword for k in task.keywords][:KEYWORDS_IN_PROMPT]
    author = f"{profile.name}: {profile.description}".strip(": ") if profile else ""
    return ArticleRequest(
        title=task.title, description=task.description,
        primary_keyword=keywords[0] if keywords else "", keywords=keywords,
        cluster=task.cluster_name, content_type=task.content_type,
        content_structure=task.content_structure, word_count=task.word_count,
        tone=profile.tone if profile else "professional",
        language=profile.language if profile else "en", author=author,
        structure_template=profile.structure_template if profile else {})


def _usage_event(command: GenerateContent, reservation: TaskReservation,
                 usage: UsageRecord | None, quantity: int,
                 succeeded: bool) -> WriterAiUsageRecorded:
    return WriterAiUsageRecorded(
        operation_id=f"{command.operation_id}:{reservation.task_id}",
        reservation_key=reservation.reservation_key, account_id=command.account_id,
        operation_type=pricing.CONTENT, quantity=quantity,
        provider=usage.provider[:100] if usage else "", model=usage.model[:100] if usage else "",
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
        cost_usd=usage.cost_usd if usage else 0, succeeded=succeeded)


class BatchWriter:
    """One GenerateContent command's work."""

    def __init__(self, command: GenerateContent, new_uow: NewUnitOfWork, engine: AIEngine,
                 reporter: OperationReporter, progress: Progress) -> None:
        self.command = command
        self.new_uow = new_uow
        self.engine = engine
        self.reporter = reporter
        self.progress = progress
        self.done = 0

    async def record_article(self, task: TaskView, reservation: TaskReservation,
                             article: Article, usage: UsageRecord,
                             profile: AuthorProfileView | None) -> TaskOutcome:
        command = self.command
        generated = GeneratedContent(
            account_id=command.account_id, task_id=task.id, site_id=task.site_id,
            sector_id=task.sector_id, cluster_id=task.cluster_id,
            keyword_ids=[k.id for k in task.keywords if k.id is not None],
            focus_keyword=task.keywords[0].keyword if task.keywords else "",
            author_profile_id=profile.id if profile else None, article=article,
            offline=usage.offline, operation_id=command.operation_id)
        async with self.new_uow() as uow:
            existing = await uow.content.of_task(task.id, lock=True)
            if existing is None:
                content_id, version = uuid.uuid4(), 1
                await uow.content.add_generated(content_id, generated)
            else:
                content_id, version = existing.id, existing.version + 1
                await uow.content.replace_generated(content_id, version, generated)
            await uow.versions.add(content_id=content_id, account_id=command.account_id,
                                   version=version, title=article.title, html=article.html,
                                   source="generated")
            await uow.tasks.change(task.id, {
                "status": "completed", "error": "", "operation_id": command.operation_id})
            uow.emit(ContentGeneratedV2(
                operation_id=command.operation_id, account_id=command.account_id,
                site_id=task.site_id, sector_id=task.sector_id, task_id=task.id,
                idea_id=task.idea_id, content_id=content_id, word_count=article.word_count,
                offline=usage.offline),
                account_id=command.account_id)
            uow.emit(_usage_event(command, reservation, usage,
                                  min(article.word_count, reservation.max_words), True),
                     account_id=command.account_id)
            await uow.commit()
        return TaskOutcome(task.id, content_id=content_id, offline=usage.offline)

    async def record_failure(self, task_id: uuid.UUID, reservation: TaskReservation,
                             reason: str, usage: UsageRecord | None) -> TaskOutcome:
        async with self.new_uow() as uow:
            await uow.tasks.set_status(
                self.command.account_id, [task_id], "failed", error=reason[:2000],
                operation_id=self.command.operation_id)
            uow.emit(_usage_event(self.command, reservation, usage, 0, False),
                     account_id=self.command.account_id)
            await uow.commit()
        return TaskOutcome(task_id, error=reason)

    async def write_one(self, task: TaskView, reservation: TaskReservation,
                        profile: AuthorProfileView | None, provider: Provider,
                        prompt_override: str | None) -> TaskOutcome:
        async def finish(answer: Any, request: ArticleRequest, _context: AIContext) -> Article:
            return shape(answer, request)

        context = AIContext(account_id=str(self.command.account_id), provider=provider,
                            operation_id=str(self.command.operation_id),
                            prompt_override=prompt_override)
        try:
            outcome = await self.engine.run(WriteArticle(save=finish),
                                            article_request(task, profile), context)
        except AIFunctionFailed as failed:
            result = await self.record_failure(task.id, reservation, failed.reason,
                                               failed.usage)
        else:
            result = await self.record_article(task, reservation, outcome.result,
                                               outcome.usage, profile)
        self.done += 1
        total = len(self.command.tasks)
        await self.progress(self.reporter, "AI_CALL", 5 + self.done * 90 // total,
                            f"{self.done} of {total} articles done")
        return result

    async def run(self, uow: WriterUnitOfWork, provider: Provider | None,
                  prompt_override: str | None, concurrency: int,
                  unavailable: str | None = None) -> list[TaskOutcome]:
        """Every task's outcome, in the command's order. ``unavailable``: the reason no AI
        provider can be used (every task fails with it, nothing charged)."""
        command = self.command
        found = {t.id: t for t in await uow.tasks.many(command.account_id,
                                                       [r.task_id for r in command.tasks])}
        state = await uow.tasks.generation_state(command.account_id, list(found))
        profile = None
        if command.author_profile_id is not None:
            profile = await uow.author_profiles.get(command.account_id,
                                                    command.author_profile_id)
        outcomes: dict[uuid.UUID, TaskOutcome] = {}
        pending: list[TaskReservation] = []
        for reservation in command.tasks:
            task = found.get(reservation.task_id)
            operation, status, error = state.get(reservation.task_id, (None, "", ""))
            if task is None:
                outcomes[reservation.task_id] = await self.record_failure(
                    reservation.task_id, reservation, "The task no longer exists.", None)
            elif operation == command.operation_id and status != "in_progress":
                # Settled by an earlier delivery of this command.
                failure = (error or "Failed.") if status == "failed" else None
                outcomes[task.id] = TaskOutcome(task.id, content_id=task.content_id,
                                                error=failure)
            elif unavailable is not None or provider is None:
                outcomes[task.id] = await self.record_failure(
                    task.id, reservation, unavailable or "No AI provider.", None)
            else:
                pending.append(reservation)
        if pending and provider is not None:
            async with self.new_uow() as mark:
                await mark.tasks.set_status(
                    command.account_id, [r.task_id for r in pending], "in_progress",
                    error="", operation_id=command.operation_id)
                await mark.commit()
            limit = asyncio.Semaphore(concurrency)

            async def bounded(reservation: TaskReservation) -> TaskOutcome:
                async with limit:
                    return await self.write_one(found[reservation.task_id], reservation,
                                                profile, provider, prompt_override)

            for outcome in await asyncio.gather(*(bounded(r) for r in pending)):
                outcomes[outcome.task_id] = outcome
        return [outcomes[r.task_id] for r in command.tasks]


# An operation event's result is bounded (MAX_RESULT_BYTES): a batch of up to MAX_BULK tasks
# lists its first articles and failures; every article is found by GET writer/content/?task_id=.
MAX_LISTED_CONTENT = 200
MAX_LISTED_FAILURES = 20
MAX_REASON = 200


def summary(outcomes: list[TaskOutcome]) -> dict[str, Any]:
    written = [o for o in outcomes if o.error is None]
    failed = [o for o in outcomes if o.error is not None]
    return {"generated": len(written), "failed": len(failed),
            "content_ids": [str(o.content_id) for o in written[:MAX_LISTED_CONTENT]],
            "failures": [{"task_id": str(o.task_id), "reason": (o.error or "")[:MAX_REASON]}
                         for o in failed[:MAX_LISTED_FAILURES]],
            "listed_all": len(written) <= MAX_LISTED_CONTENT
            and len(failed) <= MAX_LISTED_FAILURES,
            "offline": any(o.offline for o in written)}


def report(uow: WriterUnitOfWork, reporter: OperationReporter, outcomes: list[TaskOutcome]) -> None:
    written = [o for o in outcomes if o.error is None]
    failed = [o for o in outcomes if o.error is not None]
    result = summary(outcomes)
    message = (f"{len(written)} article{'' if len(written) == 1 else 's'} generated, "
               f"{len(failed)} failed."
               + (OFFLINE_NOTE if result["offline"] else ""))
    if written:
        reporter.succeed(uow, result, message=message)
    else:
        reasons = "; ".join(f"{o.task_id}: {o.error}" for o in failed[:10])
        reporter.fail(uow, f"No article could be generated. {reasons}", message=message)
