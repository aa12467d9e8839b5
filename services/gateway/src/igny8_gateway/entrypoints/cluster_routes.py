"""Clusters: ``POST /api/v1/planner/keywords/auto_cluster/`` (an operation: 202 with
``data.operation_id``) and ``/api/v1/planner/clusters/`` (list, read, rename/describe, delete,
merge, split, move keywords). As for keywords, the gateway checks that sites and sectors are
the caller's and visible, and that the role may write; the planner scopes every id by account
and visible sites (another account's cluster is 404) and recomputes stats after each edit."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import Field, model_validator
from starlette.requests import Request

from igny8_contracts.planner import (
    AVAILABLE_CLUSTERING_METHODS,
    MAX_BULK,
    MAX_CLUSTER_DESCRIPTION_LENGTH,
    MAX_MERGED_CLUSTERS,
    AutoClusterKeywords,
    ClusteringMethod,
    ClusterOrdering,
    DeleteCluster,
    GetCluster,
    ListClusters,
    MergeClusters,
    MoveKeywords,
    SplitCluster,
    UpdateCluster,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import accept_operation
from igny8_gateway.entrypoints.bodies import Body, Name
from igny8_gateway.entrypoints.credits import Hold, release_all, reserve_all
from igny8_gateway.entrypoints.deps import CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.planner_routes import ask_planner
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.operations import CommandNotAccepted
from igny8_runtime.responses import ApiError, ok, paginated

# Registered before the keyword routes, so ``/{keyword_id}/`` never shadows it.
auto_cluster_router = api_router("/api/v1/planner/keywords", "planner")
router = api_router("/api/v1/planner/clusters", "planner")
routers = (auto_cluster_router, router)

AUTO_CLUSTER_OPERATION = "planner.keywords.auto_cluster"
AI_CLUSTERING_BILLING_OPERATION = "clustering"  # billing prices an AI clustering run
MAX_CLUSTERED_KEYWORDS = 100_000


class AutoClusterBody(Body):
    site_id: uuid.UUID
    sector_id: uuid.UUID
    keyword_ids: list[uuid.UUID] | None = Field(default=None, min_length=1,
                                                max_length=MAX_CLUSTERED_KEYWORDS)
    method: ClusteringMethod = "local"


class ClusterEdit(Body):
    name: Name | None = None
    description: str | None = Field(default=None, max_length=MAX_CLUSTER_DESCRIPTION_LENGTH)


class MergeBody(Body):
    """Either ``into_cluster_id`` (this cluster goes into that one) or ``cluster_ids`` (those
    clusters come into this one)."""

    into_cluster_id: uuid.UUID | None = None
    cluster_ids: list[uuid.UUID] | None = Field(default=None, min_length=1,
                                                max_length=MAX_MERGED_CLUSTERS)

    @model_validator(mode="after")
    def exactly_one(self) -> MergeBody:
        if (self.into_cluster_id is None) == (self.cluster_ids is None):
            raise ValueError("Give either into_cluster_id or cluster_ids.")
        return self


class SplitBody(Body):
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    name: Name | None = None


class MoveBody(Body):
    keyword_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    cluster_id: uuid.UUID | None = Field(description="The cluster to join; null: unclustered")


@auto_cluster_router.post(
    "/auto_cluster/", status_code=202,
    summary="Cluster a sector's unclustered (or the given) keywords as an operation; new "
            "keywords join existing clusters when close enough. Answers data.operation_id")
async def auto_cluster(request: Request, actor: CurrentActor,
                       body: AutoClusterBody) -> JSONResponse:
    await scope_of(request, actor, site_id=body.site_id, sector_id=body.sector_id)
    ensure_can_write_content(actor)
    if body.method not in AVAILABLE_CLUSTERING_METHODS:
        raise ApiError(400, "Invalid input.", {"method": [
            f"The {body.method!r} method is not available yet; use "
            f"{', '.join(map(repr, AVAILABLE_CLUSTERING_METHODS))}."]})
    operation_id = uuid.uuid4()
    command = AutoClusterKeywords(operation_id=operation_id, account_id=actor.account_id,
                                  site_id=body.site_id, sector_id=body.sector_id,
                                  keyword_ids=body.keyword_ids, method=body.method)
    if body.method == "local":  # runs locally: no credits
        return await accept_operation(request, actor, command, operation_id=operation_id,
                                      kind=AUTO_CLUSTER_OPERATION, site_id=body.site_id,
                                      message="Clustering queued.")
    # An AI method: one clustering run's credits held under the operation id first (402 when
    # the account cannot pay, nothing sent); the planner settles them.
    key = str(operation_id)
    await reserve_all(request, actor, [Hold(key, AI_CLUSTERING_BILLING_OPERATION, 1)])
    try:
        return await accept_operation(request, actor, command, operation_id=operation_id,
                                      kind=AUTO_CLUSTER_OPERATION, site_id=body.site_id,
                                      message="Clustering queued.")
    except CommandNotAccepted:
        await release_all(request, actor, [key])
        raise


@router.get("/", summary="Clusters with their stats, filtered; paginated")
async def list_clusters(
    request: Request, actor: CurrentActor, page: Paging, site_id: uuid.UUID | None = None,
    sector_id: uuid.UUID | None = None, ordering: ClusterOrdering = "name",
) -> JSONResponse:
    visible = await scope_of(request, actor, site_id=site_id, sector_id=sector_id)
    query = ListClusters(account_id=actor.account_id, visible_site_ids=visible,
                         site_id=site_id, sector_id=sector_id, ordering=ordering,
                         page=page.number, page_size=page.size)
    data = await ask_planner(request, query, actor)
    return paginated(request, data["results"], data["count"], page.number, page.size)


@router.post("/move_keywords/",
             summary="Move keywords into a cluster of their sector (cluster_id null: out of "
                     "their cluster)")
async def move_keywords(request: Request, actor: CurrentActor, body: MoveBody) -> JSONResponse:
    move = MoveKeywords(account_id=actor.account_id, keyword_ids=body.keyword_ids,
                        cluster_id=body.cluster_id,
                        visible_site_ids=await _writable_scope(request, actor))
    data = await ask_planner(request, move, actor)
    return ok(data, f"{data['count']} keywords moved.")


@router.get("/{cluster_id}/", summary="One cluster and its stats")
async def get_cluster(request: Request, actor: CurrentActor,
                      cluster_id: uuid.UUID) -> JSONResponse:
    query = GetCluster(account_id=actor.account_id, cluster_id=cluster_id,
                       visible_site_ids=await scope_of(request, actor))
    return ok(await ask_planner(request, query, actor))


@router.patch("/{cluster_id}/", summary="Rename a cluster or change its description")
async def update_cluster(request: Request, actor: CurrentActor, cluster_id: uuid.UUID,
                         body: ClusterEdit) -> JSONResponse:
    visible = await _writable_scope(request, actor)
    if body.name is None and body.description is None:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    update = UpdateCluster(account_id=actor.account_id, cluster_id=cluster_id,
                           visible_site_ids=visible, name=body.name,
                           description=body.description)
    return ok(await ask_planner(request, update, actor), "Cluster updated.")


@router.delete("/{cluster_id}/", summary="Delete a cluster; its keywords become unclustered")
async def delete_cluster(request: Request, actor: CurrentActor,
                         cluster_id: uuid.UUID) -> JSONResponse:
    delete = DeleteCluster(account_id=actor.account_id, cluster_id=cluster_id,
                           visible_site_ids=await _writable_scope(request, actor))
    data = await ask_planner(request, delete, actor)
    return ok({"unclustered_count": data["count"]}, "Cluster deleted.")


@router.post("/{cluster_id}/merge/",
             summary="Merge: this cluster into into_cluster_id, or cluster_ids into this one")
async def merge_clusters(request: Request, actor: CurrentActor, cluster_id: uuid.UUID,
                         body: MergeBody) -> JSONResponse:
    visible = await _writable_scope(request, actor)
    target, sources = ((body.into_cluster_id, [cluster_id]) if body.into_cluster_id
                       else (cluster_id, body.cluster_ids or []))
    merge = MergeClusters(account_id=actor.account_id, target_id=target, source_ids=sources,
                          visible_site_ids=visible)
    return ok(await ask_planner(request, merge, actor), "Clusters merged.")


@router.post("/{cluster_id}/split/",
             summary="Move some of a cluster's keywords (keyword_ids) into a new cluster")
async def split_cluster(request: Request, actor: CurrentActor, cluster_id: uuid.UUID,
                        body: SplitBody) -> JSONResponse:
    split = SplitCluster(account_id=actor.account_id, cluster_id=cluster_id,
                         keyword_ids=body.keyword_ids, name=body.name,
                         visible_site_ids=await _writable_scope(request, actor))
    data: dict[str, Any] = await ask_planner(request, split, actor)
    return ok(data, "Cluster split.", status_code=201)


async def _writable_scope(request: Request, actor: Actor) -> list[uuid.UUID] | None:
    """The sites the actor sees, once its role is known to write (else Forbidden: 403)."""
    ensure_can_write_content(actor)
    return await scope_of(request, actor)

