"""What every clustering method does with a sector's keywords: pick the ones to cluster, and
tidy the clusters re-clustered keywords left."""

from __future__ import annotations

import uuid

from igny8_planner.adapters.cluster_repository import ClusterRepository, SectorKeyword


def targets_of(sector: list[SectorKeyword], keyword_ids: list[uuid.UUID] | None) -> list[SectorKeyword]:
    if keyword_ids is None:
        return [keyword for keyword in sector if keyword.cluster_id is None]
    wanted = set(keyword_ids)
    return [keyword for keyword in sector if keyword.id in wanted]


async def tidy_left_behind(repository: ClusterRepository, targets: list[SectorKeyword],
                           existing: dict[uuid.UUID, list[SectorKeyword]]) -> None:
    """Re-clustered keywords (``keyword_ids`` given) left their former clusters: the stats of
    those follow their remaining members; those left empty are deleted."""
    left = {keyword.cluster_id for keyword in targets if keyword.cluster_id is not None}
    await repository.delete(sorted(c for c in left if c not in existing))
    await repository.refresh_stats(sorted(c for c in left if c in existing))
