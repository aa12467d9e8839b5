"""Generating content ideas for clusters as an operation: load the clusters and their keywords,
run the AI engine's GenerateIdeas, save the shaped ideas, emit IdeasGenerated and the usage
event that settles the credits reserved under the command's key — one transaction with the
inbox record. A failure reports usage too (nothing charged), so the reservation is released.
The AI runs on the account's model (its provider and ``generate_ideas`` prompt)."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any, Final

from igny8_ai import AIContext, AIFunctionFailed, IdeaCluster, IdeasRequest, Phase, UsageRecord
from igny8_ai import GenerateIdeas as GenerateIdeasFunction
from igny8_ai.account import AccountAiUnavailable, Ask
from igny8_ai.schemas import IdeasAnswer
from igny8_contracts.planner import GenerateIdeas, IdeasGenerated
from igny8_planner.adapters.account_models import AccountModel, AccountModels
from igny8_planner.domain.ideas import AnsweredIdea, ClusterSource, shape_ideas, unique_names
from igny8_planner.service_layer.ai_usage import report_usage
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.handling import Progress
from igny8_runtime.operations import OperationReporter

OPERATION_TYPE: Final = "planner.clusters.generate_ideas"
BILLING_OPERATION_TYPE: Final = "ideas"  # billing's price table: credits per idea
KEYWORDS_PER_CLUSTER_PROMPT: Final = 20
OFFLINE_NOTE: Final = (" They came from the offline provider (placeholders): configure an AI "
                       "provider for real ideas.")


def reporter_for(command: GenerateIdeas) -> OperationReporter:
    return OperationReporter(command.operation_id, command.account_id, OPERATION_TYPE)


def _idea_rows(command: GenerateIdeas, answer: IdeasAnswer,
               by_name: dict[str, ClusterSource]) -> list[dict[str, Any]]:
    answered = [AnsweredIdea(i.cluster, i.title, i.description, i.target_keywords)
                for i in answer.ideas]
    return [{
        "id": uuid.uuid4(), "account_id": command.account_id, "site_id": idea.cluster.site_id,
        "sector_id": idea.cluster.sector_id, "cluster_id": idea.cluster.id, "title": idea.title,
        "description": idea.description, "content_structure": idea.content_structure,
        "content_type": idea.content_type, "status": "new",
        "target_keywords": [t.model_dump(mode="json") for t in idea.target_keywords],
        "estimated_word_count": idea.estimated_word_count,
    } for idea in shape_ideas(answered, by_name, command.ideas_per_cluster)]


def _report_usage(uow: PlannerUnitOfWork, command: GenerateIdeas, usage: UsageRecord | None,
                  quantity: int, succeeded: bool) -> None:
    report_usage(uow, operation_id=command.operation_id, reservation_key=command.reservation_key,
                 account_id=command.account_id, operation_type=BILLING_OPERATION_TYPE,
                 usage=usage, quantity=quantity, succeeded=succeeded)


def fail_unstarted(command: GenerateIdeas, uow: PlannerUnitOfWork, reporter: OperationReporter,
                   reason: str) -> None:
    """The operation fails before any AI call: nothing is charged, the reservation is
    released."""
    reporter.fail(uow, reason)
    _report_usage(uow, command, None, 0, succeeded=False)


async def generate_ideas(command: GenerateIdeas, uow: PlannerUnitOfWork, progress: Progress,
                         models: AccountModels, ask: Ask) -> None:
    """``ask`` reaches the gateway for the account's AI settings. A gateway that does not
    answer is retried (the error propagates, so the message is redelivered); settings that
    cannot be used fail the operation."""
    reporter = reporter_for(command)
    await progress(reporter, "PREP", 2, "Reading the clusters")
    try:
        model = await models.open(ask, command.account_id, command.operation_id)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise
        fail_unstarted(command, uow, reporter, f"The account's AI settings: {exc.reason}")
        return
    async with contextlib.aclosing(model):
        await _generate(command, uow, reporter, progress, model)


async def _generate(command: GenerateIdeas, uow: PlannerUnitOfWork, reporter: OperationReporter,
                    progress: Progress, model: AccountModel) -> None:
    sources = await uow.ideas.cluster_sources(command.account_id, command.cluster_ids)
    if not sources:
        fail_unstarted(command, uow, reporter, "None of the clusters exists any more.")
        return
    names = unique_names(sources)
    by_name = dict(zip(names, sources, strict=True))
    request = IdeasRequest(ideas_per_cluster=command.ideas_per_cluster, clusters=[
        IdeaCluster(name=name, keywords=[k.keyword for k in source.keywords]
                    [:KEYWORDS_PER_CLUSTER_PROMPT])
        for name, source in by_name.items()])

    async def save(answer: IdeasAnswer, _request: IdeasRequest,
                   _context: AIContext) -> list[uuid.UUID]:
        rows = _idea_rows(command, answer, by_name)
        await uow.ideas.add(rows)
        return [row["id"] for row in rows]

    async def on_progress(phase: Phase, percent: int, message: str) -> None:
        # The engine's 0-100 % maps into 5-95 %: succeeding is the last step.
        await progress(reporter, str(phase), 5 + percent * 9 // 10, message)

    context = model.context(prompt_key=GenerateIdeasFunction.prompt_key, on_progress=on_progress)
    try:
        outcome = await model.engine.run(GenerateIdeasFunction(save=save), request, context)
    except AIFunctionFailed as failed:
        reporter.fail(uow, f"Generating ideas failed: {failed.reason}")
        _report_usage(uow, command, failed.usage, 0, succeeded=False)
        return
    idea_ids = outcome.result
    _report_usage(uow, command, outcome.usage, len(idea_ids), succeeded=True)
    uow.emit(IdeasGenerated(operation_id=command.operation_id, account_id=command.account_id,
                            cluster_ids=[s.id for s in sources], idea_ids=idea_ids,
                            offline=outcome.offline), account_id=command.account_id)
    missing = len(command.cluster_ids) - len(sources)
    message = (f"{len(idea_ids)} ideas generated for {len(sources)} clusters."
               + (f" {missing} clusters no longer exist." if missing else "")
               + (OFFLINE_NOTE if outcome.offline else ""))
    reporter.succeed(uow, {"ideas_created": len(idea_ids),
                           "idea_ids": [str(i) for i in idea_ids],
                           "clusters": len(sources), "offline": outcome.offline},
                     message=message)
