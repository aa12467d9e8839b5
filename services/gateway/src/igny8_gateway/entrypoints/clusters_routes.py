"""``/api/v1/planner/clusters/``: list, read, rename/describe, delete, merge, split, move
keywords, ``generate_ideas/estimate/`` (what generating would hold, nothing held) and
``generate_ideas/`` (an operation: the ideas' credits are held with billing first — a 402
passes through with nothing sent — then 202 with ``data.operation_id``). As for keywords, the
gateway checks that sites and sectors are the caller's and visible, and that the role may
write; the planner scopes every id by account and visible sites (another account's cluster is
404) and recomputes stats after each edit."""

from __future__ import annotations

import uuid

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator
from starlette.requests import Request

from igny8_contracts import pricing
from igny8_contracts.billing import CreditQuote, QuoteCredits, QuoteItem
from igny8_contracts.planner import (
    MAX_BULK,
    MAX_CLUSTER_DESCRIPTION_LENGTH,
    MAX_IDEA_CLUSTERS,
    MAX_IDEAS_PER_CLUSTER,
    MAX_MERGED_CLUSTERS,
    ClusterOrdering,
    ClusterView,
    DeleteCluster,
    FindIdeaClusters,
    GenerateIdeas,
    GetCluster,
    ListClusters,
    MergeClusters,
    MovedKeywords,
    MoveKeywords,
    SplitCluster,
    SplitClusters,
    UpdateCluster,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import OperationAccepted
from igny8_gateway.entrypoints.bodies import Body, Name
from igny8_gateway.entrypoints.deps import ActorBus, CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.paid_operations import Hold, common_site, start_paid_operation
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated

router = api_router("/api/v1/planner/clusters", "planner")
routers = (router,)

GENERATE_IDEAS_OPERATION = "planner.clusters.generate_ideas"


class UnclusteredCount(BaseModel):
    """How many keywords a deleted cluster left unclustered."""

    unclustered_count: int


class GenerateIdeasBody(Body):
    cluster_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_IDEA_CLUSTERS)
    ideas_per_cluster: int = Field(default=3, ge=1, le=MAX_IDEAS_PER_CLUSTER)


class ClusterEdit(Body):
    name: Name | None = None
    description: str | None = Field(default=None, max_length=MAX_CLUSTER_DESCRIPTION_LENGTH)


class MergeClustersBody(Body):
    """Either ``into_cluster_id`` (this cluster goes into that one) or ``cluster_ids`` (those
    clusters come into this one)."""

    into_cluster_id: uuid.UUID | None = None
    cluster_ids: list[uuid.UUID] | None = Field(default=None, min_length=1,
                                                max_length=MAX_MERGED_CLUSTERS)

    @model_validator(mode="after")
    def exactly_one(self) -> MergeClustersBody:
        if (self.into_cluster_id is None) == (self.cluster_ids is None):
            raise ValueError("Give either into_cluster_id or cluster_ids.")
        return self


class SplitClusterBody(Body):
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    name: Name | None = None


class MoveKeywordsBody(Body):
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    cluster_id: uuid.UUID | None = Field(description="The cluster to join; null: unclustered")


async def _writable_scope(request: Request, actor: Actor) -> list[uuid.UUID] | None:
    """The sites the actor sees, once its role is known to write (else Forbidden: 403)."""
    ensure_can_write_content(actor)
    return await scope_of(request, actor)


# ------------------------------------------------------------------------------ fixed paths


@router.get("/", response_model=Listing[ClusterView],
            summary="Clusters with their stats, filtered; paginated")
async def list_clusters(
    request: Request, actor: CurrentActor, bus: ActorBus, page: Paging,
    site_id: uuid.UUID | None = None, sector_id: uuid.UUID | None = None,
    ordering: ClusterOrdering = "name",
) -> JSONResponse:
    visible = await scope_of(request, actor, site_id=site_id, sector_id=sector_id)
    query = ListClusters(account_id=actor.account_id, visible_site_ids=visible,
                         site_id=site_id, sector_id=sector_id, ordering=ordering,
                         page=page.number, page_size=page.size)
    found = await bus.ask(query)
    return paginated(request, found.results, found.count, page.number, page.size)


@router.post(
    "/generate_ideas/", status_code=202, response_model=Ok[OperationAccepted],
    summary="Generate content ideas for clusters as an operation (credits reserved first; "
            "402 when the account cannot pay). Answers data.operation_id")
async def generate_ideas(request: Request, actor: CurrentActor, bus: ActorBus,
                         body: GenerateIdeasBody) -> JSONResponse:
    cluster_ids = list(dict.fromkeys(body.cluster_ids))
    found = await bus.ask(FindIdeaClusters(account_id=actor.account_id, cluster_ids=cluster_ids,
                                           visible_site_ids=await scope_of(request, actor)))
    known = {cluster.id: cluster for cluster in found.clusters}
    missing = [str(c) for c in cluster_ids if c not in known]
    if missing:
        raise ApiError(404, "Cluster not found.",
                       {"cluster_ids": [f"not found: {', '.join(missing)}"]})
    ensure_can_write_content(actor)
    operation_id = uuid.uuid4()
    key = str(operation_id)
    command = GenerateIdeas(operation_id=operation_id, account_id=actor.account_id,
                            cluster_ids=cluster_ids, ideas_per_cluster=body.ideas_per_cluster,
                            reservation_key=key)
    ideas = pricing.ideas_to_reserve(len(cluster_ids), body.ideas_per_cluster)
    return await start_paid_operation(
        request, actor, bus, command, [Hold(key, pricing.IDEAS, ideas)],
        operation_id=operation_id, kind=GENERATE_IDEAS_OPERATION,
        site_id=common_site(cluster.site_id for cluster in known.values()),
        message="Idea generation queued.")


@router.post(
    "/generate_ideas/estimate/", response_model=Ok[CreditQuote],
    summary="The most generate_ideas would cost for the same body (the credits it would hold) "
            "and the credits available now; nothing is held or started")
async def estimate_generate_ideas(actor: CurrentActor, bus: ActorBus,
                                  body: GenerateIdeasBody) -> JSONResponse:
    ideas = pricing.ideas_to_reserve(len(set(body.cluster_ids)), body.ideas_per_cluster)
    quote = QuoteCredits(account_id=actor.account_id,
                         items=[QuoteItem(operation_type=pricing.IDEAS, quantity=ideas)])
    return ok(await bus.ask(quote))


@router.post("/move_keywords/", response_model=Ok[MovedKeywords],
             summary="Move keywords into a cluster of their sector (cluster_id null: out of "
                     "their cluster)")
async def move_keywords(request: Request, actor: CurrentActor, bus: ActorBus,
                        body: MoveKeywordsBody) -> JSONResponse:
    move = MoveKeywords(account_id=actor.account_id, keyword_ids=body.keyword_ids,
                        cluster_id=body.cluster_id,
                        visible_site_ids=await _writable_scope(request, actor))
    moved = await bus.ask(move)
    return ok(moved, f"{moved.count} keywords moved.")


# ------------------------------------------------------------------------------ one cluster


@router.get("/{cluster_id}/", response_model=Ok[ClusterView], summary="One cluster and its stats")
async def get_cluster(request: Request, actor: CurrentActor, bus: ActorBus,
                      cluster_id: uuid.UUID) -> JSONResponse:
    query = GetCluster(account_id=actor.account_id, cluster_id=cluster_id,
                       visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(query))


@router.patch("/{cluster_id}/", response_model=Ok[ClusterView],
              summary="Rename a cluster or change its description")
async def update_cluster(request: Request, actor: CurrentActor, bus: ActorBus,
                         cluster_id: uuid.UUID, body: ClusterEdit) -> JSONResponse:
    visible = await _writable_scope(request, actor)
    if body.name is None and body.description is None:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    update = UpdateCluster(account_id=actor.account_id, cluster_id=cluster_id,
                           visible_site_ids=visible, name=body.name,
                           description=body.description)
    return ok(await bus.ask(update), "Cluster updated.")


@router.delete("/{cluster_id}/", response_model=Ok[UnclusteredCount],
               summary="Delete a cluster; its keywords become unclustered")
async def delete_cluster(request: Request, actor: CurrentActor, bus: ActorBus,
                         cluster_id: uuid.UUID) -> JSONResponse:
    delete = DeleteCluster(account_id=actor.account_id, cluster_id=cluster_id,
                           visible_site_ids=await _writable_scope(request, actor))
    unclustered = (await bus.ask(delete)).count
    return ok(UnclusteredCount(unclustered_count=unclustered), "Cluster deleted.")


@router.post("/{cluster_id}/merge/", response_model=Ok[ClusterView],
             summary="Merge: this cluster into into_cluster_id, or cluster_ids into this one")
async def merge_clusters(request: Request, actor: CurrentActor, bus: ActorBus,
                         cluster_id: uuid.UUID, body: MergeClustersBody) -> JSONResponse:
    visible = await _writable_scope(request, actor)
    target, sources = ((body.into_cluster_id, [cluster_id]) if body.into_cluster_id
                       else (cluster_id, body.cluster_ids or []))
    merge = MergeClusters(account_id=actor.account_id, target_id=target, source_ids=sources,
                          visible_site_ids=visible)
    return ok(await bus.ask(merge), "Clusters merged.")


@router.post("/{cluster_id}/split/", status_code=201, response_model=Ok[SplitClusters],
             summary="Move some of a cluster's keywords (keyword_ids) into a new cluster")
async def split_cluster(request: Request, actor: CurrentActor, bus: ActorBus,
                        cluster_id: uuid.UUID, body: SplitClusterBody) -> JSONResponse:
    split = SplitCluster(account_id=actor.account_id, cluster_id=cluster_id,
                         keyword_ids=body.keyword_ids, name=body.name,
                         visible_site_ids=await _writable_scope(request, actor))
    return ok(await bus.ask(split), "Cluster split.", status_code=201)
