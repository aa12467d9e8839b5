"""The LLM clustering method (as the original system did it): the AI engine's AutoCluster
function, with the account's provider and ``auto_cluster`` prompt, groups a sector's
unclustered (or the given) keywords and names and describes each cluster. Its clusters are
new ones (existing clusters are left as they are); keywords the model did not place stay
unclustered and are counted. At most ``MAX_LLM_KEYWORDS`` keywords per run: a prompt and its
answer must fit the model. One clustering run's credits are settled after."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Final

from igny8_ai import AIContext, AIFunctionFailed, AutoCluster, ClusterRequest, Phase
from igny8_ai.schemas import ClusteringAnswer
from igny8_contracts.planner import AutoClusterKeywords, KeywordsClustered
from igny8_planner.adapters.account_models import AccountModel
from igny8_planner.adapters.cluster_repository import ClusterRepository, SectorKeyword
from igny8_planner.domain.clustering.summary import stats_of
from igny8_planner.service_layer.ai_usage import settle_clustering_run
from igny8_planner.service_layer.sector_clusters import targets_of, tidy_left_behind
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.handling import Progress
from igny8_runtime.operations import OperationReporter

MAX_LLM_KEYWORDS: Final = 300


async def auto_cluster_llm(command: AutoClusterKeywords, uow: PlannerUnitOfWork,
                           reporter: OperationReporter, progress: Progress,
                           model: AccountModel) -> None:
    """``model``: the account's provider, and its ``auto_cluster`` prompt if it has its own."""
    repository = uow.clusters
    await repository.lock_sector(command.sector_id)
    sector = await repository.sector_keywords(command.account_id, command.sector_id)
    targets = targets_of(sector, command.keyword_ids)
    if not targets:
        settle_clustering_run(uow, command, None, clustered=False)
        reporter.succeed(uow, {"keywords_clustered": 0, "clusters_created": 0,
                               "clusters_updated": 0}, message="No keywords to cluster.")
        return
    if len(targets) > MAX_LLM_KEYWORDS:
        reporter.fail(uow, f"The llm method clusters at most {MAX_LLM_KEYWORDS} keywords per "
                      f"run ({len(targets):,} given); pass keyword_ids in smaller groups, or "
                      "use the local or semantic method.")
        settle_clustering_run(uow, command, None, clustered=False)
        return

    async def on_progress(phase: Phase, percent: int, message: str) -> None:
        await progress(reporter, str(phase), 5 + percent * 3 // 4, message)

    async def keep(answer: ClusteringAnswer, _request: ClusterRequest,
                   _context: AIContext) -> ClusteringAnswer:
        return answer

    try:
        outcome = await model.engine.run(
            AutoCluster(save=keep), ClusterRequest(keywords=[k.point.text for k in targets]),
            model.context(prompt_key=AutoCluster.prompt_key, on_progress=on_progress))
    except AIFunctionFailed as failed:
        reporter.fail(uow, f"Clustering with the AI model failed: {failed.reason}")
        settle_clustering_run(uow, command, failed.usage, clustered=False)
        return
    await progress(reporter, "SAVE", 85, "Saving clusters")
    created, placed = await _save(command, repository, targets, outcome.result)
    existing: dict[uuid.UUID, list[SectorKeyword]] = defaultdict(list)
    target_ids = {k.id for k in targets}
    for keyword in sector:
        if keyword.cluster_id is not None and keyword.id not in target_ids:
            existing[keyword.cluster_id].append(keyword)
    await tidy_left_behind(repository, [k for k in targets if k.id in placed], existing)
    settle_clustering_run(uow, command, outcome.usage, clustered=True)
    left = len(targets) - len(placed)
    uow.emit(KeywordsClustered(
        operation_id=command.operation_id, account_id=command.account_id,
        site_id=command.site_id, sector_id=command.sector_id, method=command.method,
        keywords_clustered=len(placed), clusters_created=created, clusters_updated=0),
        account_id=command.account_id)
    reporter.succeed(
        uow, {"keywords_clustered": len(placed), "clusters_created": created,
              "clusters_updated": 0, "keywords_left_unclustered": left,
              "offline": outcome.offline},
        message=f"{len(placed):,} keywords clustered into {created:,} new clusters"
        + (f"; the model left {left:,} unclustered." if left else ".")
        + (" The offline provider grouped them (no AI model): configure an AI provider for "
           "real clusters." if outcome.offline else ""))


async def _save(command: AutoClusterKeywords, repository: ClusterRepository,
                targets: list[SectorKeyword],
                answer: ClusteringAnswer) -> tuple[int, set[uuid.UUID]]:
    """New clusters as the model named them; answers how many, and the placed keyword ids."""
    by_text = {k.point.text: k for k in targets}
    rows, membership, placed = [], [], set()
    for cluster in answer.clusters:
        members = [by_text[text] for text in cluster.keywords if text in by_text]
        members = [k for k in members if k.id not in placed]
        if not members:
            continue
        cluster_id = uuid.uuid4()
        stats = stats_of([k.point for k in members])
        rows.append({
            "id": cluster_id, "account_id": command.account_id, "site_id": command.site_id,
            "sector_id": command.sector_id, "name": cluster.name.strip()[:255],
            "description": cluster.description, "keyword_count": stats.keyword_count,
            "total_volume": stats.total_volume, "average_difficulty": stats.average_difficulty,
            "dominant_intent": stats.dominant_intent, "method": command.method})
        membership += [(k.id, cluster_id) for k in members]
        placed |= {k.id for k in members}
    await repository.add(rows)
    await repository.assign(membership)
    return len(rows), placed
