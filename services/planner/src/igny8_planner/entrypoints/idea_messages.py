"""Content idea subjects the planner answers or consumes, each mapped to its handler."""

from __future__ import annotations

from igny8_contracts import QueryResult
from igny8_contracts.planner import (
    AffectedIdeas,
    CreateIdea,
    DeleteIdeas,
    FindIdeaClusters,
    GenerateIdeas,
    GetIdea,
    IdeaClusterRefs,
    IdeaPage,
    IdeaView,
    ListIdeas,
    QueuedIdeas,
    QueueIdeasToWriter,
    UpdateIdea,
)
from igny8_planner.adapters.account_models import AccountModels
from igny8_planner.app import service
from igny8_planner.service_layer import idea_requests, ideas
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.handling import HandlerContext


@service.on_event(GenerateIdeas, "generate-ideas")
async def on_generate_ideas(command: GenerateIdeas, uow: PlannerUnitOfWork,
                            ctx: HandlerContext) -> None:
    """Generates content ideas for clusters with the account's AI provider and prompt and
    reports the outcome. A gateway that does not answer is retried (the message is
    redelivered); settings that cannot be used fail the operation."""
    await ideas.generate_ideas(command, uow, ctx.progress, ctx.get(AccountModels), ctx.ask)


@service.on_query(FindIdeaClusters, read_only=True)
async def on_find_idea_clusters(query: FindIdeaClusters, uow: PlannerUnitOfWork,
                                ctx: HandlerContext) -> IdeaClusterRefs:
    """Answers which of the given clusters are in the caller's scope."""
    return await idea_requests.find_clusters(query, uow)


@service.on_query(ListIdeas, read_only=True)
async def on_list_ideas(query: ListIdeas, uow: PlannerUnitOfWork,
                        ctx: HandlerContext) -> IdeaPage:
    """Answers a page of the account's ideas matching the filters, newest first."""
    return await idea_requests.list_ideas(query, uow)


@service.on_query(GetIdea, read_only=True)
async def on_get_idea(query: GetIdea, uow: PlannerUnitOfWork,
                      ctx: HandlerContext) -> IdeaView | QueryResult:
    """Answers one idea in the caller's scope."""
    return await idea_requests.get_idea(query, uow)


@service.on_query(CreateIdea, read_only=False)
async def on_create_idea(request: CreateIdea, uow: PlannerUnitOfWork,
                         ctx: HandlerContext) -> IdeaView | QueryResult:
    """Creates an idea for a cluster in the caller's scope."""
    return await idea_requests.create_idea(request, uow)


@service.on_query(UpdateIdea, read_only=False)
async def on_update_idea(request: UpdateIdea, uow: PlannerUnitOfWork,
                         ctx: HandlerContext) -> IdeaView | QueryResult:
    """Changes the given fields of one idea."""
    return await idea_requests.update_idea(request, uow)


@service.on_query(DeleteIdeas, read_only=False)
async def on_delete_ideas(request: DeleteIdeas, uow: PlannerUnitOfWork,
                          ctx: HandlerContext) -> AffectedIdeas:
    """Deletes the ideas of the caller's scope among the ids; answers how many."""
    return await idea_requests.delete_ideas(request, uow)


@service.on_query(QueueIdeasToWriter, read_only=False)
async def on_queue_ideas(request: QueueIdeasToWriter, uow: PlannerUnitOfWork,
                         ctx: HandlerContext) -> QueuedIdeas | QueryResult:
    """Marks ideas queued and sends them to the writer (IdeasQueued)."""
    return await idea_requests.queue_to_writer(request, uow)
