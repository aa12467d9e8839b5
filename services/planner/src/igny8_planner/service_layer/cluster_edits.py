"""Clusters read and edited by hand over request/reply: list, get, rename/describe, delete,
merge, split, move keywords. Every edit recomputes the stats of the clusters it touched and
emits ClustersChanged, in one transaction; a refused edit writes nothing. Each answers its
reply model, or a refusal (``QueryResult.failure``)."""

from __future__ import annotations

import uuid
from typing import Any

from igny8_contracts import QueryResult
from igny8_contracts.planner import (
    AffectedKeywords,
    ClusterChange,
    ClusterPage,
    ClustersChanged,
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
from igny8_planner.domain.clustering.summary import summarise
from igny8_planner.domain.clustering.vectors import keyword_vectors
from igny8_planner.service_layer.uow import PlannerUnitOfWork

NOT_FOUND = QueryResult.failure(404, "Cluster not found.")
KEYWORD_NOT_FOUND = QueryResult.failure(404, "Keyword not found.")


def _invalid(field: str, message: str) -> QueryResult:
    return QueryResult.failure(400, "Invalid input.", {field: [message]})


async def list_clusters(query: ListClusters, uow: PlannerUnitOfWork) -> ClusterPage:
    rows, count = await uow.clusters.page(
        query.account_id, query.visible_site_ids,
        {"site_id": query.site_id, "sector_id": query.sector_id}, query.ordering,
        (query.page - 1) * query.page_size, query.page_size)
    return ClusterPage(results=rows, count=count)


async def get_cluster(query: GetCluster, uow: PlannerUnitOfWork) -> ClusterView | QueryResult:
    found = await uow.clusters.get(query.account_id, query.cluster_id, query.visible_site_ids)
    return found if found is not None else NOT_FOUND


async def update_cluster(request: UpdateCluster,
                         uow: PlannerUnitOfWork) -> ClusterView | QueryResult:
    values: dict[str, Any] = {}
    if request.name is not None:
        values["name"] = _clean_name(request.name)
        if not values["name"]:
            return _invalid("name", "The name cannot be blank.")
    if request.description is not None:
        values["description"] = request.description.strip()
    if not values:
        return _invalid("non_field_errors", "Nothing to change.")
    if await uow.clusters.get(request.account_id, request.cluster_id, request.visible_site_ids,
                              lock=True) is None:
        return NOT_FOUND
    updated = await uow.clusters.change(request.cluster_id, values)
    _changed(uow, request.account_id, "updated", [updated.id])
    await uow.commit()
    return updated


async def delete_cluster(request: DeleteCluster,
                         uow: PlannerUnitOfWork) -> AffectedKeywords | QueryResult:
    if await uow.clusters.get(request.account_id, request.cluster_id, request.visible_site_ids,
                              lock=True) is None:
        return NOT_FOUND
    unclustered = await uow.clusters.delete([request.cluster_id])
    _changed(uow, request.account_id, "deleted", [request.cluster_id])
    await uow.commit()
    return AffectedKeywords(count=unclustered)


async def merge_clusters(request: MergeClusters,
                         uow: PlannerUnitOfWork) -> ClusterView | QueryResult:
    sources = sorted(set(request.source_ids))
    if request.target_id in sources:
        return _invalid("cluster_ids", "A cluster cannot be merged into itself.")
    found = await uow.clusters.get_many(request.account_id, [request.target_id, *sources],
                                        request.visible_site_ids, lock=True)
    if len(found) != len(sources) + 1:
        return NOT_FOUND
    if len({cluster.sector_id for cluster in found}) > 1:
        return _invalid("cluster_ids", "Only clusters of the same sector can be merged.")
    await uow.clusters.assign_members(sources, request.target_id)
    await uow.clusters.delete(sources)
    await uow.clusters.refresh_stats([request.target_id])
    merged = await uow.clusters.get(request.account_id, request.target_id, None)
    assert merged is not None
    _changed(uow, request.account_id, "merged", [request.target_id, *sources])
    await uow.commit()
    return merged


async def split_cluster(request: SplitCluster,
                        uow: PlannerUnitOfWork) -> SplitClusters | QueryResult:
    original = await uow.clusters.get(request.account_id, request.cluster_id,
                                      request.visible_site_ids, lock=True)
    if original is None:
        return NOT_FOUND
    wanted = sorted(set(request.keyword_ids))
    members = await uow.clusters.memberships(request.account_id, wanted, request.visible_site_ids)
    if len(members) != len(wanted) or any(m.cluster_id != original.id for m in members):
        return _invalid("keyword_ids", "Every keyword must belong to this cluster.")
    if len(wanted) >= original.keyword_count:
        return _invalid("keyword_ids", "Leave at least one keyword in the cluster.")
    points = await uow.clusters.keyword_points(wanted)
    summary = summarise(points, keyword_vectors([p.text for p in points]), range(len(points)))
    new_id = uuid.uuid4()
    await uow.clusters.add([{
        "id": new_id, "account_id": request.account_id, "site_id": original.site_id,
        "sector_id": original.sector_id, "name": _clean_name(request.name or "") or summary.name[:255],
        "description": summary.description, "method": "manual"}])
    await uow.clusters.assign([(keyword_id, new_id) for keyword_id in wanted])
    await uow.clusters.refresh_stats([original.id, new_id])
    after = await uow.clusters.get_many(request.account_id, [original.id, new_id], None)
    by_id = {cluster.id: cluster for cluster in after}
    _changed(uow, request.account_id, "split", [original.id, new_id])
    await uow.commit()
    return SplitClusters(original=by_id[original.id], created=by_id[new_id])


async def move_keywords(request: MoveKeywords,
                        uow: PlannerUnitOfWork) -> MovedKeywords | QueryResult:
    target = None
    if request.cluster_id is not None:
        target = await uow.clusters.get(request.account_id, request.cluster_id,
                                        request.visible_site_ids, lock=True)
        if target is None:
            return NOT_FOUND
    wanted = sorted(set(request.keyword_ids))
    members = await uow.clusters.memberships(request.account_id, wanted, request.visible_site_ids)
    if len(members) != len(wanted):
        return KEYWORD_NOT_FOUND
    if target is not None and any(m.sector_id != target.sector_id for m in members):
        return _invalid("keyword_ids", "Keywords can only join a cluster of their own sector.")
    await uow.clusters.assign([(keyword_id, request.cluster_id) for keyword_id in wanted])
    touched = {m.cluster_id for m in members if m.cluster_id is not None}
    if target is not None:
        touched.add(target.id)
    await uow.clusters.refresh_stats(sorted(touched))
    now = await uow.clusters.get(request.account_id, target.id, None) if target else None
    _changed(uow, request.account_id, "keywords_moved", sorted(touched))
    await uow.commit()
    return MovedKeywords(count=len(wanted), cluster=now)


def _changed(uow: PlannerUnitOfWork, account_id: uuid.UUID, change: ClusterChange,
             cluster_ids: list[uuid.UUID]) -> None:
    uow.emit(ClustersChanged(account_id=account_id, change=change, cluster_ids=cluster_ids),
             account_id=account_id)


def _clean_name(name: str) -> str:
    return " ".join(name.split())
