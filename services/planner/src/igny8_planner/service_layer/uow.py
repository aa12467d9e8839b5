from __future__ import annotations

from igny8_planner.adapters.import_staging import ImportStaging
from igny8_planner.adapters.keyword_repository import KeywordRepository
from igny8_runtime.uow import UnitOfWork


class PlannerUnitOfWork(UnitOfWork):
    keywords: KeywordRepository
    staging: ImportStaging

    async def __aenter__(self) -> PlannerUnitOfWork:
        await super().__aenter__()
        self.keywords = KeywordRepository(self.session)
        self.staging = ImportStaging(self.session)
        return self
