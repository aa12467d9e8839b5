"""Content idea reads and writes asked for over request/reply, and queueing ideas for the
writer; each answers its reply model, or a refusal (``QueryResult.failure``). Anything outside
the caller's scope answers 404."""

from __future__ import annotations

import uuid
from typing import Final

from igny8_contracts import QueryResult
from igny8_contracts.planner import (
    AffectedIdeas,
    CreateIdea,
    DeleteIdeas,
    FindIdeaClusters,
    GetIdea,
    IdeaClusterRef,
    IdeaClusterRefs,
    IdeaPage,
    IdeasQueued,
    IdeaView,
    ListIdeas,
    QueuedIdeas,
    QueueIdeasToWriter,
    UpdateIdea,
)
from igny8_planner.domain.ideas import target_keywords
from igny8_planner.service_layer.uow import PlannerUnitOfWork

NOT_FOUND: Final = QueryResult.failure(404, "Idea not found.")
CLUSTER_NOT_FOUND: Final = QueryResult.failure(404, "Cluster not found.",
                                               {"cluster_id": ["not found"]})
QUEUEABLE: Final = frozenset({"new", "archived"})
IDEAS_PER_EVENT: Final = 25


async def find_clusters(query: FindIdeaClusters, uow: PlannerUnitOfWork) -> IdeaClusterRefs:
    sources = await uow.ideas.cluster_sources(
        query.account_id, query.cluster_ids, query.visible_site_ids)
    return IdeaClusterRefs(clusters=[
        IdeaClusterRef(id=s.id, site_id=s.site_id, sector_id=s.sector_id, name=s.name)
        for s in sources])


async def list_ideas(query: ListIdeas, uow: PlannerUnitOfWork) -> IdeaPage:
    results, count = await uow.ideas.page(
        query.account_id, query.filters, query.page, query.page_size)
    return IdeaPage(results=results, count=count)


async def get_idea(query: GetIdea, uow: PlannerUnitOfWork) -> IdeaView | QueryResult:
    found = await uow.ideas.get(query.account_id, query.idea_id, query.visible_site_ids)
    return found if found is not None else NOT_FOUND


async def create_idea(request: CreateIdea, uow: PlannerUnitOfWork) -> IdeaView | QueryResult:
    idea = request.idea
    sources = await uow.ideas.cluster_sources(request.account_id, [idea.cluster_id],
                                              request.visible_site_ids)
    if not sources:
        return CLUSTER_NOT_FOUND
    cluster = sources[0]
    idea_id = uuid.uuid4()
    await uow.ideas.add([{
        "id": idea_id, "account_id": request.account_id, "site_id": cluster.site_id,
        "sector_id": cluster.sector_id, "cluster_id": cluster.id,
        "title": " ".join(idea.title.split()) or idea.title, "description": idea.description,
        "content_structure": idea.content_structure, "content_type": idea.content_type,
        "target_keywords": [t.model_dump(mode="json")
                            for t in target_keywords(idea.target_keywords, cluster)],
        "estimated_word_count": idea.estimated_word_count, "status": idea.status}])
    await uow.commit()
    return await _saved(uow, request.account_id, idea_id)


async def update_idea(request: UpdateIdea, uow: PlannerUnitOfWork) -> IdeaView | QueryResult:
    current = await uow.ideas.get(request.account_id, request.idea_id, request.visible_site_ids)
    if current is None:
        return NOT_FOUND
    changes = request.changes
    values = changes.model_dump(include={str(f) for f in changes.fields} - {"target_keywords"})
    if values.get("title") is None and "title" in values:
        return QueryResult.failure(400, "Invalid input.", {"title": ["may not be empty"]})
    for field in ("content_structure", "content_type", "status", "estimated_word_count"):
        if field in values and values[field] is None:
            return QueryResult.failure(400, "Invalid input.", {field: ["may not be null"]})
    if "description" in values and values["description"] is None:
        values["description"] = ""
    if "target_keywords" in changes.fields:
        cluster = None
        if current.cluster_id is not None:
            found = await uow.ideas.cluster_sources(request.account_id, [current.cluster_id])
            cluster = found[0] if found else None
        values["target_keywords"] = [t.model_dump(mode="json") for t in target_keywords(
            changes.target_keywords or [], cluster)] if changes.target_keywords else []
    await uow.ideas.change(current.id, values)
    await uow.commit()
    return await _saved(uow, request.account_id, current.id)


async def delete_ideas(request: DeleteIdeas, uow: PlannerUnitOfWork) -> AffectedIdeas:
    count = await uow.ideas.delete(request.account_id, request.idea_ids, request.visible_site_ids)
    await uow.commit()
    return AffectedIdeas(count=count)


async def queue_to_writer(request: QueueIdeasToWriter,
                          uow: PlannerUnitOfWork) -> QueuedIdeas | QueryResult:
    """All the ids must be in scope (else 404, nothing queued). New (or archived) ideas become
    queued and go to the writer in IdeasQueued events; queued or completed ones are skipped."""
    found = await uow.ideas.for_writer(request.account_id, request.idea_ids,
                                       request.visible_site_ids)
    if len(found) != len(set(request.idea_ids)):
        return NOT_FOUND
    ready = [idea for idea, status in found if status in QUEUEABLE]
    skipped = [idea.id for idea, status in found if status not in QUEUEABLE]
    await uow.ideas.set_status([idea.id for idea in ready], "queued")
    for start in range(0, len(ready), IDEAS_PER_EVENT):
        uow.emit(IdeasQueued(account_id=request.account_id,
                             ideas=ready[start:start + IDEAS_PER_EVENT]),
                 account_id=request.account_id)
    await uow.commit()
    return QueuedIdeas(queued=[idea.id for idea in ready], skipped=skipped)


async def _saved(uow: PlannerUnitOfWork, account_id: uuid.UUID, idea_id: uuid.UUID) -> IdeaView:
    """The idea as written (with its cluster's name)."""
    saved = await uow.ideas.get(account_id, idea_id)
    assert saved is not None, "an idea written in this request is gone"
    return saved
