"""Cluster subjects the planner answers or consumes (auto-clustering and edits by hand), each
mapped to its handler."""

from __future__ import annotations

from igny8_contracts import QueryResult
from igny8_contracts.planner import (
    AffectedKeywords,
    AutoClusterKeywords,
    AutoClusterKeywordsV2,
    ClusterPage,
    ClusterView,
    DeleteCluster,
    GetCluster,
    ListClusters,
    MergeClusters,
    MovedKeywords,
    MoveKeywords,
    SplitCluster,
    SplitClusters,
    UpdateCluster,
)
from igny8_planner.adapters.account_models import AccountModels
from igny8_planner.app import service
from igny8_planner.service_layer import cluster_edits, clustering
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.handling import HandlerContext


@service.on_event(AutoClusterKeywordsV2, "auto-cluster-keywords-v2")
async def on_auto_cluster_keywords(command: AutoClusterKeywordsV2, uow: PlannerUnitOfWork,
                                   ctx: HandlerContext) -> None:
    """Clusters a sector's unclustered (or the given) keywords at the asked granularity and
    reports the outcome."""
    await clustering.cluster_keywords(command, uow, ctx.progress, ctx.get(AccountModels),
                                      ctx.ask)


@service.on_event(AutoClusterKeywords, "auto-cluster-keywords")
async def on_auto_cluster_keywords_v1(command: AutoClusterKeywords, uow: PlannerUnitOfWork,
                                      ctx: HandlerContext) -> None:
    """v1 (no granularity; sent before v2 existed): clustered at the default granularity."""
    await clustering.cluster_keywords(command, uow, ctx.progress, ctx.get(AccountModels),
                                      ctx.ask)


@service.on_query(ListClusters, read_only=True)
async def on_list_clusters(query: ListClusters, uow: PlannerUnitOfWork,
                           ctx: HandlerContext) -> ClusterPage:
    """Answers a page of the account's clusters (with their stats)."""
    return await cluster_edits.list_clusters(query, uow)


@service.on_query(GetCluster, read_only=True)
async def on_get_cluster(query: GetCluster, uow: PlannerUnitOfWork,
                         ctx: HandlerContext) -> ClusterView | QueryResult:
    """Answers one cluster in the caller's scope."""
    return await cluster_edits.get_cluster(query, uow)


@service.on_query(UpdateCluster, read_only=False)
async def on_update_cluster(request: UpdateCluster, uow: PlannerUnitOfWork,
                            ctx: HandlerContext) -> ClusterView | QueryResult:
    """Renames a cluster or changes its description."""
    return await cluster_edits.update_cluster(request, uow)


@service.on_query(DeleteCluster, read_only=False)
async def on_delete_cluster(request: DeleteCluster, uow: PlannerUnitOfWork,
                            ctx: HandlerContext) -> AffectedKeywords | QueryResult:
    """Deletes a cluster; its keywords become unclustered."""
    return await cluster_edits.delete_cluster(request, uow)


@service.on_query(MergeClusters, read_only=False)
async def on_merge_clusters(request: MergeClusters, uow: PlannerUnitOfWork,
                            ctx: HandlerContext) -> ClusterView | QueryResult:
    """Merges clusters of one sector into one."""
    return await cluster_edits.merge_clusters(request, uow)


@service.on_query(SplitCluster, read_only=False)
async def on_split_cluster(request: SplitCluster, uow: PlannerUnitOfWork,
                           ctx: HandlerContext) -> SplitClusters | QueryResult:
    """Moves some of a cluster's keywords into a new cluster."""
    return await cluster_edits.split_cluster(request, uow)


@service.on_query(MoveKeywords, read_only=False)
async def on_move_keywords(request: MoveKeywords, uow: PlannerUnitOfWork,
                           ctx: HandlerContext) -> MovedKeywords | QueryResult:
    """Moves keywords into a cluster of their sector, or out of their cluster."""
    return await cluster_edits.move_keywords(request, uow)
