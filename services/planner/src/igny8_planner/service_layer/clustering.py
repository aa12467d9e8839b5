"""Auto-clustering a sector's keywords as an operation: load, place (new keywords join the
nearest existing cluster or form new ones), write clusters with name/description/stats and
the keywords' membership, emit KeywordsClustered — one transaction with the inbox record.

The local method needs no AI provider: it places keywords by meaning on a small embedding model
that ships with the planner (``adapters.static_embeddings``); the semantic method on the
account's provider's embeddings, the llm method (``llm_clustering``) has its model group them."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict
from typing import Final

from igny8_ai.account import AccountAiUnavailable, Ask
from igny8_contracts.planner import AutoClusterKeywords, AutoClusterKeywordsV2, KeywordsClustered
from igny8_planner.adapters.account_models import AccountModels
from igny8_planner.adapters.cluster_repository import ClusterRepository, SectorKeyword
from igny8_planner.adapters.static_embeddings import ModelMissingError, local_embedder
from igny8_planner.domain.clustering.granularity import ClusterTarget
from igny8_planner.domain.clustering.incremental import Placement, place_new_keywords
from igny8_planner.domain.clustering.local import place_locally
from igny8_planner.domain.clustering.summary import stats_of, summarise
from igny8_planner.domain.clustering.vectors import keyword_vectors
from igny8_planner.service_layer import llm_clustering
from igny8_planner.service_layer import semantic_clustering as semantic
from igny8_planner.service_layer.ai_usage import settle_clustering_run
from igny8_planner.service_layer.sector_clusters import targets_of, tidy_left_behind
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.handling import Progress
from igny8_runtime.operations import OperationReporter

OPERATION_TYPE: Final = "planner.keywords.auto_cluster"
MAX_MODEL_KEYWORDS: Final = 20_000


def reporter_for(command: AutoClusterKeywords) -> OperationReporter:
    return OperationReporter(command.operation_id, command.account_id, OPERATION_TYPE,
                             site_id=command.site_id)


def fail_unstarted(command: AutoClusterKeywords, uow: PlannerUnitOfWork,
                   reporter: OperationReporter, reason: str) -> None:
    """The operation fails before clustering; an AI run's reserved credits are released."""
    reporter.fail(uow, reason)
    if command.method != "local":  # an AI method: release the run's reserved credits
        settle_clustering_run(uow, command, None, clustered=False)


async def cluster_keywords(command: AutoClusterKeywords, uow: PlannerUnitOfWork,
                           progress: Progress, models: AccountModels, ask: Ask) -> None:
    """Runs the command with its method; the AI methods on the account's model (``ask``
    reaches the gateway for the account's AI settings). A gateway that does not answer is
    retried (the error propagates, so the message is redelivered); settings that cannot be
    used fail the operation."""
    reporter = reporter_for(command)
    await progress(reporter, "PREP", 2, "Reading the keywords")
    if command.method == "local":
        await auto_cluster(command, uow, reporter, progress)
        return
    try:
        model = await models.open(ask, command.account_id, command.operation_id)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise
        fail_unstarted(command, uow, reporter, f"The account's AI settings: {exc.reason}")
        return
    async with contextlib.aclosing(model):
        if command.method == "llm":
            await llm_clustering.auto_cluster_llm(command, uow, reporter, progress, model)
        else:
            await auto_cluster(command, uow, reporter, progress,
                               semantic.embedder(model, reporter, progress))


async def auto_cluster(command: AutoClusterKeywords, uow: PlannerUnitOfWork,
                       reporter: OperationReporter, progress: Progress,
                       embed: semantic.Embed | None = None) -> None:
    """``embed`` (the account's provider's embeddings) is what the semantic method needs."""
    if command.method not in ("local", "semantic") or (
            command.method == "semantic" and embed is None):
        fail_unstarted(command, uow, reporter,
                       f"The {command.method!r} clustering method is not available yet.")
        return
    repository = uow.clusters
    await repository.lock_sector(command.sector_id)
    sector = await repository.sector_keywords(command.account_id, command.sector_id)
    targets = targets_of(sector, command.keyword_ids)
    if not targets:
        if command.method == "semantic":
            settle_clustering_run(uow, command, None, clustered=False)
        reporter.succeed(uow, {"keywords_clustered": 0, "clusters_created": 0,
                               "clusters_updated": 0}, message="No keywords to cluster.")
        return
    await progress(reporter, "CLUSTER", 10, f"Clustering {len(targets):,} keywords")
    target_ids = {keyword.id for keyword in targets}
    existing: dict[uuid.UUID, list[SectorKeyword]] = defaultdict(list)
    for keyword in sector:
        if keyword.cluster_id is not None and keyword.id not in target_ids:
            existing[keyword.cluster_id].append(keyword)
    target = cluster_target(command, len(targets))
    if isinstance(target, str):
        fail_unstarted(command, uow, reporter, target)
        return
    cluster_ids = sorted(existing)
    existing_texts = [[k.point.text for k in existing[c]] for c in cluster_ids]
    target_texts = [k.point.text for k in targets]
    if command.method == "semantic":
        assert embed is not None
        try:
            placement, usage = await semantic.placement(existing_texts, target_texts, embed,
                                                        target)
        except semantic.SemanticClusteringFailed as failed:
            fail_unstarted(command, uow, reporter, failed.reason)
            return
        settle_clustering_run(uow, command, usage, clustered=True)
    else:
        try:
            placement = await asyncio.to_thread(_place_locally, existing_texts, target_texts,
                                                target)
        except ModelMissingError as missing:
            fail_unstarted(command, uow, reporter, str(missing))
            return
    await progress(reporter, "SAVE", 80, "Saving clusters")
    created = await _create_clusters(command, repository, targets, placement)
    updated = await _join_existing(repository, targets, placement, cluster_ids, existing)
    await tidy_left_behind(repository, targets, existing)
    uow.emit(KeywordsClustered(
        operation_id=command.operation_id, account_id=command.account_id,
        site_id=command.site_id, sector_id=command.sector_id, method=command.method,
        keywords_clustered=len(targets), clusters_created=created, clusters_updated=updated),
        account_id=command.account_id)
    reporter.succeed(uow, {"keywords_clustered": len(targets), "clusters_created": created,
                           "clusters_updated": updated},
                     message=f"{len(targets):,} keywords clustered: {created:,} new clusters, "
                     f"{updated:,} existing clusters grew.")


def cluster_target(command: AutoClusterKeywords, keywords: int) -> ClusterTarget | str:
    """The size the command asks for (v1: the defaults), or why it cannot be had."""
    if not isinstance(command, AutoClusterKeywordsV2):
        return ClusterTarget()
    count = command.cluster_count
    if command.keywords_per_cluster is not None:
        count = max(1, round(keywords / command.keywords_per_cluster))
    if (count is not None or command.granularity != "medium") and keywords > MAX_MODEL_KEYWORDS:
        return (f"A granularity or a count needs at most {MAX_MODEL_KEYWORDS:,} keywords at "
                "once; cluster fewer keywords, or at the default granularity.")
    if count is not None and count > keywords:
        return (f"{count:,} clusters were asked for, more than the {keywords:,} keywords to "
                "cluster.")
    return ClusterTarget(command.granularity, count)


def _place_locally(existing: list[list[str]], targets: list[str],
                   target: ClusterTarget) -> Placement:
    """By meaning on the shipped model; more than ``MAX_MODEL_KEYWORDS`` keywords at once by
    word overlap: the model's exact neighbour search among them grows with the square of
    their number (bench/cluster/run.py), the lexical one's sparse search does not."""
    if len(targets) > MAX_MODEL_KEYWORDS and target == ClusterTarget():
        return place_new_keywords(existing, targets)
    return place_locally(existing, targets, local_embedder().embed, target)


async def _create_clusters(command: AutoClusterKeywords, repository: ClusterRepository,
                           targets: list[SectorKeyword], placement: Placement) -> int:
    points = [k.point for k in targets]
    left = sorted({i for group in placement.new_groups for i in group})
    vectors = keyword_vectors([points[i].text for i in left]) if left else None
    position = {index: row for row, index in enumerate(left)}
    rows, membership = [], []
    for group in placement.new_groups:
        cluster_id = uuid.uuid4()
        summary = summarise([points[i] for i in left], vectors, [position[i] for i in group])
        rows.append({
            "id": cluster_id, "account_id": command.account_id, "site_id": command.site_id,
            "sector_id": command.sector_id, "name": summary.name[:255],
            "description": summary.description, "keyword_count": summary.stats.keyword_count,
            "total_volume": summary.stats.total_volume,
            "average_difficulty": summary.stats.average_difficulty,
            "dominant_intent": summary.stats.dominant_intent, "method": command.method})
        membership += [(targets[i].id, cluster_id) for i in group]
    await repository.add(rows)
    await repository.assign(membership)
    return len(rows)


async def _join_existing(repository: ClusterRepository, targets: list[SectorKeyword],
                         placement: Placement, cluster_ids: list[uuid.UUID],
                         existing: dict[uuid.UUID, list[SectorKeyword]]) -> int:
    joined: dict[uuid.UUID, list[SectorKeyword]] = defaultdict(list)
    for keyword, position in zip(targets, placement.joined, strict=True):
        if position >= 0:
            joined[cluster_ids[position]].append(keyword)
    await repository.assign([(k.id, cluster_id) for cluster_id, ks in joined.items() for k in ks])
    for cluster_id, newcomers in joined.items():
        # The name stays: the user may have chosen it; the stats follow the members.
        await repository.set_stats(cluster_id, stats_of(
            [k.point for k in [*existing[cluster_id], *newcomers]]))
    return len(joined)
