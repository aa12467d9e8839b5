"""The planner's unit of work: one transaction, and the repositories that work in it."""

from __future__ import annotations

from igny8_planner.adapters.cluster_repository import ClusterRepository
from igny8_planner.adapters.idea_repository import IdeaRepository
from igny8_planner.adapters.import_staging import ImportStaging
from igny8_planner.adapters.keyword_repository import KeywordRepository
from igny8_runtime.uow import UnitOfWork


class PlannerUnitOfWork(UnitOfWork):
    keywords: KeywordRepository
    clusters: ClusterRepository
    ideas: IdeaRepository
    staging: ImportStaging

    async def __aenter__(self) -> PlannerUnitOfWork:
        await super().__aenter__()
        self.keywords = KeywordRepository(self.session)
        self.clusters = ClusterRepository(self.session)
        self.ideas = IdeaRepository(self.session)
        self.staging = ImportStaging(self.session)
        return self
